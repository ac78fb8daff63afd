"""The periodic job judges again only the contacts whose inputs changed — and what it stores is
exactly what judging everyone would store. Each test runs twice: with the job finding those
contacts from the changes the triggers noted (hourly and daily runs), and from every contact's
checksum (the weekly run that verifies)."""

from datetime import date, timedelta
from functools import partial

import pytest

from limits.models import ContactUsage, LimitPolicy, LimitRule
from limits.services import limit_check
from limits.usage import usage_recompute
from references.models import ActivityType, ParticipationPreferences, ReferenceActivity
from tests.builders import catalogue as factories
from tests.limits.judging import assert_same_as_judging_everyone

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture(params=["noted", "checksums"])
def recompute(request):
    """The job, finding whom to judge again as the hourly runs do or as the weekly one does."""
    return partial(usage_recompute, verify=request.param == "checksums")


@pytest.fixture
def people(policy, account_owner):
    """Two contacts sharing an account, one at the program's limit, one with an own cap, one who
    spoke at a one-to-many event, and one at an account of their own who is not touched."""
    shared = factories.make_account(account_owner, name="Shared")
    people = {
        "first": factories.make_contact(shared, first_name="First"),
        "second": factories.make_contact(shared, first_name="Second"),
        "full": factories.make_contact(factories.make_account(account_owner), first_name="Full"),
        "capped": factories.make_contact(factories.make_account(account_owner), first_name="Capped"),
        "speaker": factories.make_contact(factories.make_account(account_owner), first_name="Speaker"),
        "quiet": factories.make_contact(factories.make_account(account_owner), first_name="Quiet"),
    }
    for n in (60, 30):
        factories.make_activity(people["first"], ago(n))
    factories.make_activity(people["second"], ago(45))
    for n in (80, 70, 40, 20):
        factories.make_activity(people["full"], ago(n))
    factories.make_activity(people["capped"], ago(10))
    factories.make_activity(people["speaker"], ago(35), code="peer_networking")
    factories.make_activity(people["quiet"], ago(50))
    return people


def test_a_second_run_judges_nobody_and_a_change_judges_only_that_contacts_account(recompute, people):
    first = recompute(today=TODAY)
    assert first.full  # nothing stored yet: everyone is judged

    again = recompute(today=TODAY)
    assert (again.full, again.judged, again.changed_anything) == (False, 0, False)

    factories.make_activity(people["first"], ago(5))
    after = recompute(today=TODAY)

    assert (after.full, after.judged) == (False, 2)  # "first" and, sharing the account, "second"
    assert ContactUsage.objects.get(contact=people["first"]).used == 3
    assert_same_as_judging_everyone(TODAY)


def test_the_same_number_of_uses_on_other_days_is_noticed(recompute, people):
    recompute(today=TODAY)
    full = people["full"]
    assert ContactUsage.objects.get(contact=full).available_from == ago(80) + timedelta(days=90)

    # The oldest use was recorded on the wrong day: moved later, same count, same last day.
    ReferenceActivity.objects.filter(contact=full, occurred_on=ago(80)).update(occurred_on=ago(50))
    recompute(today=TODAY)

    usage = ContactUsage.objects.get(contact=full)
    check = limit_check(contact=full, activity_type=factories.activity_type(), on_date=TODAY)
    assert usage.available_from == ago(70) + timedelta(days=90) == check.available_from
    assert_same_as_judging_everyone(TODAY)


def test_a_new_own_cap_a_repeated_occurrence_and_a_new_day_are_judged_again(recompute, people):
    recompute(today=TODAY)

    ParticipationPreferences.objects.filter(contact=people["capped"]).update(own_cap_per_quarter=1)
    # The same webinar serving a second deal: a one-to-many occurrence still counts once.
    factories.make_activity(people["speaker"], ago(35), code="peer_networking")
    recompute(today=TODAY)

    capped = ContactUsage.objects.get(contact=people["capped"])
    assert (capped.state, capped.limit_code, capped.own_cap) == ("limited", "own_cap", 1)
    assert ContactUsage.objects.get(contact=people["speaker"]).used == 1
    assert_same_as_judging_everyone(TODAY)

    # A month later: uses have left the window and rest periods have ended.
    later = TODAY + timedelta(days=31)
    moved = recompute(today=later)
    assert not moved.full and moved.judged
    assert ContactUsage.objects.get(contact=people["full"]).used == 2
    assert_same_as_judging_everyone(later)


