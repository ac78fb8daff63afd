"""Who may sync the CRM (reference managers, with a session or a `crm_sync` key), and what a
batch costs: the same number of queries for 10 items as for 1,000."""

import pytest
from django.contrib.auth.models import Group

from core.roles import Role
from integrations.keys import api_key_revoke
from references.models import Account, Contact, Opportunity
from tests.api.crm_helpers import account_item, contact_item, deal_item, keyed, post, put

ONE = "/api/crm/accounts/SF-A1/"


def test_a_key_without_the_crm_sync_scope_is_refused(client, manager, account_owner):
    crm = keyed(client, manager, scopes=("read", "write"))
    response = put(crm, ONE, account_item())
    assert response.status_code == 403
    assert "crm_sync" in response.json()["error"]["message"]
    assert not Account.objects.exists()


def test_a_sales_reps_key_or_session_is_refused(client, sales_rep, account_owner):
    keyed(client, sales_rep, scopes=("read", "write"))  # a rep may not hold a crm_sync key
    assert put(client, ONE, account_item()).status_code == 403
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(sales_rep)
    assert post(client, "/api/crm/accounts/bulk/", {"items": [account_item()]}).status_code == 403
    assert not Account.objects.exists()


def test_a_crm_key_of_a_manager_moved_to_sales_is_refused(client, manager, account_owner):
    crm = keyed(client, manager)
    manager.groups.set([Group.objects.get(name=Role.SALES.value)])
    response = put(crm, ONE, account_item())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Account.objects.exists()


def test_anonymous_and_revoked_keys_are_unauthorized(client, manager, account_owner):
    assert put(client, ONE, account_item()).status_code == 401
    crm = keyed(client, manager)
    api_key_revoke(key=manager.api_keys.get())
    assert put(crm, ONE, account_item()).status_code == 401


def test_a_manager_may_sync_from_a_signed_in_browser(client, manager, account_owner):
    client.force_login(manager)
    assert put(client, ONE, account_item()).status_code == 201


def test_a_superuser_may_sync(client, admin_user, account_owner):
    assert put(keyed(client, admin_user), ONE, account_item()).status_code == 201


def test_forms_are_not_taken(client, manager, account_owner):
    crm = keyed(client, manager)
    response = crm.post("/api/crm/accounts/bulk/", {"items": "x"})
    assert response.status_code == 415


# --- queries: the same for 10 items as for 1,000 --------------------------------------------

# Per call, whatever the number of items (accounts, the most): the key, its user and the user's
# groups (3); the batch's savepoint and its writes' (4 with their releases); the taxonomies (5)
# and the owners named (1); the rows by external id with their products and use cases (3, twice:
# read, then locked after the owner hand-overs); then one insert, or one or two updates (a value
# the same for every row, then those that differ row by row), and one delete
# and one insert per many-to-many field changed. Contacts and deals need fewer.
CREATE_BOUND = 20
UPDATE_BOUND = 22


def _batch(make, size: int, **changes) -> dict:
    return {"items": [make(f"X{n}", **changes) for n in range(size)]}


def _contacts(size: int, **changes) -> dict:
    return {"items": [contact_item(f"C{n}", account="SF-A1", **changes) for n in range(size)]}


KINDS = {
    "accounts": (lambda size, **c: _batch(account_item, size, **c), {"nps": 3, "products": ["AI Assistant"]}),
    "contacts": (_contacts, {"title": "Chief Reference Officer"}),
    "opportunities": (lambda size, **c: _batch(deal_item, size, **c), {"outcome": "won", "products": []}),
}


@pytest.mark.postgres  # SQLite cuts bulk writes into batches of 999 parameters
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("size", [10, 1000])
def test_a_batch_costs_the_same_queries_whatever_its_size(
    client, manager, account_owner, sales_rep, django_assert_max_num_queries, kind, size
):
    crm = keyed(client, manager)
    put(crm, ONE, account_item())
    make, changes = KINDS[kind]
    path = f"/api/crm/{kind}/bulk/"
    with django_assert_max_num_queries(CREATE_BOUND):
        created = post(crm, path, make(size))
    assert created.status_code == 200, created.json()
    assert {r["result"] for r in created.json()["results"]} == {"created"}
    with django_assert_max_num_queries(UPDATE_BOUND):
        updated = post(crm, path, make(size, **changes))
    assert {r["result"] for r in updated.json()["results"]} == {"updated"}
    with django_assert_max_num_queries(UPDATE_BOUND):
        unchanged = post(crm, path, make(size, **changes))
    assert {r["result"] for r in unchanged.json()["results"]} == {"unchanged"}
    model = {"accounts": Account, "contacts": Contact, "opportunities": Opportunity}[kind]
    assert model.objects.filter(external_id__regex=r"^[XC][0-9]+$").count() == size


def test_an_id_taken_by_another_writer_meanwhile_is_a_409(
    client, manager, account_owner, sales_rep, monkeypatch
):
    """Another sync created the deal between our read and our write: the unique index refuses
    ours, and the batch is a 409 to send again, nothing written."""
    from integrations.crm import opportunities

    crm = keyed(client, manager)
    assert put(crm, "/api/crm/opportunities/SF-O1/", deal_item("SF-O1")).status_code == 201
    monkeypatch.setattr(opportunities, "rows_by_external_id", lambda model, ids: {})  # did not see it
    response = post(crm, "/api/crm/opportunities/bulk/", {"items": [deal_item("SF-O2"), deal_item("SF-O1")]})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert list(Opportunity.objects.values_list("external_id", flat=True)) == ["SF-O1"]
