"""The Utilization insights page and the contacts behind its figures (`insights:contacts`)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from insights.segments import Segment
from limits.models import ContactUsage, UsageState
from references.models import StatusChange
from references.statuses import ReferenceStatus
from tests.builders.catalogue import industry, make_account, make_activity, make_contact, make_user

pytestmark = pytest.mark.django_db

# Every page: the session, the user, their roles, the header's open tasks and unread notices, and
# the filter form's five lists (industries, products, regions, activity types, teams).
BASE_QUERIES = 10
# The figures: one statement over the segment's activities and contacts (the histogram, the pool,
# the top's sums, the asks and give-back, the limits, the resting count, the promoters), and,
# unfiltered, the resting contacts' moves (a filtered segment's join the statement).
PAGE_QUERIES = BASE_QUERIES + 2
# The page's rows, each carrying the total (no count query).
LIST_QUERIES = BASE_QUERIES + 1
PAGE = reverse("insights:section", args=["utilization"])
CONTACTS = reverse("insights:contacts")


@pytest.fixture
def executive(db):
    return make_user("eve", Role.EXECUTIVE, first_name="Eve", last_name="Executive")


def _signed_in(client, user):
    client.force_login(user)
    return client


def _busy(owner, count: int, *, days_ago: int = 30, **fields):
    contact = make_contact(make_account(owner, **fields.pop("account", {})), **fields)
    today = timezone.localdate()
    for index in range(count):
        make_activity(contact, today - timedelta(days=days_ago + index))
    return contact


def _program(owner, size: int) -> list:
    """`size` contacts with 1..6 activities each in the last two months, every third at a limit."""
    made = []
    for n in range(size):
        contact = _busy(owner, 1 + n % 6, last_name=f"Busy{n:03d}")
        if n % 3 == 0:
            ContactUsage.objects.create(contact=contact, account=contact.account, state=UsageState.LIMITED)
        made.append(contact)
    return made


def test_the_page_shows_the_figures_with_links_to_their_contacts(client, manager, account_owner):
    busiest = _busy(account_owner, 6, last_name="Busiest")
    _busy(account_owner, 1)
    idle = make_contact(make_account(account_owner, nps=10))
    ContactUsage.objects.create(contact=busiest, account=busiest.account, state=UsageState.LIMITED)

    response = _signed_in(client, manager).get(PAGE)
    assert response.status_code == 200
    figures = {headline.label: headline.value for headline in response.context["view"].headlines}
    assert figures["Active references"] == 2
    assert figures["At a limit now"] == pytest.approx(100 / 3)
    assert figures["Promoters never asked"] == 1  # `idle`
    tables = {table.key: table for table in response.context["view"].tables}
    assert [row.cells[1] for row in tables["activities-per-reference"].rows] == [1, 0, 0, 0, 1]
    concentration = tables["concentration"].rows
    assert concentration[1].cells == ("Top 10% of the pool", 1, 6, pytest.approx(600 / 7))
    assert f"{CONTACTS}?" in concentration[1].link and "which=top&" in concentration[1].link + "&"
    assert "which=top_five" in concentration[0].link  # the top 5's row opens those 5
    assert idle.email.encode() not in response.content and busiest.email.encode() not in response.content


def test_resting_now_is_todays_count_when_the_range_ended_earlier(client, manager, account_owner):
    """The footer says "Resting now" and opens today's resting list: it is today's count, not the
    last point of a range that ended a year ago."""
    rested = make_contact(make_account(account_owner), status=ReferenceStatus.RESTING)
    change = StatusChange.objects.create(
        contact=rested, from_status=ReferenceStatus.ACTIVE, to_status=ReferenceStatus.RESTING, reason="Tired."
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=timezone.now() - timedelta(days=30))
    end = timezone.localdate() - timedelta(days=365)

    response = _signed_in(client, manager).get(
        PAGE, {"start": (end - timedelta(days=60)).isoformat(), "end": end.isoformat()}
    )
    resting = next(table for table in response.context["view"].tables if table.key == "resting-over-time")

    assert [row.cells[1] for row in resting.rows][-1] == 0  # at the range's end, before the move
    assert resting.footer.cells == ("Resting now", 1)
    assert "which=resting" in resting.footer.link


def test_filters_change_the_figures(client, manager, account_owner):
    _busy(account_owner, 2)
    _busy(account_owner, 3, account={"industry": industry("31")})
    manufacturing = {"industry": industry("31").pk}

    response = _signed_in(client, manager).get(PAGE, manufacturing)
    histogram = next(
        table for table in response.context["view"].tables if table.key == "activities-per-reference"
    )
    assert [row.cells[1] for row in histogram.rows] == [0, 0, 1, 0, 0]
    assert f"industry={manufacturing['industry']}" in histogram.rows[2].link


def test_sales_and_marketing_are_refused_and_executives_read(client, sales_rep, marketer, executive):
    for user in (sales_rep, marketer):
        signed_in = _signed_in(client, user)
        assert signed_in.get(PAGE).status_code == 403
        assert signed_in.get(CONTACTS, {"which": "active"}).status_code == 403
        assert (
            signed_in.get(
                reverse("insights:export", args=["utilization", "concentration", "csv"])
            ).status_code
            == 403
        )
    reader = _signed_in(client, executive)
    assert reader.get(PAGE).status_code == 200
    assert reader.get(CONTACTS, {"which": "promoters"}).status_code == 200


def test_a_table_exports_its_numbers(client, manager, account_owner):
    _busy(account_owner, 2)
    _busy(account_owner, 7)
    url = reverse("insights:export", args=["utilization", "activities-per-reference", "csv"])
    response = _signed_in(client, manager).get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Activities in the range", "References", "Activities"]
    assert rows[1:] == [
        ["1", "0", "0"],
        ["2", "1", "2"],
        ["3", "0", "0"],
        ["4", "0", "0"],
        ["5+", "1", "7"],
        ["All active references", "2", "9"],
    ]


def test_the_contacts_list_shows_no_email_or_phone(client, manager, executive, account_owner):
    busy = _busy(account_owner, 3, last_name="Worn")
    response = _signed_in(client, manager).get(CONTACTS, {"which": "active"})
    assert response.status_code == 200
    assert b"Worn" in response.content and busy.account.name.encode() in response.content
    assert busy.email.encode() not in response.content and busy.phone.encode() not in response.content
    assert reverse("manage:contact", args=[busy.pk]).encode() in response.content
    # An executive reads the same rows, without links into the manager's portal.
    response = _signed_in(client, executive).get(CONTACTS, {"which": "active"})
    assert (
        b"Worn" in response.content
        and reverse("manage:contact", args=[busy.pk]).encode() not in response.content
    )


def test_the_top_ten_percent_list_is_ordered_by_activities(client, manager, account_owner):
    counts = [2, 5, 1, 4, 3, 1, 1, 1, 1, 1, 1, 1]  # a pool of 12: the top 10% is 2
    made = [_busy(account_owner, count) for count in counts]
    response = _signed_in(client, manager).get(CONTACTS, {"which": "top"})
    assert [(c.pk, c.activities_in_range) for c in response.context["page"]] == [
        (made[1].pk, 5),
        (made[3].pk, 4),
    ]


def test_resting_and_recruited_lists(client, manager, account_owner):
    resting = make_contact(make_account(account_owner), status=ReferenceStatus.RESTING)
    make_contact(make_account(account_owner))
    response = _signed_in(client, manager).get(CONTACTS, {"which": "resting"})
    assert [c.pk for c in response.context["page"]] == [resting.pk]
    assert _signed_in(client, manager).get(CONTACTS, {"which": "recruited"}).status_code == 200


@pytest.mark.parametrize(
    "query", [{"which": "everyone"}, {"activities": "0"}, {"activities": "²"}, {"end": "x"}]
)
def test_bad_input_is_a_400_not_a_500(client, manager, query):
    assert _signed_in(client, manager).get(CONTACTS, query).status_code == 400


@pytest.mark.parametrize("size", [3, 30], ids=["few", "many"])
def test_the_page_costs_the_same_however_many_contacts(
    client, manager, account_owner, size, django_assert_num_queries
):
    _program(account_owner, size)
    signed_in = _signed_in(client, manager)
    with django_assert_num_queries(PAGE_QUERIES):
        assert signed_in.get(PAGE).status_code == 200


@pytest.mark.parametrize("size", [3, 30], ids=["few", "many"])
@pytest.mark.parametrize("which", ["active", "top", "at_limit", "unthanked"])
def test_the_contacts_list_costs_the_same_however_many(
    client, manager, account_owner, size, which, django_assert_num_queries
):
    _program(account_owner, size)
    signed_in = _signed_in(client, manager)
    # `top` first reads the pool's size; `active` reads its page's contacts after their counts.
    with django_assert_num_queries(LIST_QUERIES + (which in ("top", "active"))):
        response = signed_in.get(CONTACTS, {"which": which})
    assert response.status_code == 200


def test_the_segment_query_carries_which_to_the_list():
    today = timezone.localdate()
    segment = Segment(today - timedelta(days=9), today, region=4)
    assert "region=4&which=top" in segment.query(which="top")


@pytest.mark.parametrize("which", ["active", "at_limit"])
def test_the_contacts_list_pages_carry_the_total_and_a_page_past_the_end_shows_the_last(
    client, manager, account_owner, which
):
    _program(account_owner, 78)  # 78 active, 26 at a limit: more than a page of each
    signed_in = _signed_in(client, manager)
    first = signed_in.get(CONTACTS, {"which": which}).context["page"]
    total, last = first.paginator.count, first.paginator.num_pages
    assert total == (78 if which == "active" else 26) and last > 1
    pages = [signed_in.get(CONTACTS, {"which": which, "page": n}).context["page"] for n in range(1, last + 1)]
    listed = [contact.pk for page in pages for contact in page]
    assert len(listed) == len(set(listed)) == total  # every contact once, none twice
    assert all(page.paginator.count == total for page in pages)
    past = signed_in.get(CONTACTS, {"which": which, "page": 99}).context["page"]
    assert past.number == last and [c.pk for c in past] == [c.pk for c in pages[-1]]
    nonsense = signed_in.get(CONTACTS, {"which": which, "page": "x"})
    assert nonsense.status_code == 200 and nonsense.context["page"].number == 1
