"""The demo's limits and notifications: contacts resting at a limit and near one, own caps,
blackouts, and read and unread notifications for every demo user."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from limits.models import ContactUsage, LimitRule, LimitRun
from limits.usage import usage_recompute
from notifications.models import Notification
from references.models import Contact, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", accounts=150, seed=7, stdout=StringIO())


def test_the_demo_has_contacts_resting_at_a_limit_and_near_one(demo):
    rested = ContactUsage.objects.filter(state="limited", rested_by_job=True)
    assert rested.exists()
    assert set(Contact.objects.filter(usage__in=rested).values_list("status", flat=True)) == {"resting"}
    assert StatusChange.objects.filter(reason__startswith="Burnout limit", to_status="resting").exists()
    assert ContactUsage.objects.filter(state="near").exists()
    assert Contact.objects.filter(preferences__own_cap_per_quarter__isnull=False).exists()
    assert Contact.objects.filter(blackouts__isnull=False).exists()
    assert LimitRule.objects.exists() and LimitRun.objects.count() == 1
    assert not usage_recompute().changed_anything  # the demo is what the job would leave


def test_every_demo_user_has_read_and_unread_notifications(demo):
    users = ["admin", "manager", "sales", "sales2", "marketing"]
    counts = (
        Notification.objects.filter(user__username__in=users, channel="in_app")
        .values("user__username")
        .annotate(
            read=Count("pk", filter=Q(read_at__isnull=False)), unread=Count("pk", filter=Q(read_at=None))
        )
    )
    assert {row["user__username"] for row in counts if row["read"] and row["unread"]} == set(users)
    assert not Notification.objects.filter(status__in=["pending", "sending", "held"]).exists()
