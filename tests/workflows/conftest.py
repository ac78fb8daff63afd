import pytest

from tests.builders.requests import make_request


@pytest.fixture
def ref_request(sales_rep, customer_contact):
    """A reference-call request by the sales rep naming the account owner's contact, just submitted."""
    return make_request(sales_rep, customer_contact)
