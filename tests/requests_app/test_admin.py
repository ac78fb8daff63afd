"""The request admin: a request's status belongs to the workflow, never edited there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_requests_status_is_not_editable_in_the_admin(client, admin_user, ref_request):
    client.force_login(admin_user)
    page = client.get(
        reverse("admin:requests_app_referencerequest_change", args=[ref_request.pk])
    ).content.decode()
    assert 'name="status"' not in page
