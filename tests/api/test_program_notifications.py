"""A user's own notifications through the API: listed, filtered, marked read one by one or all
at once through the pages' service; another user's is a 404 and stays unread."""

import pytest
from django.test import Client

from notifications.kinds import Channel
from notifications.message import Message
from notifications.models import Notification
from notifications.services import notify
from workflows.notices import TASK_DUE_SOON

pytestmark = pytest.mark.django_db


def tell(user, n: int) -> Notification:
    notify(
        kind=TASK_DUE_SOON.code,
        key=f"api-test:{user.pk}:{n}",
        message=Message(title=f"Note {n}"),
        users=[user],
    )
    return Notification.objects.filter(user=user, channel=Channel.IN_APP).latest("pk")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_notifications_are_the_users_own(sales_rep, other_rep):
    first, second = tell(sales_rep, 1), tell(sales_rep, 2)
    theirs = tell(other_rep, 3)
    client = signed_in(sales_rep)

    listed = client.get("/api/notifications/").json()["results"]
    assert [n["id"] for n in listed] == [second.pk, first.pk]  # newest first
    assert listed[0]["title"] == "Note 2" and listed[0]["unread"] is True

    read = client.post(f"/api/notifications/{first.pk}/read/")
    assert read.status_code == 200 and read.json()["unread"] is False and read.json()["read_at"]
    assert [n["id"] for n in client.get("/api/notifications/", {"unread": "true"}).json()["results"]] == [
        second.pk
    ]
    assert [n["id"] for n in client.get("/api/notifications/", {"unread": "false"}).json()["results"]] == [
        first.pk
    ]

    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_the_users_own(sales_rep, other_rep):
    tell(sales_rep, 1), tell(sales_rep, 2)
    theirs = tell(other_rep, 3)
    client = signed_in(sales_rep)

    assert client.post("/api/notifications/read-all/").json() == {"marked": 2}
    assert client.post("/api/notifications/read-all/").json() == {"marked": 0}
    assert client.get("/api/notifications/", {"unread": "true"}).json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get("/api/notifications/read-all/").status_code == 405
