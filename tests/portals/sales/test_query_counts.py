"""Query counts of the account owner's approvals stay the same with few and with many rows."""

import pytest
from django.urls import reverse

from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db


def test_approvals(client, account_owner, program, manager, django_assert_max_num_queries, base_queries):
    for request in program:
        contact = request.candidates.get().contact
        drive_to(request, "awaiting_owner", contact, manager)
    client.force_login(account_owner)
    # The base + pending rows + answered rows.
    with django_assert_max_num_queries(base_queries + 2):
        response = client.get(reverse("sales:approvals"))
    assert len(response.context["pending"]) == len(program)
