"""The database notes every change to a contact's uses or own cap (limits.UsageChange, written by
triggers), and the hourly job judges those contacts again from the notes alone — arriving at
what judging everyone would store, whatever the edits."""

import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from limits.models import ContactUsage, LimitRule, UsageChange
from limits.tasks import recompute as recompute_task
from limits.tasks import verify as verify_task
from limits.usage import usage_recompute
from references.models import ActivityType, Contact, ParticipationPreferences, ReferenceActivity
from requests_app.models import ReferenceRequest
from rms.celery import app as celery_app
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from tests.limits.judging import assert_same_as_judging_everyone
from workflows.services import request_transition

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)


def taken() -> set[int]:
    """The contacts noted since the last call, as the job takes them."""
    noted = set(UsageChange.objects.values_list("contact_id", flat=True))
    UsageChange.objects.all().delete()
    return noted


def test_every_change_to_a_contacts_uses_or_own_cap_is_noted_and_nothing_else(policy, account_owner):
    account = factories.make_account(account_owner)
    first, second = factories.make_contact(account), factories.make_contact(account)
    taken()

    activity = factories.make_activity(first, TODAY)
    assert taken() == {first.pk}

    ReferenceActivity.objects.filter(pk=activity.pk).update(notes="Went well", duration_minutes=30)
    activity.refresh_from_db()
    activity.save()  # saving every column, none of them changed
    assert taken() == set()

    ReferenceActivity.objects.filter(pk=activity.pk).update(occurred_on=TODAY - timedelta(days=3))
    assert taken() == {first.pk}
    ReferenceActivity.objects.filter(pk=activity.pk).update(activity_type=factories.activity_type("video"))
    assert taken() == {first.pk}

    ReferenceActivity.objects.filter(pk=activity.pk).update(contact=second)  # recorded on the wrong person
    assert taken() == {first.pk, second.pk}

    ReferenceActivity.objects.filter(pk=activity.pk).delete()
    assert taken() == {second.pk}

    ReferenceActivity.objects.bulk_create(
        ReferenceActivity(
            contact=contact, account=account, activity_type=factories.activity_type(), occurred_on=TODAY
        )
        for contact in (first, second, first)
    )
    assert taken() == {first.pk, second.pk}

    preferences = ParticipationPreferences.objects.filter(contact=second)
    preferences.update(own_cap_per_quarter=2)
    assert taken() == {second.pk}
    preferences.update(preferred_channel="phone", wants_in_return="Product influence")
    assert taken() == set()
    preferences.update(own_cap_per_quarter=None)
    assert taken() == {second.pk}


def test_a_contact_is_noted_when_created_or_moved_to_another_account(policy, account_owner):
    """Their account's limit holds back even a contact who has used nothing."""
    account, other = factories.make_account(account_owner), factories.make_account(account_owner)
    taken()
    contact = factories.make_contact(account)
    assert taken() == {contact.pk}

    Contact.objects.filter(pk=contact.pk).update(status="resting", title="CTO")  # as the job moves them
    assert taken() == set()
    Contact.objects.filter(pk=contact.pk).update(account=other)
    assert taken() == {contact.pk}


def test_a_requests_chosen_contact_is_noted_when_its_status_contact_or_type_changes(
    policy, account_owner, sales_rep
):
    account = factories.make_account(account_owner)
    first, second = factories.make_contact(account), factories.make_contact(account)
    taken()  # new contacts are noted (the next test)
    request = ReferenceRequest.objects.create(
        requester=sales_rep, campaign="Launch", activity_type=factories.activity_type(), needed_by=TODAY
    )
    assert taken() == set()  # nobody chosen yet
    requests = ReferenceRequest.objects.filter(pk=request.pk)

    requests.update(status="awaiting_owner", chosen_contact=first)
    assert taken() == {first.pk}
    requests.update(needed_by=TODAY + timedelta(days=7), campaign="Relaunch")
    assert taken() == set()
    requests.update(chosen_contact=second)
    assert taken() == {first.pk, second.pk}
    requests.update(activity_type=factories.activity_type("video"))
    assert taken() == {second.pk}
    requests.update(status="cancelled")
    assert taken() == {second.pk}
    requests.delete()
    assert taken() == {second.pk}


