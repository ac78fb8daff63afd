"""The monthly executive digest (insights.digest): the measures of the last full month against the
month before, the program now against the last digest, once per month to its recipients only."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.errors import InvalidInput
from core.roles import Role
from insights import facts, measures, utilization
from insights.digest import (
    EXECUTIVE_DIGEST,
    Figure,
    compute_figures,
    digest_preview,
    digest_send,
    last_full_month,
    month_key,
    month_segment,
)
from insights.models import DigestIssue, DigestRecipient
from insights.recipients import eligible_users, recipient_add
from limits.models import ContactUsage, UsageState
from notifications.emails import build_email
from notifications.models import Notification
from references.models import CurrencyRate, DealOutcome, ReferenceStatus, StatusChange
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db

OCTOBER, SEPTEMBER = date(2026, 10, 1), date(2026, 9, 1)


@pytest.fixture
def executive(db):
    return factories.make_user("erin", Role.EXECUTIVE, first_name="Erin", last_name="Exec")


@pytest.fixture
def program(sales_rep, customer_contact):
    """October: two influenced won deals ($100,000, and €45,000 at 0.9 per dollar = $50,000), a
    lost one, a won one whose only activity came after it closed, and a recruit; September: one
    influenced won deal of $40,000."""
    CurrencyRate.objects.update_or_create(currency="EUR", defaults={"per_usd": Decimal("0.9")})

    def deal(
        close: date, amount: str, outcome=DealOutcome.WON, currency="USD", activity_on: date | None = None
    ):
        opportunity = factories.make_opportunity(
            sales_rep, close_date=close, amount=Decimal(amount), currency=currency, outcome=outcome
        )
        if activity_on:
            factories.make_activity(customer_contact, activity_on).opportunities.add(opportunity)
        return opportunity

    deal(date(2026, 10, 10), "100000", activity_on=date(2026, 10, 1))
    deal(date(2026, 10, 20), "45000", currency="EUR", activity_on=date(2026, 10, 20))
    deal(date(2026, 10, 12), "70000", outcome=DealOutcome.LOST, activity_on=date(2026, 10, 2))
    deal(date(2026, 10, 5), "90000", activity_on=date(2026, 10, 6))  # the activity came too late
    deal(date(2026, 9, 15), "40000", activity_on=date(2026, 9, 1))
    recruit = factories.make_contact(customer_contact.account)
    change = StatusChange.objects.create(
        contact=recruit,
        from_status=ReferenceStatus.CANDIDATE,
        to_status=ReferenceStatus.ACTIVE,
        reason="Qualified.",
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=datetime(2026, 10, 3, 12, tzinfo=UTC))
    facts.refresh()  # as beat does before the digest


def _figures(view) -> dict[str, Figure]:
    return {figure.code: figure for figure in view.figures}


def test_last_full_month_is_the_calendar_month_before():
    assert last_full_month(date(2026, 11, 1)) == OCTOBER
    assert last_full_month(date(2026, 1, 31)) == date(2025, 12, 1)
    assert month_segment(date(2026, 2, 1)).end == date(2026, 2, 28)


def test_the_digest_says_what_the_measures_say_for_the_month_and_the_one_before(program):
    figures = _figures(digest_preview(OCTOBER))

    for month, side in ((OCTOBER, "value"), (SEPTEMBER, "previous")):
        segment = month_segment(month)
        revenue = measures.influenced_revenue(segment)
        assert getattr(figures["influenced_revenue"], side) == revenue["usd"]
        assert getattr(figures["influenced_deals"], side) == revenue["deals"]
        assert getattr(figures["requests_fulfilled"], side) == measures.requests_fulfilled(segment)
        assert getattr(figures["new_references"], side) == measures.new_references(segment)
        assert getattr(figures["activities_held"], side) == measures.activities_held(segment)
    # …and those are the figures the dataset was built to have.
    assert figures["influenced_revenue"].value == Decimal(150000)
    assert figures["influenced_revenue"].change == "+$110,000 (+275.0%)"
    assert (figures["influenced_deals"].value, figures["influenced_deals"].previous) == (2, 1)
    assert figures["activities_held"].value == 4 and figures["activities_held"].previous == 1
    assert figures["new_references"].change == "new"
    assert figures["requests_fulfilled"].change == "no change"


def test_changes_are_signed_with_percentages_and_new_from_nothing():
    def change(value, previous, money=False):
        return Figure("x", "X", Decimal(value), None if previous is None else Decimal(previous), money).change

    assert change(8, 10) == "−2 (−20.0%)"
    assert change(1500, 1000, money=True) == "+$500 (+50.0%)"
    assert change(3, 0) == "new"
    assert change(0, 0) == change(4, 4) == "no change"
    assert change(4, None) == ""  # nothing to compare with


def test_the_programs_state_now_compares_with_the_last_digest(ref_request):
    DigestIssue.objects.create(
        month=SEPTEMBER,
        figures={"contacts_at_limit": ["2", None], "open_requests": ["4", None]},
        written_at=datetime(2026, 10, 1, tzinfo=UTC),
    )

    figures = compute_figures(OCTOBER)

    assert figures["open_requests"] == ["1", "4"]  # the one open request now, against four then
    assert figures["contacts_at_limit"] == ["0", "2"]
    assert figures["contacts_near_limit"] == ["0", None]  # not in the last digest: no comparison


def test_contacts_at_or_near_a_limit_are_the_utilization_pages_references(account_owner):
    """The digest counts the references the at-limit list it links to shows: a paused contact the
    limits job still holds at a limit is on neither."""
    account = factories.make_account(account_owner)
    for status, state in (
        (ReferenceStatus.ACTIVE, UsageState.LIMITED),
        (ReferenceStatus.RESTING, UsageState.NEAR),
        (ReferenceStatus.PAUSED, UsageState.LIMITED),
        (ReferenceStatus.RETIRED, UsageState.NEAR),
    ):
        contact = factories.make_contact(account, status=status)
        ContactUsage.objects.create(contact=contact, account=account, state=state)

    figures = compute_figures(OCTOBER)

    assert figures["contacts_at_limit"][0] == "1"
    assert figures["contacts_near_limit"][0] == "1"
    assert utilization.limit_shares(month_segment(OCTOBER)) == {"references": 2, "limited": 1, "near": 1}


def test_text_and_html_parts_carry_the_same_figures_and_link_to_the_month(program, manager, settings):
    settings.SITE_URL = "https://rms.example"
    DigestRecipient.objects.create(user=manager)

    assert digest_send(month=OCTOBER) == 1
    email = build_email(Notification.objects.get(kind=EXECUTIVE_DIGEST.code), manager.email)

    html = email.alternatives[0][0]
    assert email.subject == "[RMS] Reference program, October 2026"
    for text in ("$150,000", "$40,000", "+$110,000 (+275.0%)", "new", "no change"):
        assert text in email.body and text in html
    month_page = "https://rms.example/insights/?start=2026-10-01&amp;end=2026-10-31"
    assert month_page in html and month_page.replace("&amp;", "&") in email.body


def test_sent_once_per_month_per_recipient_with_the_figures_of_the_first_send(
    program, manager, second_manager, sales_rep
):
    DigestRecipient.objects.create(user=manager)
    assert digest_send(month=OCTOBER) == 1
    assert digest_send(month=OCTOBER) == 0  # again (beat twice, "Send now" after the 1st): nothing

    factories.make_opportunity(sales_rep, close_date=date(2026, 10, 30), outcome=DealOutcome.WON)
    DigestRecipient.objects.create(user=second_manager)
    assert digest_send(month=OCTOBER) == 1  # only the recipient added since

    rows = Notification.objects.filter(key=month_key(OCTOBER))
    assert sorted(rows.values_list("user__username", flat=True)) == ["maria", "mo"]
    assert len(set(rows.values_list("body", flat=True))) == 1  # the same figures for both
    assert DigestIssue.objects.count() == 1


def test_only_recipients_who_still_read_program_figures_receive_it(
    program, manager, executive, second_manager
):
    DigestRecipient.objects.create(user=manager)
    DigestRecipient.objects.create(user=executive)
    second_manager.groups.clear()  # lost the role: the program's figures are no longer theirs
    DigestRecipient.objects.create(user=second_manager)

    digest_send(month=OCTOBER)

    assert set(Notification.objects.values_list("user__username", flat=True)) == {"maria", "erin"}


def test_a_recipient_is_a_manager_or_an_executive(manager, executive, sales_rep):
    assert set(eligible_users()) == {manager, executive}
    recipient_add(user=executive, actor=manager)
    assert recipient_add(user=executive, actor=manager).user == executive  # twice: still one row
    assert set(eligible_users()) == {manager}
    with pytest.raises(InvalidInput):
        recipient_add(user=sales_rep, actor=manager)


def test_the_beat_sends_it_on_the_first_of_the_month_at_07_15():
    from rms.celery import app

    entry = app.conf.beat_schedule["insights-executive-digest"]
    assert entry["task"] == "insights.executive_digest"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1} and schedule.hour == {7} and schedule.minute == {15}
