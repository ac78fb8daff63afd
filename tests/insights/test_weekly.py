"""The weekly digest (insights.weekly): to the managers, once a week."""

import pytest
from django.utils import timezone

from insights.weekly import weekly_digest
from notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_weekly_digest_goes_to_managers_once_a_week(manager, second_manager, sales_rep, ref_request):
    now = timezone.now()

    assert weekly_digest(now=now) == 2  # two managers, by email (the kind's default)
    weekly_digest(now=now)  # again: the same week's key is written once
    digests = Notification.objects.filter(kind="weekly_digest")
    assert digests.count() == 2 and set(digests.values_list("channel", flat=True)) == {"email"}
    assert not digests.filter(user=sales_rep).exists()
    assert "New requests: 1" in digests.first().body
