"""One answer for availability: the figure on the rep's search card, reference page and request
form, the one on the manager's request page, and the approval's verdict agree, in every limit
situation — counted for the activity type the rep searched for, as the approval counts it.

Each contact below is held back by one limit (or none). The rep's pages and the manager's page
must say the same words, and approving through the real service must succeed exactly as many
times as the figure says, then be refused.
"""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.dates import day_text
from core.errors import Conflict
from limits.models import LimitRule
from references.models import BlackoutPeriod
from requests_app.statuses import RequestStatus
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from tests.builders.search import index, make_reference

APPROVED = RequestStatus.AWAITING_OWNER


def _approve(sales_rep, contact, manager):
    """Approve one more request for `contact` through the workflow's own service."""
    return drive_to(make_request(sales_rep, contact), APPROVED, contact, manager)


def _colleague(contact, name):
    return factories.make_contact(contact.account, first_name=name, last_name="Colleague")


def _situations(owner, sales_rep, manager) -> dict:
    """name -> (contact, the figure expected, how many more approvals succeed)."""
    today = timezone.localdate()
    found = {}

    free = make_reference(owner, name="Free Co")
    found["free"] = (free, "4 slots left", 4)

    window = make_reference(owner, name="Window Co")
    for _ in range(3):
        _approve(sales_rep, window, manager)
    found["window cap"] = (window, "1 slot left", 1)

    stricter = make_reference(owner, name="Stricter Co")
    LimitRule.objects.create(contact=stricter, contact_max=2, reason="new in the role")
    found["stricter window cap"] = (
        stricter,
        "2 slots left — a stricter cap of 2 per contact in 90 days (new in the role)",
        2,
    )

    own = make_reference(owner, name="Own Cap Co", prefs={"own_cap_per_quarter": 2})
    _approve(sales_rep, own, manager)
    found["own cap"] = (own, "1 slot left — their own cap of 2 a quarter", 1)

    # The case: nothing used by the contact, four of the account's six used by a colleague.
    shared = make_reference(owner, name="Shared Co")
    busy = _colleague(shared, "Busy")
    for _ in range(4):
        _approve(sales_rep, busy, manager)
    found["account cap"] = (shared, "2 slots left — the account's cap of 6 in 90 days", 2)

    full = make_reference(owner, name="Full Co")
    for name, uses in (("First", 4), ("Second", 2)):
        colleague = _colleague(full, name)
        for _ in range(uses):
            _approve(sales_rep, colleague, manager)
    found["account at its cap"] = (
        full,
        "No slot left — the account's cap of 6 in 90 days"
        f" · free from {day_text(today + timedelta(days=90))}",
        0,
    )

    resting = make_reference(owner, name="Resting Co")
    factories.make_activity(resting, today - timedelta(days=5))
    found["rest"] = (resting, f"Resting · free from {day_text(today + timedelta(days=9))}", 0)

    # A cap for one activity type only: the rep searching for that type must see it.
    typed = make_reference(owner, name="Typed Co")
    LimitRule.objects.create(
        contact=typed, activity_type=factories.activity_type("reference_call"), contact_max=1, reason="busy"
    )
    found["stricter cap for the type"] = (
        typed,
        "1 slot left — a stricter cap of 1 reference call per contact in 90 days (busy)",
        1,
    )

    away = make_reference(owner, name="Away Co")
    BlackoutPeriod.objects.create(contact=away, start=today, end=today + timedelta(days=10), reason="leave")
    found["blackout"] = (away, f"In a blackout · free from {day_text(today + timedelta(days=11))}", 0)
    return found


def _search_card_figure(page: str, contact) -> str:
    card = re.search(rf'id="ref-{contact.pk}"(.*?)</li>', page, re.S)
    assert card, f"{contact} is not on the search page"
    return html.unescape(re.search(r'class="avail[^"]*">(.*?)</span>', card[1], re.S)[1].strip())


def _slots(figure: str) -> int:
    """The free slots a figure says: its first number, unless it is not about free slots."""
    number = re.match(r"(\d+) (of \d+ )?slots? (left|free)", figure)
    return int(number[1]) if number else 0


def _request_form(page: str) -> tuple[str, int]:
    """The figure on the request form's card for the one picked reference, and how many limit
    warnings the form shows beside it."""
    figure = re.search(r'class="muted avail">(.*?)</p>', page, re.S)
    assert figure, "no figure on the request form's card"
    return html.unescape(figure[1].strip()), page.count("limit-warning")


