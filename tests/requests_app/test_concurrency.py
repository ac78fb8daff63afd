"""Two submissions of the same reference for the same deal at the same moment: one request."""

from datetime import date, timedelta

import pytest

from requests_app.models import ReferenceRequest
from requests_app.services import DuplicateRequest
from tests.builders import catalogue as factories
from tests.concurrency import race
from workflows.services import request_submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_simultaneous_duplicate_submissions_make_one_request(sales_rep, customer_contact):
    deal = factories.make_opportunity(sales_rep)
    call = factories.activity_type("reference_call")

    def submit():
        return request_submit(
            requester=sales_rep,
            opportunity=deal,
            activity_type=call,
            contacts=[customer_contact.pk],
            needed_by=date.today() + timedelta(days=10),
        ).pk

    results = race([submit, submit, submit])

    created = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, DuplicateRequest)]
    assert len(created) == 1 and len(refused) == 2, results
    assert refused[0].existing.pk == created[0]
    assert ReferenceRequest.objects.count() == 1