def test_the_job_takes_the_notes_and_judges_only_what_they_name(policy, account_owner):
    quiet = factories.make_contact(factories.make_account(account_owner))
    busy = factories.make_contact(factories.make_account(account_owner))
    factories.make_activity(quiet, TODAY - timedelta(days=40))
    usage_recompute(today=TODAY)
    assert not UsageChange.objects.exists()

    factories.make_activity(busy, TODAY - timedelta(days=2))
    result = usage_recompute(today=TODAY)

    assert (result.full, result.judged) == (False, 1)
    assert ContactUsage.objects.get(contact=busy).used == 1
    assert not UsageChange.objects.exists()
    assert usage_recompute(today=TODAY).judged == 0


def test_a_change_the_triggers_did_not_see_is_found_by_the_weekly_verifying_run(policy, account_owner):
    contact = factories.make_contact(factories.make_account(account_owner))
    factories.make_activity(contact, TODAY - timedelta(days=30))
    usage_recompute(today=TODAY)

    factories.make_activity(contact, TODAY - timedelta(days=10))
    UsageChange.objects.all().delete()  # as a restore with the triggers disabled would leave it

    assert usage_recompute(today=TODAY).judged == 0  # the hourly run cannot know
    assert ContactUsage.objects.get(contact=contact).used == 1
    verified = usage_recompute(today=TODAY, verify=True)

    assert (verified.full, verified.judged) == (False, 1)
    assert ContactUsage.objects.get(contact=contact).used == 2
    assert_same_as_judging_everyone(TODAY)


def test_beat_runs_the_verifying_task_weekly(policy, account_owner):
    entry = celery_app.conf.beat_schedule["limits-verify"]
    assert entry["task"] == verify_task.name and entry["schedule"].day_of_week == {0}  # Sundays
    contact = factories.make_contact(factories.make_account(account_owner))
    factories.make_activity(contact, timezone.localdate() - timedelta(days=40))
    recompute_task()
    factories.make_activity(contact, timezone.localdate() - timedelta(days=5))
    UsageChange.objects.all().delete()

    assert recompute_task()["judged"] == 0
    assert verify_task()["judged"] == 1
    assert ContactUsage.objects.get(contact=contact).used == 2


def test_a_request_cancelled_after_approval_frees_its_slot_at_the_next_run(
    policy, account_owner, sales_rep, manager
):
    today = date.today()
    contact = factories.make_contact(factories.make_account(account_owner))
    for n in (80, 60, 40):
        factories.make_activity(contact, today - timedelta(days=n))
    request = drive_to(make_request(sales_rep, contact), "awaiting_owner", contact, manager)
    assert usage_recompute(today=today).rested == 1  # the approved request is the fourth use

    request_transition(request_id=request.pk, action="cancel", actor=sales_rep, note="Deal lost")
    freed = usage_recompute(today=today)

    contact.refresh_from_db()
    assert (freed.freed, freed.reactivated, contact.status) == (1, 1, "active")
    assert ContactUsage.objects.get(contact=contact).used == 3
    assert_same_as_judging_everyone(today)


def test_a_contact_whose_use_for_the_lowest_account_leaves_the_window_counts_toward_the_other(
    policy, account_owner
):
    """X spoke for account A (before moving to B) 85 days ago and for B 10 days ago: counted
    toward A until that use leaves the window, then toward B, whose last slot X then fills."""
    a, b = factories.make_account(account_owner), factories.make_account(account_owner)
    x, y, z = (factories.make_contact(b) for _ in range(3))
    ReferenceActivity.objects.create(
        contact=x, account=a, activity_type=factories.activity_type(), occurred_on=TODAY - timedelta(days=85)
    )
    factories.make_activity(x, TODAY - timedelta(days=10))
    for n in (70, 50, 30):
        factories.make_activity(y, TODAY - timedelta(days=n))
    for n in (60, 40):
        factories.make_activity(z, TODAY - timedelta(days=n))
    usage_recompute(today=TODAY)
    assert ContactUsage.objects.get(contact=x).account_id == a.pk

    later = TODAY + timedelta(days=5)
    usage_recompute(today=later)

    usage = ContactUsage.objects.filter(contact__in=(x, y, z))
    assert {(u.account_id, u.limit_code) for u in usage} == {(b.pk, "account_window")}
    assert_same_as_judging_everyone(later)


