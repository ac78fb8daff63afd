"""The demo looks alive on the day `seed_demo` runs: open deals close ahead, won and lost ones closed
before; open requests are needed soon, within their deal; what was held lies in the past and what
is scheduled ahead. Each check lists the rows that break it, so a failure says which and why."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import Notification
from references.models import (
    AccountNote,
    BlackoutPeriod,
    Opportunity,
    ParticipationPreferences,
    ReferenceActivity,
    StatusChange,
)
from requests_app.models import Nomination, ReferenceRequest, RequestEvent
from requests_app.statuses import OPEN_STATUSES, RequestStatus
from workflows.models import Event, Task

pytestmark = pytest.mark.django_db(transaction=False)

Outcome = Opportunity.Outcome


@pytest.fixture
def seeded():
    """The demo at a small size; the day it ran and the moment it finished."""
    today = timezone.localdate()
    call_command("seed_demo", accounts=40, seed=42, stdout=StringIO())
    assert timezone.localdate() == today, "the day changed while seeding: run the test again"
    return today, timezone.now()


def broken(**checks) -> dict[str, list]:
    """The checks with rows that break them: name → a few of those rows."""
    return {name: list(rows[:5]) for name, rows in checks.items() if rows.exists()}


def test_deals_close_ahead_when_open_and_closed_before_today_when_won_or_lost(seeded):
    today, _now = seeded
    deals = Opportunity.objects.values_list("id", "outcome", "stage", "close_date")

    assert (
        broken(
            open_deal_closed_in_the_past=deals.filter(outcome=Outcome.OPEN, close_date__lt=today),
            won_or_lost_deal_closing_later=deals.filter(
                outcome__in=[Outcome.WON, Outcome.LOST], close_date__gte=today
            ),
        )
        == {}
    )
    assert deals.filter(outcome=Outcome.OPEN).exists() and deals.exclude(outcome=Outcome.OPEN).exists()


def test_requests_are_needed_soon_within_their_deal_and_scheduled_before_that(seeded):
    today, now = seeded
    requests = ReferenceRequest.objects.values_list("id", "status", "needed_by", "scheduled_for")
    live = requests.filter(status__in=OPEN_STATUSES)

    assert live.count() >= 10
    assert (
        broken(
            open_request_needed_in_the_past=live.filter(needed_by__lt=today),
            open_request_needed_far_ahead=live.filter(needed_by__gt=today + timedelta(days=60)),
            open_request_needed_after_its_deal_closes=live.filter(needed_by__gt=F("opportunity__close_date")),
            open_request_on_a_closed_deal=live.filter(opportunity__isnull=False).exclude(
                opportunity__outcome=Outcome.OPEN
            ),
            scheduled_call_in_the_past=requests.filter(
                status=RequestStatus.SCHEDULED, scheduled_for__lte=now
            ),
            scheduled_call_after_needed_by=requests.filter(
                status=RequestStatus.SCHEDULED, scheduled_for__date__gt=F("needed_by")
            ),
            expired_request_still_to_be_needed=requests.filter(
                status=RequestStatus.EXPIRED, needed_by__gte=today
            ),
            request_made_in_the_future=requests.filter(Q(created_at__gt=now) | Q(status_changed_at__gt=now)),
            history_in_the_future=RequestEvent.objects.filter(created_at__gt=now).values_list("id", "action"),
            history_before_its_request=RequestEvent.objects.filter(
                created_at__lt=F("request__created_at") - timedelta(minutes=1)
            ).values_list("id", "action"),
        )
        == {}
    )


def test_what_was_held_is_past_and_what_is_planned_is_ahead(seeded):
    today, now = seeded
    activities = ReferenceActivity.objects.values_list("id", "occurred_on", "created_at")
    window = (today - timedelta(days=800), today + timedelta(days=400))

    assert (
        broken(
            activity_held_today_or_later=activities.filter(occurred_on__gte=today),
            activity_recorded_in_the_future=activities.filter(created_at__gt=now),
            activity_long_ago=activities.filter(occurred_on__lt=window[0]),
            group_call_held_today_or_later=Event.objects.filter(occurred_on__gte=today).values_list("id"),
            event_recorded_in_the_future=Event.objects.filter(created_at__gt=now).values_list("id"),
            completed_call_scheduled_ahead=ReferenceRequest.objects.filter(
                status__in=[RequestStatus.COMPLETED, RequestStatus.CLOSED], scheduled_for__gt=now
            ).values_list("id", "scheduled_for"),
            note_written_in_the_future=AccountNote.objects.filter(created_at__gt=now).values_list("id"),
            status_changed_in_the_future=StatusChange.objects.filter(changed_at__gt=now).values_list("id"),
            consent_in_the_future=ParticipationPreferences.objects.filter(
                consent_given_at__gt=now
            ).values_list("id"),
            nomination_in_the_future=Nomination.objects.filter(created_at__gt=now).values_list("id"),
            notification_in_the_future=Notification.objects.filter(created_at__gt=now).values_list("id"),
            task_done_in_the_future=Task.objects.filter(completed_at__gt=now).values_list("id"),
            blackout_out_of_sight=BlackoutPeriod.objects.filter(
                Q(end__lt=window[0]) | Q(start__gt=window[1])
            ).values_list("id", "start", "end"),
            blackout_ending_before_it_starts=BlackoutPeriod.objects.filter(end__lt=F("start")).values_list(
                "id"
            ),
        )
        == {}
    )
    # Some blackouts are under way or coming, some tasks are due ahead: the demo is mid-stream.
    assert BlackoutPeriod.objects.filter(end__gte=today).exists()
    assert Task.objects.filter(completed_at__isnull=True, due_at__gt=now).exists()
