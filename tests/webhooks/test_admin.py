"""The admin: an administrator subscribes (events as checkboxes, the secret shown, a private
address refused), reads the deliveries with their attempt log, and sends some again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders.webhooks import make_delivered, make_subscription
from tests.webhooks.test_addresses import PUBLIC, fake_dns
from webhooks.models import Delivery, Subscription
from webhooks.statuses import DeliveryStatus, EventType

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _subscribe(client, url: str):
    return client.post(
        reverse("admin:webhooks_subscription_add"),
        {
            "name": "Salesforce",
            "url": url,
            "events": [EventType.REQUEST_STATUS_CHANGED, EventType.LIMIT_REACHED],
            "is_active": "on",
        },
    )


def test_an_administrator_subscribes_and_reads_the_secret(admin_client, admin_user, monkeypatch, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    fake_dns(monkeypatch, PUBLIC)
    form = admin_client.get(reverse("admin:webhooks_subscription_add"))
    assert b'type="checkbox" name="events"' in form.content

    assert _subscribe(admin_client, "https://hooks.example.com/rms").status_code == 302

    subscription = Subscription.objects.get()
    assert subscription.events == [EventType.REQUEST_STATUS_CHANGED, EventType.LIMIT_REACHED]
    assert subscription.created_by == admin_user
    page = admin_client.get(reverse("admin:webhooks_subscription_change", args=[subscription.pk]))
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret.encode() in page.content


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://localhost/", "ftp://example.com/"]
)
def test_a_private_address_is_refused_on_the_form(admin_client, url, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    answer = _subscribe(admin_client, url)
    assert answer.status_code == 200
    assert "url" in answer.context["adminform"].form.errors
    assert not Subscription.objects.exists()


def test_deliveries_are_listed_with_status_code_and_attempt_log(admin_client, admin_user, published):
    delivery = make_delivered(make_subscription(admin_user))
    listing = admin_client.get(reverse("admin:webhooks_delivery_changelist"), {"status__exact": "delivered"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [delivery]
    page = admin_client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert b"204" in page.content
    assert b"limit.reached" in page.content


def test_send_again_requeues_the_chosen_deliveries(
    admin_client, admin_user, published, django_capture_on_commit_callbacks
):
    subscription = make_subscription(admin_user)
    chosen, other = make_delivered(subscription), make_delivered(subscription)
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(
            reverse("admin:webhooks_delivery_changelist"),
            {"action": "send_again", "_selected_action": [chosen.pk]},
        )
    assert answer.status_code == 302
    chosen.refresh_from_db()
    assert (chosen.status, chosen.attempts) == (DeliveryStatus.PENDING, 0)
    assert chosen.attempts_log.count() == 1  # the history stays
    assert Delivery.objects.get(pk=other.pk).status == DeliveryStatus.DELIVERED
    assert published == [chosen.pk]


def test_a_reference_manager_does_not_reach_webhooks(client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:webhooks_subscription_changelist")).status_code in (302, 403)


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:webhooks_delivery_changelist")).status_code == 200
    return len(queries)


def test_the_delivery_log_costs_the_same_queries_for_2_or_20_deliveries(
    admin_client, django_assert_max_num_queries
):
    subscription = make_subscription()
    for _ in range(2):
        make_delivered(subscription)
    few = _changelist_queries(admin_client)
    for _ in range(18):
        make_delivered(make_subscription(name="Another"))
    with django_assert_max_num_queries(few):
        assert admin_client.get(reverse("admin:webhooks_delivery_changelist")).status_code == 200