def test_a_use_from_before_the_quarter_stops_counting_when_the_longest_rest_ends(policy, account_owner):
    """A rule elsewhere rests contacts 60 days, longer than the 30-day window: a use from before
    the quarter counts (for the rest) until 60 days after it, then must leave the stored usage."""
    policy.window_days, policy.rest_days = 30, 10
    policy.save()
    LimitRule.objects.create(account=factories.make_account(account_owner), rest_days=60)
    quarter = date(2026, 4, 1)
    contact = factories.make_contact(factories.make_account(account_owner))
    factories.make_activity(contact, quarter - timedelta(days=40))
    usage_recompute(today=quarter)
    assert ContactUsage.objects.get(contact=contact).window_moves_on == quarter + timedelta(days=20)

    usage_recompute(today=quarter + timedelta(days=20))

    assert not ContactUsage.objects.filter(contact=contact).exists()
    assert_same_as_judging_everyone(quarter + timedelta(days=20))


def test_the_weekly_run_also_judges_an_edit_the_checksums_cannot_tell(policy, account_owner):
    """Two case studies the same day (one-to-many: one use) retyped to a call and a press
    interview (two uses): d·(d+3) twice sums to d·(d+1) + d·(d+5), the same checksum."""
    contact = factories.make_contact(factories.make_account(account_owner))
    codes = ("reference_call", "case_study", "press_interview")
    types = {code: factories.activity_type(code).pk for code in codes}
    assert types["reference_call"] + types["press_interview"] == 2 * types["case_study"]
    first, second = (factories.make_activity(contact, TODAY - timedelta(days=5), "case_study") for _ in "ab")
    usage_recompute(today=TODAY)
    assert ContactUsage.objects.get(contact=contact).used == 1

    ReferenceActivity.objects.filter(pk=first.pk).update(activity_type_id=types["reference_call"])
    ReferenceActivity.objects.filter(pk=second.pk).update(activity_type_id=types["press_interview"])
    verified = usage_recompute(today=TODAY, verify=True)

    assert verified.judged == 1 and ContactUsage.objects.get(contact=contact).used == 2
    assert_same_as_judging_everyone(TODAY)


COMMITTED = ("awaiting_owner", "customer_asked", "scheduled")


