"""The fuzz pass over the pages: every form and filter a role reaches in its portal, posted with
hypothesis-drawn values in one to three of its fields (the rest as the page filled them), never
answers with a server error. Run on PostgreSQL in CI, where a NUL byte reaching the database fails.

The forms are found by crawling (tests/security/fuzz_world.py), so a new page or form is fuzzed
without being listed; a portal route that no crawl reaches fails the test. FUZZ_EXAMPLES=200
runs a deeper pass locally; CI runs the default, derandomized (the same values every run).
"""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzz_world import EXAMPLES, PORTALS, build_world, crawl, fuzz_settings, tricky_values

# Portal routes no crawl reaches, each with the reason that is fine.
_IMPORTED = "an import job exists only after a file is uploaded (tests/integrations/test_import_pages.py)"
UNREACHED: dict[str, str] = {
    "manage:import-job": _IMPORTED,
    "manage:import-job-run": _IMPORTED,
    "manage:import-job-status": _IMPORTED,
    # A goal's Remove button has no field to fuzz, only the goal's id in its URL (the world sets no
    # goal); tests/portals/insights/test_goals_page.py tries it with bad and foreign ids.
    "insights:goal-delete": "a field-less button for a goal the fuzz world does not set",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def _send(client, spec, data):
    """Send, then undo what it wrote: every example starts from the same world (and a database
    error, had one happened, leaves the transaction usable for the next)."""
    savepoint = transaction.savepoint()
    try:
        if spec.method == "post":
            return client.post(spec.url, data)
        return client.get(spec.url, data)
    finally:
        transaction.savepoint_rollback(savepoint)


def _fuzz(client, spec) -> None:
    names = [name for name in spec.names if name != "csrfmiddlewaretoken"]
    if not names:
        return  # a button and nothing else: nothing to vary

    @fuzz_settings(EXAMPLES)
    @given(changes=st.dictionaries(st.sampled_from(names), tricky_values(), min_size=1, max_size=3))
    def check(changes):
        data = {**spec.data(), **changes}
        response = _send(client, spec, data)
        assert response.status_code < 500, f"{spec} with {changes!r}: {response.status_code}"

    check()


def _portal_routes(resolver=None, namespace="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _portal_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and namespace.rstrip(":") in PORTALS:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_portal_form_survives_fuzzed_values(client, world):
    """Each role's forms and filters, fuzzed; and every portal route is a page some role reaches
    or a form it posts, so none escapes the fuzz."""
    client.raise_request_exception = False
    reached, specs = set(), {}
    for role, user in world.items():
        client.force_login(user)
        routes, found = crawl(client, role)
        reached |= routes
        for spec in found:  # a form two roles share is fuzzed once
            specs.setdefault(spec.key, (user, spec))
    missing = _portal_routes() - reached - set(UNREACHED)
    assert not missing, f"no crawl reaches {sorted(missing)}: link them, or say why in UNREACHED"
    for user, spec in specs.values():
        client.force_login(user)
        _fuzz(client, spec)
