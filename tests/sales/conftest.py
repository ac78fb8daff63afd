"""Sales portal fixtures: a small indexed catalogue, a deal of the signed-in rep."""

import pytest
from django.utils import timezone

from tests.builders import catalogue as factories
from tests.builders.search import index, make_reference, product


@pytest.fixture
def deal(sales_rep):
    """Sally's open deal: a US bank buying Analytics Cloud."""
    return factories.make_opportunity(
        sales_rep, prospect_name="Prospect Bank", products=[product("Analytics Cloud")]
    )


@pytest.fixture
def references(account_owner):
    """Four offerable references (Olivia's accounts), indexed; and one that opted out."""
    made = {
        "full": make_reference(
            account_owner, name="Acme Savings", products=("Analytics Cloud",), story="Fraud detection story."
        ),
        "industry": make_reference(account_owner, name="Brightline Insurance", products=("Secure Edge",)),
        "product": make_reference(
            account_owner, name="Cobalt Manufacturing", industry="31", products=("Analytics Cloud",)
        ),
        "none": make_reference(account_owner, name="Delta Foods", industry="31", country="DE"),
    }
    made["opted_out"] = make_reference(
        account_owner, name="Echo Opted Out", prefs={"opted_out": True, "opted_out_at": timezone.now()}
    )
    index()
    return made


@pytest.fixture
def rep_client(client, sales_rep):
    client.force_login(sales_rep)
    return client


def contact_secrets(*contacts) -> list[str]:
    """The strings that must never reach a rep before approval: every email and phone."""
    secrets = []
    for contact in contacts:
        secrets += [contact.email, contact.phone]
    return [s for s in secrets if s]
