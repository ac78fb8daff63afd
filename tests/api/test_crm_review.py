"""Review of issue 17's CRM upserts: batches the checks accept are written, not answered 409."""

import pytest

from integrations.crm import accounts
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


def test_two_contacts_may_swap_or_pass_on_their_emails_in_one_batch(crm):
    first = [
        contact_item("SF-C1", email="a@acme.test"),
        contact_item("SF-C2", email="b@acme.test"),
        contact_item("SF-C3", email="c@acme.test"),
    ]
    assert post(crm, CONTACTS, {"items": first}).status_code == 200
    items = [
        contact_item("SF-C1", email="b@acme.test"),  # a and b swap
        contact_item("SF-C2", email="a@acme.test"),
        contact_item("SF-C3", email="d@acme.test"),
    ]
    response = post(crm, CONTACTS, {"items": items})
    assert response.status_code == 200, response.json()
    emails = dict(Contact.objects.values_list("external_id", "email"))
    assert emails == {"SF-C1": "b@acme.test", "SF-C2": "a@acme.test", "SF-C3": "d@acme.test"}
    again = post(crm, CONTACTS, {"items": items}).json()["results"]
    assert [r["result"] for r in again] == ["unchanged"] * 3


def test_a_contact_moved_to_another_account_keeps_its_email(crm):
    assert post(crm, "/api/crm/accounts/bulk/", {"items": [account_item("SF-A2")]}).status_code == 200
    assert post(crm, CONTACTS, {"items": [contact_item("SF-C1", email="a@acme.test")]}).status_code == 200
    moved = {"items": [{"external_id": "SF-C1", "account_external_id": "SF-A2"}]}
    response = post(crm, CONTACTS, moved)
    assert response.status_code == 200, response.json()
    contact = Contact.objects.select_related("account").get(external_id="SF-C1")
    assert (contact.account.external_id, contact.email) == ("SF-A2", "a@acme.test")


def test_accounts_change_owner_in_id_order_whatever_the_items_order(crm, sales_rep, monkeypatch):
    """Each hand-over locks its account: batches must take the locks in one order (ids, as
    `rows_by_external_id` does), or two batches naming the same accounts deadlock."""
    items = [account_item(f"SF-B{n}") for n in range(3)]
    assert post(crm, "/api/crm/accounts/bulk/", {"items": items}).status_code == 200
    handed = []
    real = accounts.account_owner_reassign

    def recording(*, account, **kwargs):
        handed.append(account.pk)
        return real(account=account, **kwargs)

    monkeypatch.setattr(accounts, "account_owner_reassign", recording)
    moved = [account_item(f"SF-B{n}", owner_email=sales_rep.email) for n in (2, 0, 1)]
    response = post(crm, "/api/crm/accounts/bulk/", {"items": moved})
    assert response.status_code == 200, response.json()
    assert len(handed) == 3 and handed == sorted(handed)
