"""The limit rules for one contact (limits.services.limit_check), each on its own."""

from datetime import date, timedelta

import pytest

from limits.models import LimitRule
from limits.rules import quarter_bounds
from limits.services import limit_check
from references.models import BlackoutPeriod, ParticipationPreferences
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request

# A fixed day keeps windows, quarters and rests independent of when the suite runs.
DAY = date(2026, 5, 20)


def days_before(n: int) -> date:
    return DAY - timedelta(days=n)


def test_a_contact_with_free_slots_is_available(policy, contact, call):
    factories.make_activity(contact, days_before(30))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.ok and result.reason == "" and result.message == ""
    assert result.available_from == DAY
    assert result.slots_left == 3


def test_the_window_counts_the_last_90_days_and_no_more(policy, contact, call):
    for n in (89, 60, 40, 20):
        factories.make_activity(contact, days_before(n))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert not result.ok and result.limit == "contact_window"
    assert "4 reference activities in the last 90 days" in result.reason
    assert "allows 4 per contact" in result.reason
    # The oldest of the four leaves the window on its 90th day.
    assert result.available_from == days_before(89) + timedelta(days=90) == DAY + timedelta(days=1)
    assert "Available from" in result.message
    assert limit_check(contact=contact, activity_type=call, on_date=DAY + timedelta(days=1)).ok


def test_an_activity_90_days_ago_no_longer_counts(policy, contact, call):
    for n in (90, 60, 40, 20):
        factories.make_activity(contact, days_before(n))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.ok and result.slots_left == 1


def test_a_contact_rests_after_each_activity(policy, contact, call):
    factories.make_activity(contact, days_before(13))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.limit == "rest" and "rests 14 days" in result.reason
    assert result.available_from == days_before(13) + timedelta(days=14)
    assert limit_check(contact=contact, activity_type=call, on_date=result.available_from).ok


def test_a_blackout_blocks_until_the_day_after_it_ends_and_cannot_be_overridden(policy, contact, call):
    BlackoutPeriod.objects.create(
        contact=contact, start=days_before(2), end=DAY + timedelta(days=5), reason="Audit"
    )
    BlackoutPeriod.objects.create(contact=contact, start=days_before(30), end=days_before(1))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.limit == "blackout" and "(Audit)" in result.reason
    assert not result.overridable
    assert result.available_from == DAY + timedelta(days=6)


def test_the_contacts_own_cap_wins_when_it_is_lower(policy, contact, call):
    ParticipationPreferences.objects.filter(contact=contact).update(own_cap_per_quarter=2)
    quarter_start, next_quarter = quarter_bounds(DAY)
    factories.make_activity(contact, quarter_start + timedelta(days=1))
    factories.make_activity(contact, quarter_start + timedelta(days=20))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.limit == "own_cap"
    assert "at most 2 activities per quarter and has 2 this quarter" in result.reason
    assert result.available_from == next_quarter == date(2026, 7, 1)


def test_a_higher_own_cap_does_not_loosen_the_program_limit(policy, contact, call):
    ParticipationPreferences.objects.filter(contact=contact).update(own_cap_per_quarter=10)
    for n in (80, 60, 40, 20):
        factories.make_activity(contact, days_before(n))

    assert limit_check(contact=contact, activity_type=call, on_date=DAY).limit == "contact_window"


def test_the_account_limit_counts_every_contact_of_the_account(policy, account, contact, call):
    others = [factories.make_contact(account) for _ in range(3)]
    for i, other in enumerate(others):
        factories.make_activity(other, days_before(70 - i))
        factories.make_activity(other, days_before(30 - i))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.limit == "account_window"
    assert (
        "Initech has 6 reference activities in the last 90 days across its contacts, held or approved"
        in result.reason
    )
    # Free once the 6th most recent of the account's activities (70 days ago) leaves the window.
    assert result.available_from == days_before(70) + timedelta(days=90)


