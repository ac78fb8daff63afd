"""Planned-event pages: plan, list, record (marketing); list and sign up (sales)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from references.models import ReferenceActivity
from tests.builders import catalogue
from tests.builders.requests import make_planned_event
from workflows.models import EventSignup, PlannedEvent
from workflows.planned_events import event_signup


@pytest.fixture
def speaker(customer_account):
    return catalogue.make_contact(customer_account, first_name="Sam", last_name="Speaker")


def test_marketing_plans_an_event(client, marketer, speaker):
    client.force_login(marketer)
    url = reverse("content:event-new") + "?q=Speaker"
    assert "Sam Speaker" in client.get(url).content.decode()
    start = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "title": "Fraud webinar",
            "activity_type": catalogue.activity_type("webinar").pk,
            "starts_at": start,
            "duration_minutes": 60,
            "capacity": 4,
            "speakers": [speaker.pk],
        },
    )
    planned = PlannedEvent.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert list(planned.speakers.all()) == [speaker]


def test_a_rep_signs_a_deal_up_and_a_full_event_refuses(client, marketer, sales_rep, deal, speaker):
    planned = make_planned_event(marketer, speaker, capacity=1)
    client.force_login(sales_rep)
    assert "Group call on fraud" in client.get(reverse("sales:events")).content.decode()
    assert (
        client.post(reverse("sales:event-signup", args=[planned.pk]), {"opportunity": deal.pk}).status_code
        == 302
    )
    another = catalogue.make_opportunity(sales_rep)
    refused = client.post(reverse("sales:event-signup", args=[planned.pk]), {"opportunity": another.pk})
    assert refused.status_code == 409
    assert EventSignup.objects.filter(planned_event=planned).count() == 1


def test_recording_from_the_page_writes_the_activities(client, marketer, sales_rep, deal, speaker):
    planned = make_planned_event(marketer, speaker)
    signup = EventSignup.objects.create(planned_event=planned, opportunity=deal, signed_up_by=sales_rep)
    PlannedEvent.objects.filter(pk=planned.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(marketer)
    response = client.post(
        reverse("content:event-record", args=[planned.pk]),
        {"speakers": [speaker.pk], "attended": [signup.pk], "feedback": "Good."},
    )
    assert response.status_code == 302
    activity = ReferenceActivity.objects.get(contact=speaker)
    assert list(activity.opportunities.all()) == [deal]


@pytest.mark.parametrize("size", [2, 10])
def test_event_lists_queries_do_not_grow(
    client, marketer, sales_rep, customer_account, size, django_assert_max_num_queries
):
    for _ in range(size):
        planned = make_planned_event(marketer, catalogue.make_contact(customer_account))
        # Every row shows the rep's deal signed up and the page's deal choices grow too.
        deal = catalogue.make_opportunity(sales_rep)
        event_signup(planned_event_id=planned.pk, opportunity=deal, actor=sales_rep)
    client.force_login(marketer)
    # session, user, groups, nav counts, page count, rows, speakers
    with django_assert_max_num_queries(10):
        assert client.get(reverse("content:events")).status_code == 200
    client.force_login(sales_rep)
    # … plus the rep's deals and their sign-ups
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sales:events")).status_code == 200


def test_calling_an_event_off_tells_the_signed_up_rep_why_and_closes_it(
    client, marketer, sales_rep, deal, speaker
):
    planned = make_planned_event(marketer, speaker)
    event_signup(planned_event_id=planned.pk, actor=sales_rep, opportunity=deal)
    client.force_login(marketer)
    url = reverse("content:event-cancel", args=[planned.pk])
    assert client.post(url, {"reason": ""}).status_code == 400  # the reps must read why
    assert PlannedEvent.objects.get().is_planned
    assert client.post(url, {"reason": "The speaker is ill."}).status_code == 302
    planned.refresh_from_db()
    assert not planned.is_planned and planned.cancel_reason == "The speaker is ill."
    told = Notification.objects.get(kind="planned_event_cancelled", user=sales_rep, channel="in_app")
    assert "The speaker is ill." in told.body
    assert not Notification.objects.filter(kind="planned_event_cancelled", user=marketer).exists()
    assert "Called off because" in client.get(reverse("content:event", args=[planned.pk])).content.decode()
    # Called off is final: no second cancel, no sign-up, no recording.
    assert client.post(url, {"reason": "Again."}).status_code == 409
    client.force_login(sales_rep)
    other = catalogue.make_opportunity(sales_rep)
    assert (
        client.post(reverse("sales:event-signup", args=[planned.pk]), {"opportunity": other.pk}).status_code
        == 409
    )


def test_a_rep_cannot_call_an_event_off(client, marketer, sales_rep, speaker):
    planned = make_planned_event(marketer, speaker)
    client.force_login(sales_rep)
    response = client.post(reverse("content:event-cancel", args=[planned.pk]), {"reason": "Mine now."})
    assert response.status_code == 403
    assert PlannedEvent.objects.get().is_planned
