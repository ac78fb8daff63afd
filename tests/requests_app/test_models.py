"""The request model: its status is no editable field (only the workflow's service changes it)."""

import pytest

from requests_app.models import ReferenceRequest

pytestmark = pytest.mark.django_db


def test_the_status_is_not_an_editable_field():
    assert ReferenceRequest._meta.get_field("status").editable is False