def test_a_one_to_many_event_counts_once_per_speaking_contact(policy, contact, call):
    for _opportunity in range(3):  # one webinar serving three deals, recorded three times
        factories.make_activity(contact, days_before(40), code="peer_networking")
    factories.make_activity(contact, days_before(30))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.ok and result.slots_left == 2


def test_an_activity_type_that_uses_no_slot_is_not_held_back_by_counts(policy, contact):
    for n in (80, 60, 40, 20):
        factories.make_activity(contact, days_before(n))
    advisory_board = factories.activity_type("advisory_board")

    result = limit_check(contact=contact, activity_type=advisory_board, on_date=DAY)

    assert result.ok and result.slots_left is None


def test_a_stricter_rule_for_a_contact_wins(policy, contact, call):
    LimitRule.objects.create(contact=contact, contact_max=2, reason="Asked by their CEO")
    factories.make_activity(contact, days_before(60))
    factories.make_activity(contact, days_before(30))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.limit == "contact_rule"
    assert "a stricter limit allows 2 per contact (Asked by their CEO)" in result.reason
    assert result.available_from == days_before(60) + timedelta(days=90)


def test_a_stricter_rule_for_an_account_caps_all_its_contacts(policy, account, contact, call):
    LimitRule.objects.create(account=account, account_max=2, rest_days=30)
    other = factories.make_contact(account)
    factories.make_activity(other, days_before(50))
    factories.make_activity(other, days_before(40))

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.limit == "account_rule"
    assert limit_check(contact=other, activity_type=call, on_date=DAY).limit == "account_rule"


def test_a_rule_for_an_activity_type_counts_only_that_type(policy, contact, call):
    press = factories.activity_type("press_interview")
    LimitRule.objects.create(activity_type=press, contact_max=1, rest_days=60)
    factories.make_activity(contact, days_before(45), code="press_interview")

    press_result = limit_check(contact=contact, activity_type=press, on_date=DAY)

    assert press_result.limit == "rule_rest"
    assert {hit.code for hit in press_result.hits} == {"rule_rest", "contact_rule"}
    assert press_result.available_from == days_before(45) + timedelta(days=90)
    assert limit_check(contact=contact, activity_type=call, on_date=DAY).ok


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("open_escalations", 1, "open_escalation"), ("at_risk", True, "at_risk")],
)
def test_an_unhealthy_account_is_not_asked_and_no_date_is_given(
    policy, account, contact, call, field, value, code
):
    setattr(account, field, value)
    account.save()
    contact.refresh_from_db()

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.limit == code and result.available_from is None
    assert "No date can be given" in result.message


def test_no_asks_in_the_days_before_a_renewal(policy, account, contact, call):
    account.renewal_date = DAY + timedelta(days=30)
    account.save()
    contact.refresh_from_db()

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    assert result.limit == "renewal" and result.available_from == DAY + timedelta(days=31)
    assert limit_check(contact=contact, activity_type=call, on_date=DAY - timedelta(days=1)).ok


def test_limits_stack_and_the_first_free_day_clears_all_of_them(policy, contact, call):
    for n in (80, 60, 40, 10):
        factories.make_activity(contact, days_before(n))
    BlackoutPeriod.objects.create(
        contact=contact, start=DAY + timedelta(days=5), end=DAY + timedelta(days=20)
    )

    result = limit_check(contact=contact, activity_type=call, on_date=DAY)

    # The window frees on day +10 (80 days ago + 90), inside the blackout: free the day after it.
    assert {hit.code for hit in result.hits} == {"rest", "contact_window"}
    assert result.available_from == DAY + timedelta(days=21)


def test_approved_requests_not_yet_held_use_a_slot(policy, sales_rep, manager, contact, call):
    for n in (80, 60, 40):
        factories.make_activity(contact, date.today() - timedelta(days=n))
    approved = drive_to(make_request(sales_rep, contact), "awaiting_owner", contact, manager)

    result = limit_check(contact=contact, activity_type=call, on_date=date.today())

    assert result.limit == "contact_window"
    assert limit_check(contact=contact, activity_type=call, on_date=date.today(), exclude_request=approved).ok
