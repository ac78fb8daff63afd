import pytest

from limits.models import LimitPolicy
from tests.builders import catalogue as factories


@pytest.fixture
def policy(db) -> LimitPolicy:
    """The program's defaults: 4 per contact and 6 per account in 90 days, 14 days of rest."""
    return LimitPolicy.current()


@pytest.fixture
def account(account_owner):
    return factories.make_account(account_owner, name="Initech")


@pytest.fixture
def contact(account):
    return factories.make_contact(
        account, first_name="Pat", last_name="Busy", activity_types=("reference_call",)
    )


@pytest.fixture
def call():
    return factories.activity_type("reference_call")
