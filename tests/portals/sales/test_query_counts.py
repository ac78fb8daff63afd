"""Query counts of the sales portal's lists (approvals, nominations) stay the same with few and
with many rows."""

import pytest
from django.urls import reverse

from requests_app.services import nomination_submit
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db


def test_approvals(client, account_owner, program, manager, django_assert_max_num_queries, base_queries):
    for request in program:
        contact = request.candidates.get().contact
        drive_to(request, "awaiting_owner", contact, manager)
    client.force_login(account_owner)
    # The base + pending rows + answered rows.
    with django_assert_max_num_queries(base_queries + 3):
        response = client.get(reverse("sales:approvals"))
    assert len(response.context["pending"]) == len(program)


@pytest.mark.parametrize("size", [3, 30])
def test_my_nominations(client, sales_rep, account_owner, size, django_assert_max_num_queries, base_queries):
    account = factories.make_account(account_owner)
    for n in range(size):
        nomination_submit(
            nominator=sales_rep,
            account=account,
            contact_name=f"Person {n}",
            reason="Spoke at our user group.",
            activity_types=[factories.activity_type()],
        )
    client.force_login(sales_rep)
    # The base (session, user, groups, navigation counts) + page count, the page, its activity types.
    with django_assert_max_num_queries(base_queries + 3):
        response = client.get(reverse("sales:nominations"))
    assert response.status_code == 200
    assert response.content.decode().count("Person ") == min(size, 25)
