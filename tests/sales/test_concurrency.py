"""Two submissions of the same reference for the same deal at the same moment: one request."""

import threading
from datetime import date, timedelta

import pytest
from django.db import close_old_connections, connection

from requests_app.models import ReferenceRequest
from requests_app.services import DuplicateRequest, request_submit
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(workers) -> list:
    """Run each callable in its own thread and connection, released together by a barrier."""
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(index, work):
        close_old_connections()
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, work)) for i, work in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


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

    results = _race([submit, submit, submit])

    created = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, DuplicateRequest)]
    assert len(created) == 1 and len(refused) == 2, results
    assert refused[0].existing.pk == created[0]
    assert ReferenceRequest.objects.count() == 1
