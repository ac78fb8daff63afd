"""The daily digest (notifications.digests): the emails held for a user gathered into one."""

import pytest
from django.core import mail

from notifications.delivery import notification_deliver
from notifications.digests import digests_send
from notifications.message import Message
from notifications.models import Notification, NotificationPreference
from notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_daily_digest_gathers_held_emails_into_one(manager):
    NotificationPreference.objects.create(user=manager, kind="weekly_digest", delivery="digest")
    for week in (1, 2):
        notify(
            kind="weekly_digest",
            key=f"weekly:{week}",
            users=[manager],
            message=Message(f"Week {week}", "Figures"),
        )
    assert Notification.objects.filter(user=manager, channel="email", status="held").count() == 2

    assert digests_send() == 1
    assert digests_send() == 0  # nothing held any more

    digest = Notification.objects.get(user=manager, kind="daily_digest", channel="email")
    assert digest.title == "Your daily digest: 2 notifications"
    assert notification_deliver(notification_id=digest.pk).outcome == "sent"
    body = mail.outbox[0].body
    assert "Week 1" in body and "Week 2" in body
    held = Notification.objects.filter(user=manager, kind="weekly_digest", channel="email")
    assert set(held.values_list("status", flat=True)) == {"sent"}
    assert set(held.values_list("digest", flat=True)) == {digest.pk}
