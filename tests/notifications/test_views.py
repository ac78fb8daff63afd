"""The bell, the list, mark read and preferences: each user sees only their own notifications."""

import pytest
from django.urls import reverse

from notifications.message import Message
from notifications.models import Notification, NotificationPreference
from notifications.services import notify

pytestmark = pytest.mark.django_db


def _notify(user, count: int, prefix: str = "n") -> None:
    for i in range(count):
        notify(
            kind="request_submitted", key=f"{prefix}:{i}", users=[user], message=Message(f"Item {i}", "Body")
        )


def test_the_bell_shows_the_unread_count(client, manager):
    _notify(manager, 3)
    client.force_login(manager)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert b'id="bell-count" class="count">3</span>' in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("count", [3, 40], ids=["few", "many"])
def test_the_list_costs_the_same_queries_with_few_and_many(
    client, manager, count, django_assert_max_num_queries
):
    _notify(manager, count)
    client.force_login(manager)
    # session, user, groups (roles), task counts, unread count (bell), page count, page rows.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("notifications:list"))
    assert len(response.context["page"]) == min(count, 30)


def test_mark_read_with_htmx_updates_the_item_and_the_bell(client, manager):
    _notify(manager, 2)
    item = Notification.objects.filter(user=manager, channel="in_app").first()
    client.force_login(manager)

    response = client.post(reverse("notifications:read", args=[item.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b'hx-swap-oob="true"' in response.content and b">1</span>" in response.content
    item.refresh_from_db()
    assert item.read_at is not None


def test_mark_all_read(client, manager):
    _notify(manager, 2)
    client.force_login(manager)

    response = client.post(reverse("notifications:read-all"))

    assert response.status_code == 302
    assert not Notification.objects.filter(user=manager, channel="in_app", read_at__isnull=True).exists()


def test_another_users_notification_is_a_404_and_stays_unread(client, manager, sales_rep):
    _notify(sales_rep, 1)
    theirs = Notification.objects.get(user=sales_rep, channel="in_app")
    client.force_login(manager)

    response = client.post(reverse("notifications:read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert b"Item 0" not in client.get(reverse("notifications:list")).content


def test_preferences_are_saved_per_kind(client, sales_rep):
    client.force_login(sales_rep)
    page = client.get(reverse("notifications:preferences"))
    choices = {name: field.initial for name, field in page.context["form"].fields.items()}
    choices["request_approved"] = "digest"

    response = client.post(reverse("notifications:preferences"), choices)

    assert response.status_code == 302
    assert list(NotificationPreference.objects.filter(user=sales_rep).values_list("kind", "delivery")) == [
        ("request_approved", "digest")
    ]