def test_a_changed_policy_rule_or_activity_type_judges_everyone_again(recompute, people):
    recompute(today=TODAY)

    policy = LimitPolicy.current()
    policy.contact_max = 2
    policy.save()
    stricter = recompute(today=TODAY)
    assert stricter.full
    assert ContactUsage.objects.get(contact=people["first"]).state == "limited"

    LimitRule.objects.create(account=people["quiet"].account, account_max=1, reason="Asked us to go easy")
    assert recompute(today=TODAY).full
    assert ContactUsage.objects.get(contact=people["quiet"]).limit_code == "account_rule"

    ActivityType.objects.filter(code="peer_networking").update(counts_toward_limits=False)
    assert recompute(today=TODAY).full
    assert not ContactUsage.objects.filter(contact=people["speaker"]).exists()
    assert_same_as_judging_everyone(TODAY)


def test_a_large_share_of_the_program_to_judge_again_judges_everyone(recompute, people, monkeypatch):
    recompute(today=TODAY)
    monkeypatch.setattr("limits.usage.changed.SCOPE_LIMIT", 1)  # two contacts of one account will exceed it

    factories.make_activity(people["second"], ago(3))
    result = recompute(today=TODAY)

    assert result.full and result.judged is None
    assert ContactUsage.objects.get(contact=people["second"]).used == 2
    assert_same_as_judging_everyone(TODAY)


def test_a_new_request_judges_the_account_the_contact_is_counted_under(
    recompute, policy, account_owner, sales_rep
):
    from requests_app.models import ReferenceRequest

    spoke_for = factories.make_account(account_owner, name="Spoke for")  # the lower id: counted here
    moved_to = factories.make_account(account_owner, name="Moved to")
    mover = factories.make_contact(moved_to, first_name="Mover")
    ReferenceActivity.objects.create(
        contact=mover, account=spoke_for, activity_type=factories.activity_type(), occurred_on=ago(10)
    )
    busy = factories.make_contact(spoke_for, first_name="Busy")
    for n in (60, 40, 30, 20):
        factories.make_activity(busy, ago(n))
    recompute(today=TODAY)  # the account has used 5 of its 6 slots

    ReferenceRequest.objects.create(
        requester=sales_rep,
        opportunity=factories.make_opportunity(sales_rep),
        activity_type=factories.activity_type(),
        needed_by=TODAY + timedelta(days=30),
        status="awaiting_owner",
        chosen_contact=mover,
    )
    recompute(today=TODAY)

    usage = ContactUsage.objects.get(contact=mover)  # 2 of their 4, but the account's 6 of 6
    assert (usage.used, usage.state, usage.limit_code) == (2, "limited", "account_window")
    assert_same_as_judging_everyone(TODAY)


def test_a_new_quarter_judges_everyone_and_frees_own_caps(recompute, policy, account_owner):
    capped = factories.make_contact(factories.make_account(account_owner), prefs={"own_cap_per_quarter": 1})
    factories.make_activity(capped, date(2026, 6, 1))
    recompute(today=date(2026, 6, 25))
    usage = ContactUsage.objects.get(contact=capped)
    assert (usage.limit_code, usage.available_from) == ("own_cap", date(2026, 7, 1))

    new_quarter = recompute(today=date(2026, 7, 2))

    assert new_quarter.full  # own caps run to the end of the quarter: everyone is judged again
    assert ContactUsage.objects.get(contact=capped).state != "limited"
    assert not recompute(today=date(2026, 7, 3)).full
    assert_same_as_judging_everyone(date(2026, 7, 3))


