"""The rules a submitted request must pass (requests_app.services.request_create, called by
workflows.services.request_submit): one open request per reference and deal, open deals only."""

import pytest

from core.errors import InvalidInput
from tests.builders.requests import drive_to, submit


def test_a_cancelled_request_no_longer_blocks_a_new_one(sales_rep, deal, references):
    first = submit(sales_rep, deal, references["full"])
    drive_to(first, "cancelled", references["full"], None)

    again = submit(sales_rep, deal, references["full"])

    assert again.pk != first.pk


def test_a_closed_deal_cannot_get_new_requests(sales_rep, deal, references):
    deal.outcome = "won"
    deal.save()

    with pytest.raises(InvalidInput) as refused:
        submit(sales_rep, deal, references["full"])
    assert refused.value.field == "opportunity"