class RandomProgram:
    """A few accounts and contacts, and the edits a program sees between two runs of the job."""

    def __init__(self, pick: random.Random, owner, requester, today: date):
        self.pick, self.requester, self.today = pick, requester, today
        self.accounts = [factories.make_account(owner) for _ in range(3)]
        self.contacts = [factories.make_contact(pick.choice(self.accounts)) for _ in range(8)]
        self.types = list(ActivityType.objects.filter(counts_toward_limits=True))

    def edits(self):
        return [
            self.record,
            self.record,
            self.edit,
            self.edit_in_bulk,
            self.own_cap,
            self.move_contact,
            self.request,
            self.request,
            self.request_ends,
            self.long_rest,
        ]

    def record(self):
        contact = Contact.objects.get(pk=self.pick.choice(self.contacts).pk)
        ReferenceActivity.objects.create(
            contact=contact,
            account=self.pick.choice([contact.account, *self.accounts]),  # now and then, for another account
            activity_type=self.pick.choice(self.types),
            occurred_on=self.today - timedelta(days=self.pick.randrange(0, 100)),
        )

    def edit(self):
        activities = list(ReferenceActivity.objects.order_by("pk"))
        if not activities:
            return self.record()
        activity = self.pick.choice(activities)
        change = self.pick.choice(["day", "type", "contact", "account", "delete"])
        if change == "delete":
            activity.delete()
            return None
        if change == "day":
            activity.occurred_on += timedelta(days=self.pick.randrange(-15, 15))
        elif change == "type":
            activity.activity_type = self.pick.choice(self.types)
        elif change == "contact":
            activity.contact = self.pick.choice(self.contacts)
        else:
            activity.account = self.pick.choice(self.accounts)
        activity.save()
        return None

    def edit_in_bulk(self):
        theirs = ReferenceActivity.objects.filter(contact=self.pick.choice(self.contacts))
        if self.pick.random() < 0.5:
            theirs.update(occurred_on=F("occurred_on") - timedelta(days=self.pick.randrange(1, 20)))
        else:
            theirs.filter(activity_type=self.pick.choice(self.types)).delete()

    def own_cap(self):
        cap = self.pick.choice([None, 0, 1, 2])
        ParticipationPreferences.objects.filter(contact=self.pick.choice(self.contacts)).update(
            own_cap_per_quarter=cap
        )

    def move_contact(self):
        contact = self.pick.choice(self.contacts)
        Contact.objects.filter(pk=contact.pk).update(account=self.pick.choice(self.accounts))

    def request(self):
        ReferenceRequest.objects.create(
            requester=self.requester,
            campaign="Random program",
            activity_type=self.pick.choice(self.types),
            needed_by=self.today + timedelta(days=10),
            status=self.pick.choice(COMMITTED),
            chosen_contact=self.pick.choice(self.contacts),
        )

    def request_ends(self):
        committed = list(ReferenceRequest.objects.filter(status__in=COMMITTED).order_by("pk"))
        if not committed:
            return self.request()
        request = self.pick.choice(committed)
        ending = self.pick.choice(["held", "cancelled", "expired", "declined", "retyped"])
        if ending == "held":
            contact = Contact.objects.get(pk=request.chosen_contact_id)
            factories.make_activity(contact, self.today, code=request.activity_type.code)
            request.status = "completed"
        elif ending == "retyped":
            request.activity_type = self.pick.choice(self.types)
        else:
            request.status = ending
        request.save()
        return None

    def long_rest(self):
        """A stricter rule somewhere that rests contacts longer than the window."""
        rest = self.pick.randrange(20, 90)
        LimitRule.objects.create(account=self.pick.choice(self.accounts), rest_days=rest)


@pytest.mark.parametrize("seed", range(12))
def test_random_edits_and_days_leave_what_judging_everyone_would_store(
    seed, policy, account_owner, sales_rep
):
    """A program edited at random between runs — activities recorded, moved, retyped, handed to
    another contact or account, deleted, one by one and in bulk; own caps set and cleared;
    contacts moving accounts; requests approved, then held, cancelled, expired or declined; rules
    resting longer than the window; days passing, across quarters — and after every hourly run
    the stored usage and the statuses are exactly a full run's."""
    policy.window_days, policy.rest_days, policy.contact_max, policy.account_max = 30, 10, 2, 3
    policy.save()
    pick = random.Random(seed)
    start = date(2026, 3, 31) - timedelta(days=pick.randrange(40))  # runs cross a quarter or two
    program = RandomProgram(pick, account_owner, sales_rep, start)
    for _ in range(10):
        program.record()
    usage_recompute(today=program.today)
    for _step in range(12):
        for _ in range(pick.randrange(0, 4)):
            pick.choice(program.edits())()
        program.today += timedelta(days=pick.choice([0, 0, 1, 3, 9, 20]))

        usage_recompute(today=program.today)

        assert not UsageChange.objects.exists()
        assert_same_as_judging_everyone(program.today)


def test_the_command_sets_right_what_a_restore_without_triggers_left(policy, account_owner, capsys):
    contact = factories.make_contact(factories.make_account(account_owner))
    factories.make_activity(contact, timezone.localdate() - timedelta(days=40))
    call_command("recompute_limits")
    factories.make_activity(contact, timezone.localdate() - timedelta(days=3))
    UsageChange.objects.all().delete()  # as a restore with the triggers disabled would leave it

    call_command("recompute_limits")
    assert "judged 0 contacts" in capsys.readouterr().out
    call_command("recompute_limits", "--full")

    assert "judged everyone, 1 rows written" in capsys.readouterr().out
    assert ContactUsage.objects.get(contact=contact).used == 2
