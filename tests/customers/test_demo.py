"""The demo gives customers feedback on most of their done requests."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from customers.models import CustomerFeedback
from requests_app.statuses import FEEDBACK_STATUSES

pytestmark = pytest.mark.django_db


def test_the_demo_has_customer_feedback_on_done_requests_only():
    call_command("seed_demo", accounts=30, seed=42, stdout=StringIO())

    feedback = CustomerFeedback.objects.all()
    assert feedback.exists()
    assert not feedback.exclude(request__status__in=FEEDBACK_STATUSES).exists()
    assert not feedback.exclude(contact=F("request__chosen_contact")).exists()
    assert not feedback.filter(rating__gt=5).exists()
