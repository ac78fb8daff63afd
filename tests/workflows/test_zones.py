"""The zone a staff user reads times in comes from their calendar; the shared cache only saves
the query. With the cache's Redis stopped or hung, what writes a time in someone's zone answers
at once and in the right zone, and a zone saved meanwhile takes effect: the database is the truth."""

import threading
import time
import zoneinfo
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from core.dates import moment_text
from core.roles import Role
from notifications.kinds import Channel
from notifications.models import Notification
from requests_app.models import ReferenceRequest, RequestStatus
from tests.builders import catalogue
from tests.builders.requests import drive_to
from workflows.models import NoticeKind, StaffCalendar
from workflows.zones import zone_name_of

pytestmark = pytest.mark.django_db

# Longer than a request may wait on the cache; shorter than the old code waited on a hung Redis.
FAULT_BOUND = 1.0


def _outage(server, kind: str) -> None:
    """Stop the cache's Redis, or freeze it for 5 s (a hung server: connections accepted, never
    answered; thawed later so that code waiting on it ends, late, instead of hanging the test)."""
    if kind == "stopped":
        server.stop()
        return
    server.freeze()
    thaw = threading.Timer(5, server.thaw)
    thaw.daemon = True
    thaw.start()


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_a_call_is_scheduled_at_once_while_the_cache_is_down(
    client, manager, sales_rep, ref_request, customer_contact, cache_redis, outage
):
    StaffCalendar.objects.create(user=sales_rep, country=catalogue.country(), time_zone="Asia/Tokyo")
    drive_to(ref_request, RequestStatus.CUSTOMER_ASKED, customer_contact, manager)
    moment = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    client.force_login(manager)
    _outage(cache_redis, outage)

    started = time.monotonic()
    response = client.post(
        reverse("manage:request-act", args=[ref_request.pk]),
        {
            "action": "schedule",
            "scheduled_for": f"{timezone.localtime(moment):%Y-%m-%d %H:%M}",
            "schedule_anyway": "on",
        },
    )
    took = time.monotonic() - started

    assert response.status_code == 302
    assert took < FAULT_BOUND
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == RequestStatus.SCHEDULED
    # The requester's notice tells the time in their zone, read from the database.
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        in_tokyo = moment_text(moment, with_zone=True)
    notice = Notification.objects.get(
        user=sales_rep, kind=NoticeKind.REQUEST_SCHEDULED, channel=Channel.IN_APP
    )
    assert notice.title.endswith(f" on {in_tokyo}") and "JST" in in_tokyo


def test_a_zone_saved_while_the_cache_is_down_takes_effect(
    client, manager, cache_redis, django_capture_on_commit_callbacks
):
    assert zone_name_of(User.objects.get(pk=manager.pk)) == "UTC"  # and now cached
    cache_redis.stop()
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tasks:time-zone"), {"time_zone": "Asia/Tokyo"})

    assert response.status_code == 302
    assert StaffCalendar.objects.get(user=manager).time_zone == "Asia/Tokyo"
    assert zone_name_of(User.objects.get(pk=manager.pk)) == "Asia/Tokyo"
    cache_redis.start()  # back, empty: the zone is read again and cached
    assert zone_name_of(User.objects.get(pk=manager.pk)) == "Asia/Tokyo"
    assert zone_name_of(User.objects.get(pk=manager.pk)) == "Asia/Tokyo"


def test_an_executive_saves_the_zone_their_preferences_page_offers(client):
    executive = catalogue.make_user("erin", Role.EXECUTIVE)
    client.force_login(executive)
    assert reverse("tasks:time-zone") in client.get(reverse("notifications:preferences")).content.decode()

    response = client.post(reverse("tasks:time-zone"), {"time_zone": "Asia/Tokyo"})

    assert response.status_code == 302
    assert StaffCalendar.objects.get(user=executive).time_zone == "Asia/Tokyo"
