"""Review of issue 17's CRM upserts: batches the checks accept are written, not answered 409."""

import pytest

from references.models import Contact
from tests.api.crm_helpers import account_item, contact_item, keyed, post

CONTACTS = "/api/crm/contacts/bulk/"


@pytest.fixture
def crm(client, manager, account_owner):
    client = keyed(client, manager)
    assert post(client, "/api/crm/accounts/bulk/", {"items": [account_item()]}).status_code == 200
    return client


def test_an_email_handed_from_a_contact_to_a_new_one_in_one_batch_is_written(crm):
    assert post(crm, CONTACTS, {"items": [contact_item("SF-C1", email="cto@acme.test")]}).status_code == 200
    items = [
        contact_item("SF-C1", email="ada@acme.test"),  # Ada leaves the CTO mailbox
        contact_item("SF-C2", first_name="Grace", email="cto@acme.test"),  # to the new CTO
    ]
    response = post(crm, CONTACTS, {"items": items})
    assert response.status_code == 200, response.json()
    assert [r["result"] for r in response.json()["results"]] == ["updated", "created"]
    emails = dict(Contact.objects.values_list("external_id", "email"))
    assert emails == {"SF-C1": "ada@acme.test", "SF-C2": "cto@acme.test"}
