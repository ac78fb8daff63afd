"""What the fuzz pass (test_fuzz_forms.py, test_fuzz_api.py) runs against.

The world: a sales rep, an account owner, a reference manager and a marketing user; one request
in every status of the workflow (built along `USUAL_PATH` through the real services), an event,
the search index. The forms: found by signing in as each role and following the links of its
portal from its home page, parsing every <form> of every page reached (and the query strings of
its links), so a new form or filter is fuzzed without anyone listing it here.
"""

import os
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone

from core.roles import Role
from customers.erasure.services import erasure_ask
from customers.models import GiveBack
from customers.statuses import GiveBackKind
from insights.models import DigestRecipient
from integrations.keys import api_key_create
from marketing.statuses import AssetStatus
from matching.indexing import search_index_rebuild
from references.models import Contact
from requests_app.models import RequestStatus
from tests.builders import catalogue
from tests.builders.library import make_asset
from tests.builders.marketing import PDF_BYTES
from tests.builders.requests import drive_to, make_campaign_request, make_planned_event, make_request
from workflows.models import Event
from workflows.nominations import nomination_consent, nomination_qualify, nomination_submit
from workflows.transitions import USUAL_PATH

# The URL namespaces of the pages; their forms and filters are fuzzed.
PORTALS = ("sales", "manage", "tasks", "content", "notifications", "profile", "insights")
START = {
    "sales": ("/sales/", "/sales/nominations/new/?q=ac", "/tasks/", "/notifications/"),
    "owner": ("/sales/approvals/", "/tasks/"),
    "manager": ("/manage/", "/tasks/", "/notifications/", "/insights/"),
    "marketing": ("/content/", "/content/campaigns/", "/content/events/", "/tasks/", "/notifications/"),
}
# Pages of one route visited at most: two, but a request's page in every status (its forms differ).
VISITS_PER_ROUTE = 2
VISITS = {"manage:request": 12, "sales:request": 12, "sales:approval": 4, "manage:nomination": 3}
# Routes whose pages take no input worth fuzzing beyond their id, or that end the session.
NOT_CRAWLED = {"logout"}


