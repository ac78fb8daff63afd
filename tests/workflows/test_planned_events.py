"""Planned events: plan with speakers and a capacity, reps sign deals up (within capacity, once,
their own open deals), collisions see them, and recording writes one activity per speaker for
every attended deal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, InvalidInput
from references.models import ReferenceActivity
from tests.builders import catalogue
from tests.builders.requests import make_planned_event, make_request
from workflows.event_selectors import planned_event_counts
from workflows.models import EventSignup, PlannedEvent
from workflows.planned_events import event_signup, planned_event_create, planned_event_record
from workflows.selectors import collisions
from workflows.statuses import PlannedEventStatus


@pytest.fixture
def speakers(customer_account):
    return [catalogue.make_contact(customer_account, first_name=n) for n in ("Ann", "Ben")]


def test_signups_stop_at_capacity(marketer, sales_rep, speakers):
    planned = make_planned_event(marketer, *speakers, capacity=2)
    deals = [catalogue.make_opportunity(sales_rep) for _ in range(3)]
    for deal in deals[:2]:
        event_signup(planned_event_id=planned.pk, opportunity=deal, actor=sales_rep)
    with pytest.raises(Conflict, match="full"):
        event_signup(planned_event_id=planned.pk, opportunity=deals[2], actor=sales_rep)
    assert planned.signups.count() == 2


def test_a_deal_signs_up_once(marketer, sales_rep, speakers):
    planned = make_planned_event(marketer, *speakers)
    deal = catalogue.make_opportunity(sales_rep)
    event_signup(planned_event_id=planned.pk, opportunity=deal, actor=sales_rep)
    with pytest.raises(InvalidInput, match="already signed up"):
        event_signup(planned_event_id=planned.pk, opportunity=deal, actor=sales_rep)


def test_only_the_reps_own_open_deals_sign_up(marketer, sales_rep, other_rep, speakers):
    planned = make_planned_event(marketer, *speakers)
    with pytest.raises(InvalidInput) as refused:
        event_signup(
            planned_event_id=planned.pk, opportunity=catalogue.make_opportunity(other_rep), actor=sales_rep
        )
    assert refused.value.field == "opportunity"
    won = catalogue.make_opportunity(sales_rep, outcome="won")
    with pytest.raises(InvalidInput):
        event_signup(planned_event_id=planned.pk, opportunity=won, actor=sales_rep)


def test_a_resting_speaker_cannot_be_planned(marketer, speakers):
    catalogue.make_activity(speakers[0], timezone.localdate() - timedelta(days=1))
    with pytest.raises(InvalidInput) as refused:
        make_planned_event(marketer, speakers[0], days=3)
    assert refused.value.field == "speakers"


def test_recording_counts_once_per_speaker_for_every_attended_deal(marketer, sales_rep, speakers):
    planned = make_planned_event(marketer, *speakers)
    deals = [catalogue.make_opportunity(sales_rep) for _ in range(3)]
    signups = [event_signup(planned_event_id=planned.pk, opportunity=d, actor=sales_rep) for d in deals]
    PlannedEvent.objects.filter(pk=planned.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    recorded = planned_event_record(
        planned_event_id=planned.pk,
        actor=marketer,
        attended_signup_ids=[s.pk for s in signups[:2]],
        speaker_ids=[s.pk for s in speakers],
        feedback="Lively questions.",
    )
    assert recorded.status == PlannedEventStatus.RECORDED
    activities = ReferenceActivity.objects.filter(events=recorded.event)
    assert sorted(a.contact_id for a in activities) == sorted(s.pk for s in speakers)  # once each
    for activity in activities:
        assert set(activity.opportunities.values_list("pk", flat=True)) == {deals[0].pk, deals[1].pk}
    assert list(
        EventSignup.objects.filter(planned_event=planned).order_by("pk").values_list("attended", flat=True)
    ) == [True, True, False]
    with pytest.raises(Conflict):
        planned_event_record(
            planned_event_id=planned.pk, actor=marketer, attended_signup_ids=[], speaker_ids=[speakers[0].pk]
        )
    assert ReferenceActivity.objects.filter(events=recorded.event).count() == 2


def test_an_event_is_recorded_only_once_held(marketer, speakers):
    planned = make_planned_event(marketer, *speakers)
    with pytest.raises(InvalidInput):
        planned_event_record(
            planned_event_id=planned.pk, actor=marketer, attended_signup_ids=[], speaker_ids=[speakers[0].pk]
        )


def test_collisions_see_a_planned_event_of_the_speaker(marketer, sales_rep, speakers):
    planned = make_planned_event(marketer, speakers[0], days=5, title="Fraud round table")
    request = make_request(sales_rep, speakers[0], needed_by=timezone.localdate() + timedelta(days=10))
    found = collisions(request, [speakers[0], speakers[1]])
    planned_hits = [c for c in found if c.planned_event is not None]
    assert [c.planned_event.pk for c in planned_hits] == [planned.pk]
    assert planned_hits[0].same_contact
    assert "Fraud round table" in planned_hits[0].what


def test_a_past_start_is_refused_when_planning(marketer, speakers):
    with pytest.raises(InvalidInput) as refused:
        planned_event_create(
            actor=marketer,
            title="Late",
            activity_type=catalogue.activity_type("webinar"),
            starts_at=timezone.now() - timedelta(hours=1),
            capacity=3,
            speaker_ids=[speakers[0].pk],
        )
    assert refused.value.field == "starts_at"


def test_planned_event_counts(marketer, speakers):
    make_planned_event(marketer, speakers[0])
    make_planned_event(marketer, speakers[1], days=0)
    assert planned_event_counts() == {"upcoming": 1, "to_record": 1, "recorded": 0}


def test_a_speaker_already_planned_that_day_is_refused_by_the_rest_rule(marketer, speakers):
    """Planned events count against the speaker like the activities they will become: a second
    event the same week with the same speaker breaks the program's rest, as recording both would."""
    make_planned_event(marketer, speakers[0], days=7, title="Fraud webinar")
    with pytest.raises(InvalidInput, match="Fraud webinar") as refused:
        make_planned_event(marketer, speakers[0], days=8, title="Risk council")
    assert refused.value.field == "speakers"
    assert PlannedEvent.objects.filter(title="Risk council").count() == 0
    make_planned_event(marketer, speakers[1], days=8, title="Risk council")  # a rested speaker is free


def test_planned_events_use_up_the_speakers_slots(marketer, speakers):
    """However far apart (no rest in the way), a speaker's planned events fill the program's cap."""
    from limits.models import LimitPolicy

    LimitPolicy.objects.filter(pk=1).update(rest_days=0, contact_max=2)
    make_planned_event(marketer, speakers[0], days=10, title="One")
    make_planned_event(marketer, speakers[0], days=20, title="Two")
    with pytest.raises(InvalidInput, match="planned") as refused:
        make_planned_event(marketer, speakers[0], days=30, title="Three")
    assert refused.value.field == "speakers"


def test_a_cancelled_or_recorded_event_no_longer_holds_its_speaker(marketer, speakers):
    from workflows.planned_events import planned_event_cancel

    first = make_planned_event(marketer, speakers[0], days=7, title="Fraud webinar")
    planned_event_cancel(planned_event_id=first.pk, actor=marketer, reason="Speaker ill.")
    make_planned_event(marketer, speakers[0], days=8, title="Risk council")