def test_a_use_leaving_a_short_window_but_not_the_quarter_is_noticed(recompute, policy, account_owner):
    policy.window_days = 30  # shorter than a quarter: a use can leave the window and stay in the quarter
    policy.save()
    spoke = factories.make_contact(factories.make_account(account_owner), prefs={"own_cap_per_quarter": 3})
    factories.make_activity(spoke, ago(25))
    recompute(today=TODAY)
    assert ContactUsage.objects.get(contact=spoke).used == 1

    later = TODAY + timedelta(days=6)  # the use is 31 days old now, and still in this quarter
    recompute(today=later)

    usage = ContactUsage.objects.get(contact=spoke)
    assert (usage.used, usage.quarter_used, usage.slots_left) == (0, 1, 2)  # own cap: 3 - 1
    assert_same_as_judging_everyone(later)


def test_a_use_changing_type_on_the_same_day_is_noticed(recompute, policy, account_owner):
    speaker = factories.make_contact(factories.make_account(account_owner))
    # The same webinar serving two deals: one use...
    factories.make_activity(speaker, ago(20), code="peer_networking")
    second = factories.make_activity(speaker, ago(20), code="peer_networking")
    recompute(today=TODAY)
    assert ContactUsage.objects.get(contact=speaker).used == 1

    # ...until the second is corrected to what it was: a speaking slot the same day, a use of its own.
    ReferenceActivity.objects.filter(pk=second.pk).update(
        activity_type=factories.activity_type("speaking_slot")
    )
    recompute(today=TODAY)

    assert ContactUsage.objects.get(contact=speaker).used == 2
    assert_same_as_judging_everyone(TODAY)


def test_a_contact_the_job_rested_comes_back_when_freed_after_several_rule_changes(recompute, people):
    first = people["first"]
    recompute(today=TODAY)
    policy = LimitPolicy.current()
    policy.contact_max = 2
    policy.save()
    recompute(today=TODAY)
    first.refresh_from_db()
    assert first.status == "resting"
    assert ContactUsage.objects.get(contact=first).rested_by_job

    # Another change of the rules writes every row again: the job still knows it rested them.
    LimitRule.objects.create(account=people["quiet"].account, account_max=1, reason="Asked us to go easy")
    recompute(today=TODAY)
    assert ContactUsage.objects.get(contact=first).rested_by_job

    policy.contact_max = 4
    policy.save()
    freed = recompute(today=TODAY)

    first.refresh_from_db()
    assert (freed.freed, first.status) == (1, "active")
    assert_same_as_judging_everyone(TODAY)


def test_two_uses_swapping_their_types_between_runs_are_noticed(recompute, policy, account_owner):
    contact = factories.make_contact(factories.make_account(account_owner))
    corrected = factories.make_activity(contact, ago(10), code="case_study")
    factories.make_activity(contact, ago(10), code="case_study")  # the same occurrence, another deal
    video = factories.make_activity(contact, ago(20), code="video")
    recompute(today=TODAY)
    assert ContactUsage.objects.get(contact=contact).used == 2

    # Two corrections before the next run: the types trade places, the occurrence is two uses now.
    ReferenceActivity.objects.filter(pk=corrected.pk).update(activity_type=factories.activity_type("video"))
    ReferenceActivity.objects.filter(pk=video.pk).update(activity_type=factories.activity_type("case_study"))
    recompute(today=TODAY)

    assert ContactUsage.objects.get(contact=contact).used == 3
    assert_same_as_judging_everyone(TODAY)


def test_a_rest_longer_than_the_window_is_kept(recompute, policy, account_owner):
    policy.window_days, policy.rest_days = 30, 60
    policy.save()
    rested = factories.make_contact(factories.make_account(account_owner))
    factories.make_activity(rested, ago(55))  # out of the window, and of this quarter

    recompute(today=TODAY)

    usage = ContactUsage.objects.get(contact=rested)
    check = limit_check(contact=rested, activity_type=factories.activity_type(), on_date=TODAY)
    assert usage.available_from == ago(55) + timedelta(days=60) == check.available_from
    assert_same_as_judging_everyone(TODAY)
    assert recompute(today=TODAY + timedelta(days=6)).judged  # free again: judged, and let go
    assert not ContactUsage.objects.filter(contact=rested).exists()
