"""The database notes every change to a contact's uses or own cap (limits.UsageChange, written by
triggers), and the hourly job judges those contacts again from the notes alone — arriving at
what judging everyone would store, whatever the edits."""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from limits.models import ContactUsage, UsageChange
from limits.tasks import recompute as recompute_task
from limits.tasks import verify as verify_task
from limits.usage import usage_recompute
from references.models import ActivityType, ParticipationPreferences, ReferenceActivity
from rms.celery import app as celery_app
from tests import factories
from tests.limits.judging import assert_same_as_judging_everyone

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


@pytest.mark.parametrize("seed", range(10))
def test_random_edits_and_days_leave_what_judging_everyone_would_store(seed, policy, account_owner):
    """A program of a few accounts edited at random between runs — activities recorded, moved,
    retyped, handed to another contact, deleted; own caps set and cleared; days passing — and
    after every hourly run the stored usage and the statuses are exactly a full run's."""
    policy.window_days, policy.rest_days, policy.contact_max, policy.account_max = 30, 20, 2, 3
    policy.save()
    pick = random.Random(seed)
    accounts = [factories.make_account(account_owner) for _ in range(3)]
    contacts = [factories.make_contact(pick.choice(accounts)) for _ in range(8)]
    types = list(ActivityType.objects.filter(counts_toward_limits=True))
    today = TODAY

    def record():
        contact = pick.choice(contacts)
        ReferenceActivity.objects.create(
            contact=contact,
            account=pick.choice([contact.account, *accounts]),  # now and then, spoken for another account
            activity_type=pick.choice(types),
            occurred_on=today - timedelta(days=pick.randrange(0, 45)),
        )

    def edit():
        activities = list(ReferenceActivity.objects.order_by("pk"))
        if not activities:
            return record()
        activity = pick.choice(activities)
        change = pick.choice(["day", "type", "contact", "delete"])
        if change == "delete":
            activity.delete()
            return None
        if change == "day":
            activity.occurred_on += timedelta(days=pick.randrange(-10, 10))
        elif change == "type":
            activity.activity_type = pick.choice(types)
        else:
            activity.contact = pick.choice(contacts)
        activity.save()
        return None

    def own_cap():
        cap = pick.choice([None, 0, 1, 2])
        ParticipationPreferences.objects.filter(contact=pick.choice(contacts)).update(own_cap_per_quarter=cap)

    for _ in range(10):
        record()
    usage_recompute(today=today)
    for _step in range(12):
        for _ in range(pick.randrange(0, 4)):
            pick.choice([record, record, edit, own_cap])()
        today += timedelta(days=pick.choice([0, 0, 1, 3, 9]))

        usage_recompute(today=today)

        assert not UsageChange.objects.exists()
        assert_same_as_judging_everyone(today)