@dataclass(frozen=True)
class FormSpec:
    """One form as a page shows it: where it goes, how, and the values it would send as is."""

    role: str
    method: str
    url: str
    route: str
    fields: tuple[tuple[str, str], ...]

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _v in self.fields))

    def data(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        return values

    @property
    def key(self) -> tuple:
        """Forms alike for the fuzz: same route and method, same fields, same action."""
        return (self.method, self.route, tuple(sorted(self.names)), self.data().get("action", [""])[0])

    def __str__(self) -> str:
        return f"{self.role} {self.method.upper()} {self.url} ({self.route}: {', '.join(self.names)})"


def build_world() -> dict:
    """The people (by role key) of a small program with a request in every status."""
    people = {
        "sales": catalogue.make_user("fz_rep", Role.SALES, first_name="Rae"),
        "owner": catalogue.make_user("fz_owner", Role.SALES, first_name="Owen"),
        "manager": catalogue.make_user("fz_manager", Role.MANAGER, first_name="Mia"),
        "marketing": catalogue.make_user("fz_marketer", Role.MARKETING, first_name="Max"),
    }
    accounts = [catalogue.make_account(people["owner"], name=f"Account {i}") for i in range(4)]
    for i, status in enumerate(USUAL_PATH):
        contact = catalogue.make_contact(accounts[i % 4])
        request = make_request(people["sales"], contact)
        drive_to(request, status, contact, people["manager"])
    speaker = catalogue.make_contact(accounts[0])
    event = Event.objects.create(
        title="Round table", activity_type=catalogue.activity_type(), occurred_on=date.today()
    )
    event.speakers.add(speaker)
    erasure_ask(contact=catalogue.make_contact(accounts[1]))  # on the manager's task list
    # The content library: a published case study (reps use it) and a draft (marketing edits it).
    make_asset(people["marketing"], title="Published story", accounts=[accounts[0]])
    make_asset(people["marketing"], title="Draft story", status=AssetStatus.DRAFT, file_bytes=PDF_BYTES)
    _nominations(people, accounts)
    # Marketing's campaign requests (one waiting for their answer, one done: feedback) and a
    # planned event reps may sign up to.
    for i, status in enumerate((RequestStatus.NEEDS_INFO, RequestStatus.COMPLETED)):
        contact = catalogue.make_contact(accounts[i + 2], activity_types=("press_interview",))
        campaign = make_campaign_request(people["marketing"], contact, campaign=f"Tour {i}")
        drive_to(campaign, status, contact, people["manager"])
    make_planned_event(people["marketing"], catalogue.make_contact(accounts[3]))
    # A give-back on every contact's page, so its Remove button is crawled whichever is visited.
    GiveBack.objects.bulk_create(
        GiveBack(contact=contact, kind=GiveBackKind.RECOGNITION, given_on=date.today())
        for contact in Contact.objects.all()
    )
    # An API key of the rep's, so their profile page shows its Revoke link.
    api_key_create(user=people["sales"], name="Rae's script", scopes=["read"])
    # A digest recipient, so the digest page shows its Remove button.
    DigestRecipient.objects.create(user=people["manager"], added_by=people["manager"])
    search_index_rebuild()
    return people


def _nominations(people: dict, accounts: list) -> None:
    """A nomination waiting for the owner's consent (on their task list), one with it (to
    accept) and one just submitted (to qualify): each page shows different forms."""
    for i, name in enumerate(("Nia Asked", "Ned Given", "Noa New")):
        made = nomination_submit(
            nominator=people["sales"], account=accounts[i], contact_name=name, reason="Fan."
        )
        if i < 2:
            nomination_qualify(nomination_id=made.pk, actor=people["manager"])
        if i == 1:
            nomination_consent(nomination_id=made.pk, actor=people["owner"], give=True)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace not in PORTALS or match.url_name in NOT_CRAWLED:
        return None
    return match.view_name


class _Page(HTMLParser):
    """The links and forms of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        form = self.forms[-1] if self.forms else None
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(
                {
                    "method": a.get("method", "get").lower(),
                    "action": a.get("action", ""),
                    "fields": [],
                    "buttons": [],
                }
            )
        elif form is None or form.get("closed"):
            return
        elif tag == "input" and a.get("name"):
            self._input(form, a)
        elif tag == "button" and a.get("name"):
            form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            form["fields"].append([a["name"], None])
        elif tag == "option" and self._select is not None:
            field = form["fields"][-1]
            if field[1] is None and a.get("value") or "selected" in a:
                field[1] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            form["fields"].append([a["name"], "Fuzz text"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.forms:
            self.forms[-1]["closed"] = True

    def _input(self, form: dict, a: dict) -> None:
        kind = a.get("type", "text").lower()
        if kind in ("submit", "button", "image", "reset", "file"):
            if kind == "submit":
                form["buttons"].append((a["name"], a.get("value", "")))
            return
        if kind in ("checkbox", "radio"):
            # The ticked ones, or else the first of each group (a baseline that says something).
            named = [f for f in form["fields"] if f[0] == a["name"]]
            if "checked" in a or not named:
                form["fields"].append([a["name"], a.get("value", "on")])
            return
        form["fields"].append([a["name"], a.get("value") or _typical(kind)])


def _typical(kind: str) -> str:
    """A valid value for an empty input of this type, so fuzzing one field leaves the others good."""
    soon = timezone.localtime() + timedelta(days=3)
    return {
        "date": soon.date().isoformat(),
        "datetime-local": soon.strftime("%Y-%m-%dT%H:%M"),
        "number": "1",
        "email": "fuzz@example.com",
        "hidden": "",
    }.get(kind, "Fuzz text")


def _specs(role: str, page_url: str, page: _Page) -> list[FormSpec]:
    specs = []
    for form in page.forms:
        action = urlsplit(form["action"]).path or urlsplit(page_url).path
        route = _route(action)
        if route is None:
            continue
        fields = [(name, value or "") for name, value in form["fields"]]
        fields += parse_qsl(urlsplit(form["action"]).query)
        for button in form["buttons"] or [None]:
            extra = [button] if button else []
            specs.append(FormSpec(role, form["method"], action, route, tuple(fields + extra)))
    return specs


def _link_spec(role: str, href: str) -> FormSpec | None:
    """A link with a query string, as a GET form of its parameters."""
    parts = urlsplit(href)
    route = _route(parts.path)
    params = parse_qsl(parts.query, keep_blank_values=True)
    if route is None or not params:
        return None
    return FormSpec(role, "get", parts.path, route, tuple(params))


def crawl(client, role: str) -> tuple[set[str], list[FormSpec]]:
    """The routes `role` reaches from its start pages, and every distinct form and filter on them."""
    queue, seen, per_route, routes = list(START[role]), set(), {}, set()
    specs: dict[tuple, FormSpec] = {}
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        route = _route(path)
        if url in seen or route is None or per_route.get(route, 0) >= VISITS.get(route, VISITS_PER_ROUTE):
            continue
        seen.add(url)
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(url)
        if response.status_code < 400:
            routes.add(route)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        links = [urljoin(url, href) for href in page.links]
        links = [link for link in links if link.startswith("/")]
        found = _specs(role, url, page) + [
            spec for spec in (_link_spec(role, link) for link in links) if spec
        ]
        for spec in found:
            specs.setdefault(spec.key, spec)
            routes.add(spec.route)
        queue += [link for link in links if link not in seen]
    return routes, list(specs.values())


# --- Values ---------------------------------------------------------------------------------

# What broke or could break parsing: digits int() refuses or reads (², ٣, ０), NUL, numbers past
# every integer column, far and impossible dates, other types' spellings, markup, empties.
TRICKY = (
    "²",
    "٣",
    "１２",
    "\x00",
    "a\x00b",
    "1\x00",
    "99999999999999999999",
    "-1",
    "0",
    "1e999",
    "NaN",
    "1.5",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "2026-02-30",
    "true",
    "[]",
    "{}",
    "",
    " ",
    "\n",
    "<script>x</script>",
    "' OR 1=1 --",
    "x" * 100_000,
)


# Examples per form or operation: raise it for a deeper run locally (FUZZ_EXAMPLES=200 make test).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


def fuzz_settings(examples: int = EXAMPLES):
    """Reproducible (derandomized: CI draws the same values every run), no deadline, no example
    database on disk."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def tricky_values():
    from hypothesis import strategies as st

    # The known troublemakers half the time, the rest drawn freely.
    one = st.one_of(
        st.sampled_from(TRICKY),
        st.sampled_from(TRICKY),
        st.sampled_from(TRICKY),
        st.sampled_from(TRICKY),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(max_size=30),
        st.dates().map(date.isoformat),
        st.datetimes().map(lambda moment: moment.isoformat()),
    )
    # A value, or the field sent several times.
    return st.one_of(one.map(lambda value: [value]), st.lists(one, min_size=2, max_size=3))
