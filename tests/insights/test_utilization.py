"""Utilization figures (insights.utilization) on hand-built programs whose answers are known."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from customers.models import GiveBack
from customers.statuses import GiveBackKind
from insights import utilization
from insights.contact_lists import Which, active_ranked, contacts_behind, contacts_on
from insights.segments import Segment
from insights.usage_counts import HISTOGRAM_TOP
from limits.models import ContactUsage, UsageState
from references.models import StatusChange
from references.statuses import ReferenceStatus
from requests_app.statuses import RequestStatus
from tests.builders.catalogue import activity_type, industry, make_account, make_activity, make_contact
from tests.builders.requests import drive_to, make_request

pytestmark = pytest.mark.django_db

RANGE = Segment(date(2025, 1, 1), date(2025, 6, 30))
IN_RANGE = date(2025, 3, 1)


def _with_activities(owner, count: int, *, on: date = IN_RANGE, account=None, **fields):
    contact = make_contact(account or make_account(owner), **fields)
    for index in range(count):
        make_activity(contact, on + timedelta(days=index))
    return contact


def _ids(contacts) -> list[int]:
    return [contact.pk for contact in contacts]


# --- activities per reference ---------------------------------------------------------------


def test_histogram_counts_contacts_by_their_activities_in_the_range(account_owner):
    for count in (1, 2, 2, 5, 6):
        _with_activities(account_owner, count)
    _with_activities(account_owner, 3, on=date(2024, 12, 1))  # before the range: in no bar
    manufacturing = make_account(account_owner, industry=industry("31"))
    _with_activities(account_owner, 4, account=manufacturing)

    histogram = utilization.activity_histogram(RANGE)
    assert histogram.bars == ((1, 1, 1), (2, 2, 4), (3, 0, 0), (4, 1, 4), (5, 2, 11))
    assert (histogram.contacts, histogram.activities) == (6, 20)
    assert histogram.mean == pytest.approx(20 / 6)

    finance = utilization.activity_histogram(Segment(RANGE.start, RANGE.end, industry=industry("52").pk))
    assert finance.bars[3] == (4, 0, 0) and finance.contacts == 5 and finance.mean == pytest.approx(3.2)


def test_the_histogram_of_an_empty_range_has_no_mean(account_owner):
    _with_activities(account_owner, 2)
    empty = utilization.activity_histogram(Segment(date(2020, 1, 1), date(2020, 1, 31)))
    assert empty.contacts == 0 and empty.mean is None and all(bar[1] == 0 for bar in empty.bars)


def test_a_histogram_bar_opens_exactly_its_contacts(manager, account_owner):
    one, two, six = (_with_activities(account_owner, count) for count in (1, 2, 6))
    assert _ids(contacts_behind(manager, RANGE, Which.ACTIVE, 2)) == [two.pk]
    assert _ids(contacts_behind(manager, RANGE, Which.ACTIVE, 5)) == [six.pk]  # the "5+" bar
    listed = list(contacts_behind(manager, RANGE, Which.ACTIVE))
    assert _ids(listed) == [six.pk, two.pk, one.pk]
    assert [contact.activities_in_range for contact in listed] == [6, 2, 1]


# --- at or near a limit, now ----------------------------------------------------------------


def _usage(contact, state: str) -> None:
    ContactUsage.objects.create(contact=contact, account=contact.account, state=state)


def test_shares_at_and_near_a_limit_read_todays_references(manager, account_owner):
    limited = make_contact(make_account(account_owner))
    near = make_contact(make_account(account_owner), status=ReferenceStatus.RESTING)
    _usage(limited, UsageState.LIMITED)
    _usage(near, UsageState.NEAR)
    _usage(make_contact(make_account(account_owner)), UsageState.AVAILABLE)
    make_contact(make_account(account_owner))  # no usage row: available
    _usage(make_contact(make_account(account_owner), status=ReferenceStatus.PAUSED), UsageState.LIMITED)
    make_contact(make_account(account_owner), status=ReferenceStatus.CANDIDATE)

    assert utilization.limit_shares(RANGE) == {"references": 4, "limited": 1, "near": 1}
    assert _ids(contacts_behind(manager, RANGE, Which.AT_LIMIT)) == [limited.pk]
    labels = {c.pk: c.usage_label for c in contacts_behind(manager, RANGE, Which.NEAR_LIMIT)}
    assert labels == {near.pk: UsageState.NEAR.label}


# --- resting over time ----------------------------------------------------------------------


def _moved(subject, from_status: str, to_status: str, when: datetime) -> None:
    field = "account" if subject.__class__.__name__ == "Account" else "contact"
    change = StatusChange.objects.create(
        **{field: subject}, from_status=from_status, to_status=to_status, reason="Test move."
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=when)


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=12), tzinfo=UTC)


def test_resting_series_is_rebuilt_backwards_from_todays_count(account_owner):
    account = make_account(account_owner)
    resting, active = ReferenceStatus.RESTING, ReferenceStatus.ACTIVE
    rested_in_february = make_contact(account, status=resting)
    _moved(rested_in_february, active, resting, _at(date(2025, 2, 10)))
    make_contact(account, status=resting)  # resting since before the range
    back_in_march = make_contact(account)
    _moved(back_in_march, active, resting, _at(date(2024, 12, 1)))
    _moved(back_in_march, resting, active, _at(date(2025, 3, 15)))
    back_in_may = make_contact(account)
    _moved(back_in_may, active, resting, _at(date(2025, 1, 20)))
    _moved(back_in_may, resting, active, _at(date(2025, 5, 1)))
    _moved(account, active, resting, _at(date(2025, 2, 1)))  # an account's row: not a contact
    elsewhere = make_contact(make_account(account_owner, industry=industry("31")), status=resting)
    _moved(elsewhere, active, resting, _at(date(2025, 2, 1)))

    points = utilization.resting_series(Segment(date(2025, 1, 1), date(2025, 4, 15)))
    assert [(p.label, p.day, p.resting) for p in points] == [
        ("Jan 2025", date(2025, 1, 31), 3),
        ("Feb 2025", date(2025, 2, 28), 5),
        ("Mar 2025", date(2025, 3, 31), 4),
        ("Apr 2025", date(2025, 4, 15), 4),
    ]
    finance = Segment(date(2025, 1, 1), date(2025, 4, 15), industry=industry("52").pk)
    assert [p.resting for p in utilization.resting_series(finance)] == [3, 4, 3, 3]


def test_the_statements_moves_rebuild_the_same_series(account_owner):
    # The page reads the moves per period from `usage_counts` (joined to the segment's contacts).
    account = make_account(account_owner)
    resting, active = ReferenceStatus.RESTING, ReferenceStatus.ACTIVE
    rested = make_contact(account, status=resting)
    _moved(rested, active, resting, _at(date(2025, 2, 10)))
    back = make_contact(account)
    _moved(back, active, resting, _at(date(2025, 1, 20)))
    _moved(back, resting, active, _at(date(2025, 5, 1)))
    elsewhere = make_contact(make_account(account_owner, industry=industry("31")), status=resting)
    _moved(elsewhere, active, resting, _at(date(2025, 3, 1)))
    today = date(2025, 6, 10)
    for segment in (
        Segment(date(2025, 1, 1), date(2025, 4, 15)),
        Segment(date(2025, 1, 1), date(2025, 4, 15), industry=industry("52").pk),
        Segment(date(2025, 1, 1), date(2025, 4, 15), activity_type=activity_type("reference_call").pk),
    ):
        counts = utilization.usage_counts(segment, utilization.resting_since(segment, today))
        given = utilization.resting_now_and_series(segment, today, now=counts.resting, moves=counts.moves)
        assert given == utilization.resting_now_and_series(segment, today)
        assert [p.resting for p in given[1]][-1] != given[0]  # a move after the range's end, undone


def test_a_one_month_range_without_moves_counts_todays_resting(account_owner):
    # One period: the CASE has no WHEN, Django groups by nothing, and no move gives one NULL row.
    make_contact(make_account(account_owner), status=ReferenceStatus.RESTING)
    points = utilization.resting_series(Segment(date(2025, 3, 1), date(2025, 3, 20)))
    assert [(p.label, p.day, p.resting) for p in points] == [("Mar 2025", date(2025, 3, 20), 1)]


def test_long_ranges_read_by_quarter_and_stop_at_today():
    long = Segment(date(2023, 1, 15), date(2025, 3, 10))  # 27 months
    ends = utilization.period_ends(long, today=date(2030, 1, 1))
    assert len(ends) == 9 and ends[0] == ("Q1 2023", date(2023, 3, 31))
    assert ends[-1] == ("Q1 2025", date(2025, 3, 10))  # the last quarter ends with the range
    two_years = utilization.period_ends(Segment(date(2023, 1, 1), date(2024, 12, 31)), today=date(2030, 1, 1))
    assert len(two_years) == 24 and two_years[1] == ("Feb 2023", date(2023, 2, 28))
    assert utilization.period_ends(Segment(date(2025, 1, 1), date(2025, 6, 30)), today=date(2025, 3, 5)) == [
        ("Jan 2025", date(2025, 1, 31)),
        ("Feb 2025", date(2025, 2, 28)),
        ("Mar 2025", date(2025, 3, 5)),  # so far: the months after it have not begun
    ]
    by_quarter = utilization.period_ends(long, today=date(2024, 11, 20))
    assert by_quarter[-1] == ("Q4 2024", date(2024, 11, 20))


# --- concentration --------------------------------------------------------------------------


def test_concentration_over_a_pool_whose_top_ten_percent_rounds_up(manager, account_owner):
    counts = (4, 3, 3, 1, 1, 1)
    made = [_with_activities(account_owner, count) for count in counts]
    retired = _with_activities(account_owner, 1, status=ReferenceStatus.RETIRED)  # did one: in the pool
    idle = [make_contact(make_account(account_owner)) for _ in range(3)]
    idle.append(make_contact(make_account(account_owner), status=ReferenceStatus.PAUSED))
    make_contact(make_account(account_owner), status=ReferenceStatus.CANDIDATE)  # not in the program

    shares = utilization.concentration(RANGE)
    assert shares.pool == 11 and shares.top_share_size == 2  # 10% of 11, rounded up
    assert (shares.activities, shares.top_five, shares.top_share) == (14, 12, 7)
    top = list(contacts_behind(manager, RANGE, Which.TOP))
    assert _ids(top) == [made[0].pk, made[1].pk]  # the tie at 3 goes to the lower id
    assert retired.pk not in _ids(top) and idle[0].pk not in _ids(top)
    top_five = list(contacts_behind(manager, RANGE, Which.TOP_FIVE))  # the "top 5" row's rows
    assert _ids(top_five) == [contact.pk for contact in made[:5]]
    assert sum(contact.activities_in_range for contact in top_five) == shares.top_five


def test_top_ten_percent_sizes():
    assert [utilization.top_share_size(pool) for pool in (0, 1, 10, 11, 30, 31)] == [0, 1, 1, 2, 3, 4]


def test_concentration_follows_the_segment(account_owner):
    _with_activities(account_owner, 5)
    _with_activities(account_owner, 2, account=make_account(account_owner, industry=industry("31")))
    shares = utilization.concentration(Segment(RANGE.start, RANGE.end, industry=industry("31").pk))
    assert (shares.pool, shares.activities, shares.top_five, shares.top_share) == (1, 2, 2, 2)


# --- promoters never asked ------------------------------------------------------------------


def test_promoters_never_asked(manager, sales_rep, account_owner):
    promoters = make_account(account_owner, nps=9)
    never = make_contact(promoters)
    asked = make_contact(promoters)
    drive_to(make_request(sales_rep, asked), RequestStatus.CUSTOMER_ASKED, asked, manager)
    make_activity(make_contact(promoters), date(2019, 5, 1))  # did one, long ago
    make_contact(promoters, status=ReferenceStatus.RESTING)
    make_contact(make_account(account_owner, nps=8))
    make_contact(make_account(account_owner, nps=None))

    assert _ids(utilization.promoters_never_asked(RANGE)) == [never.pk]
    assert _ids(contacts_behind(manager, RANGE, Which.PROMOTERS)) == [never.pk]


# --- asks against give-back -----------------------------------------------------------------


def test_asks_against_give_back_over_the_range(manager, sales_rep, account_owner):
    today = timezone.localdate()
    recent = Segment(today - timedelta(days=89), today)
    unthanked = _with_activities(account_owner, 3, on=today - timedelta(days=80))
    thanked = _with_activities(account_owner, 2, on=today - timedelta(days=70))
    drive_to(make_request(sales_rep, thanked), RequestStatus.CUSTOMER_ASKED, thanked, manager)  # in flight
    GiveBack.objects.create(contact=thanked, kind=GiveBackKind.BETA_SEAT, given_on=today - timedelta(days=5))
    thanked_long_ago = _with_activities(account_owner, 4, on=today - timedelta(days=60))
    GiveBack.objects.create(
        contact=thanked_long_ago, kind=GiveBackKind.PEER_EVENT, given_on=today - timedelta(days=200)
    )
    _with_activities(account_owner, 2, on=today - timedelta(days=50))  # asked twice: not 3+

    assert utilization.asks_and_give_back(recent) == {"asks": 12, "given": 1, "unthanked": 2}
    assert set(_ids(contacts_behind(manager, recent, Which.UNTHANKED))) == {unthanked.pk, thanked_long_ago.pk}
    finance_only = Segment(recent.start, recent.end, industry=industry("31").pk)
    assert utilization.asks_and_give_back(finance_only) == {"asks": 0, "given": 0, "unthanked": 0}


# --- the page's one statement agrees with each figure's own query ---------------------------


def _mixed_program(manager, sales_rep, account_owner) -> None:
    """Contacts of every kind the counts tell apart: statuses, usage, promoters, activities of
    two types (one done at an account that is no longer the contact's), asks and give-back."""
    finance, manufacturing = (
        make_account(account_owner, nps=9),
        make_account(account_owner, industry=industry("31")),
    )
    for index, status in enumerate(ReferenceStatus.values * 2):
        contact = make_contact(
            finance if index % 2 else manufacturing,
            status=status,
            activity_types=("reference_call",) if index % 3 else ("case_study",),
        )
        for day in range(index % 7):
            make_activity(
                contact, IN_RANGE + timedelta(days=day), "case_study" if day % 2 else "reference_call"
            )
        if index % 4 == 0:
            _usage(contact, (UsageState.LIMITED, UsageState.NEAR, UsageState.AVAILABLE)[index % 3])
        if index % 5 == 0:
            GiveBack.objects.create(contact=contact, kind=GiveBackKind.BETA_SEAT, given_on=IN_RANGE)
    moved = make_contact(finance)
    done_elsewhere = make_activity(moved, IN_RANGE)
    type(done_elsewhere).objects.filter(pk=done_elsewhere.pk).update(
        account=manufacturing
    )  # another account's
    drive_to(make_request(sales_rep, moved), RequestStatus.CUSTOMER_ASKED, moved, manager)


@pytest.mark.parametrize("filters", [{}, {"industry": "52"}, {"activity_type": "case_study"}])
def test_the_pages_counts_agree_with_each_figures_own_query(manager, sales_rep, account_owner, filters):
    _mixed_program(manager, sales_rep, account_owner)
    values = {
        "industry": lambda code: industry(code).pk,
        "activity_type": lambda code: activity_type(code).pk,
    }
    segment = Segment(RANGE.start, RANGE.end, **{name: values[name](code) for name, code in filters.items()})

    counts = utilization.usage_counts(segment)
    assert counts.limits == utilization.limit_shares(segment)
    assert counts.resting == utilization.resting_now(segment).count()
    assert counts.promoters == utilization.promoters_never_asked(segment).count()
    assert counts.spread.pool == utilization.program_pool(segment).count()
    active = list(contacts_behind(manager, segment, Which.ACTIVE))
    histogram = counts.spread.histogram()
    assert (histogram.contacts, histogram.activities) == (
        len(active),
        sum(c.activities_in_range for c in active),
    )
    top = list(contacts_behind(manager, segment, Which.TOP))
    assert (
        sum(c.activities_in_range for c in top) == utilization.concentration(segment, counts.spread).top_share
    )
    unthanked = utilization.unthanked(segment).count()
    assert counts.balance["unthanked"] == unthanked and counts.balance["asks"] > 0


@pytest.mark.parametrize("activities", [None, 1, 2, HISTOGRAM_TOP])
def test_the_active_list_ranked_from_the_counts_is_the_figures_list(
    manager, sales_rep, account_owner, activities
):
    # The page lists active references from `active_ranked` (counted once per contact), the
    # other lists from `contacts_behind`: both must give the same contacts, counts and order.
    _mixed_program(manager, sales_rep, account_owner)
    expected = list(contacts_behind(manager, RANGE, Which.ACTIVE, activities))
    ranked = contacts_on(active_ranked(manager, RANGE, activities))
    assert [(c.pk, c.activities_in_range, c.usage_label, c.account.name) for c in ranked] == [
        (c.pk, c.activities_in_range, c.usage_label, c.account.name) for c in expected
    ]
    assert expected or activities == HISTOGRAM_TOP
    assert not active_ranked(sales_rep, RANGE, activities).exists()  # a rep reads no insights