def _manager_figure(page: str) -> str:
    """The figure beside the candidate's available/limit badge."""
    figure = re.search(r'class="badge (?:ok|warn)">[^<]*</span>\s*<small[^>]*>(.*?)</small>', page, re.S)
    assert figure, "no figure beside the candidate"
    return html.unescape(figure[1].strip())


@pytest.mark.django_db(transaction=False)
def test_the_rep_the_manager_and_the_approval_agree_in_every_limit_situation(
    client, sales_rep, manager, account_owner
):
    situations = _situations(account_owner, sales_rep, manager)
    index()  # the limits job and the search index, as every minute
    client.force_login(sales_rep)
    # The rep searches for reference calls, the activity type each probe request asks for.
    call = {"activity": factories.activity_type("reference_call").pk}
    search = client.get("/sales/search/", call).content.decode()
    probes = {name: make_request(sales_rep, contact) for name, (contact, _f, _n) in situations.items()}

    seen, forms = {}, {}
    for name, (contact, _expected, _more) in situations.items():
        client.force_login(sales_rep)
        # The card links to the reference page and on to the request form with the search's type.
        detail = html.unescape(client.get(f"/sales/references/{contact.pk}/", call).content.decode())
        forms[name] = _request_form(
            client.get("/sales/requests/new/", {"contact": contact.pk, **call}).content.decode()
        )
        client.force_login(manager)
        on_request = _manager_figure(client.get(f"/manage/requests/{probes[name].pk}/").content.decode())
        seen[name] = (_search_card_figure(search, contact), on_request, detail)

    # The same number of free slots everywhere, whatever the words, then the same words.
    assert {name: (_slots(card), _slots(request)) for name, (card, request, _d) in seen.items()} == {
        name: (more, more) for name, (_c, _e, more) in situations.items()
    }
    for name, (_contact, expected, _more) in situations.items():
        on_card, on_request, detail = seen[name]
        assert on_card == on_request == expected, name
        assert expected in detail, name
        # The request form's card says the same, and warns exactly when no slot is left today.
        assert forms[name] == (expected, 0 if _slots(expected) else 1), name

    # The verdict: approving succeeds exactly as often as the figure says (the probe first), then
    # the approval's guard refuses.
    for name, (contact, _expected, more) in situations.items():
        requests = [probes[name]] + [make_request(sales_rep, contact) for _ in range(more)]
        for request in requests[:more]:
            drive_to(request, APPROVED, contact, manager)
        with pytest.raises(Conflict):
            drive_to(requests[more], APPROVED, contact, manager)


def test_the_search_page_counts_the_figure_in_constant_queries(
    client, sales_rep, manager, account_owner, django_assert_max_num_queries
):
    """The figure for a page's twenty cards costs the same few queries however many contacts are
    held back by how many limits."""
    client.force_login(sales_rep)
    _situations(account_owner, sales_rep, manager)
    index()
    client.get("/sales/search/")  # loads the published search index
    with django_assert_max_num_queries(30) as few:
        client.get("/sales/search/")
    # Read now: the connection keeps its last 9,000 queries, and the writes below push these out.
    few = len(few)
    for n in range(12):
        contact = make_reference(account_owner, name=f"More {n}")
        factories.make_activity(contact, timezone.localdate() - timedelta(days=3 + n))
        BlackoutPeriod.objects.create(contact=contact, start=timezone.localdate(), end=timezone.localdate())
    index()
    client.get("/sales/search/")
    with django_assert_max_num_queries(few) as many:
        response = client.get("/sales/search/")
    assert response.content.decode().count('class="avail') == 20
    assert len(many) == few


def test_the_usage_line_counts_the_live_window_not_a_stale_quarter(client, sales_rep, account_owner):
    """The "Used N×" line says what it counts — the contact's own uses in the program's rolling window —
    and counts them live, like the figure beside it, not from the last hourly index."""
    today = timezone.localdate()
    contact = make_reference(account_owner, name="Counted Co")
    factories.make_activity(contact, today - timedelta(days=20))
    factories.make_activity(contact, today - timedelta(days=120))  # before the window
    index()
    factories.make_activity(contact, today - timedelta(days=1))  # since the index ran
    client.force_login(sales_rep)

    search = client.get("/sales/search/").content.decode()
    detail = client.get(f"/sales/references/{contact.pk}/").content.decode()
    api = client.get("/api/references/").json()["results"][0]

    assert "Used 2× in the last 90 days" in search
    assert "used 2× in the last 90 days" in detail
    assert "this quarter" not in search + detail
    assert (api["used_in_window"], api["window_days"], api["used_this_quarter"]) == (2, 90, 2)
