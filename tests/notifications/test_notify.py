"""notifications.services.notify: a row per recipient and channel their preferences choose; email is
enqueued only after commit, and nothing is written or sent for a rolled-back transaction."""

import pytest
from django.db import transaction

from notifications.message import Message
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from tests.notifications.conftest import queued

pytestmark = pytest.mark.django_db


def rows(**filters) -> list[tuple]:
    return sorted(
        Notification.objects.filter(**filters).values_list(
            "kind", "channel", "user__username", "contact_id", "status"
        )
    )


def test_preferences_choose_the_channels(ref_request, manager, second_manager, sales_rep):
    NotificationPreference.objects.create(user=manager, kind="weekly_digest", delivery="in_app")
    NotificationPreference.objects.create(user=second_manager, kind="weekly_digest", delivery="none")
    NotificationPreference.objects.create(user=sales_rep, kind="weekly_digest", delivery="digest")

    notify(
        kind="weekly_digest",
        key="weekly:test",
        message=Message("Week"),
        users=[manager, second_manager, sales_rep],
    )

    assert rows(key="weekly:test") == [
        ("weekly_digest", "email", "sally", None, "held"),
        ("weekly_digest", "in_app", "maria", None, "sent"),
        ("weekly_digest", "in_app", "sally", None, "sent"),
    ]


def test_email_is_enqueued_only_after_commit(manager, memory_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(kind="weekly_digest", key="weekly:commit", message=Message("Week"), users=[manager])
    assert queued(memory_broker) == []  # nothing leaves before the commit

    for callback in callbacks:
        callback()

    email = Notification.objects.get(key="weekly:commit", channel="email")
    assert queued(memory_broker) == [email.pk]


def test_nothing_is_written_or_sent_for_a_rolled_back_transaction(
    manager, memory_broker, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(kind="weekly_digest", key="weekly:rollback", message=Message("Week"), users=[manager])
        raise RuntimeError("the event failed")

    assert callbacks == []
    assert not Notification.objects.filter(key="weekly:rollback").exists()
    assert queued(memory_broker) == []
