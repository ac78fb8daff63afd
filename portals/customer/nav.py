"""The customer portal's pages in its navigation, in order (each page adds its line)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PAGES = (
    ("customer:home", _("Overview")),
    ("customer:asks", _("My asks")),
    ("customer:verify", _("Verify a request")),
    ("customer:preferences", _("My preferences")),
    ("customer:history", _("My history")),
    ("customer:data", _("My data")),
)


def portal_nav(request) -> list[tuple[str, str, bool]]:
    """(label, url, current) for each page of the portal."""
    links = []
    for name, label in PAGES:
        url = reverse(name)
        current = request.path == url if name == "customer:home" else request.path.startswith(url)
        links.append((str(label), url, current))
    return links
