"""CRM sync of accounts: a manager's CRM creates and updates accounts by external id, one at a
time or in a batch, idempotently, all or nothing."""

from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest

from references.models import Account, AccountNote
from references.statuses import ReferenceStatus
from tests.api.crm_helpers import account_item, keyed, post, put

ONE = "/api/crm/accounts/{}/"
BULK = "/api/crm/accounts/bulk/"


@pytest.fixture
def crm(client, manager, account_owner):
    return keyed(client, manager)


def test_put_creates_the_account_with_the_crms_values(crm):
    response = put(crm, ONE.format("SF-A1"), account_item())
    assert response.status_code == 201, response.json()
    body = response.json()
    account = Account.objects.get(external_id="SF-A1")
    assert body == {"index": 0, "external_id": "SF-A1", "result": "created", "id": account.pk}
    assert account.name == "Acme Bank"
    assert account.industry.naics_code == "52"
    assert account.country.code == "DE"
    assert account.size_band.name == "Mid-market (100–999)"
    assert account.owner.username == "olivia"
    assert account.annual_contract_value == Decimal("120000.00")
    assert account.currency == "EUR"
    assert account.renewal_date == date(2027, 3, 1)
    assert sorted(account.products.values_list("name", flat=True)) == ["Analytics Cloud", "Secure Edge"]
    assert list(account.use_cases.values_list("name", flat=True)) == ["Fraud detection"]
    assert account.status == ReferenceStatus.CANDIDATE  # the model's default: the program decides


def test_the_same_payload_twice_changes_nothing_the_second_time(crm):
    put(crm, ONE.format("SF-A1"), account_item())
    before = Account.objects.get(external_id="SF-A1")
    again = put(crm, ONE.format("SF-A1"), account_item())
    assert again.status_code == 200
    assert again.json()["result"] == "unchanged"
    after = Account.objects.get(external_id="SF-A1")
    assert after.updated_at == before.updated_at
    batch = post(crm, BULK, {"items": [account_item()]})
    assert batch.json()["results"][0]["result"] == "unchanged"
    assert Account.objects.get(external_id="SF-A1").updated_at == before.updated_at


def test_an_update_changes_only_what_the_item_names(crm):
    put(crm, ONE.format("SF-A1"), account_item())
    before = Account.objects.get(external_id="SF-A1")
    response = put(crm, ONE.format("SF-A1"), {"nps": 4, "at_risk": True, "products": ["AI Assistant"]})
    assert response.status_code == 200, response.json()
    assert response.json()["result"] == "updated"
    account = Account.objects.get(external_id="SF-A1")
    assert (account.nps, account.at_risk, account.name) == (4, True, "Acme Bank")
    assert list(account.products.values_list("name", flat=True)) == ["AI Assistant"]
    assert account.updated_at > before.updated_at  # the search index refresh picks it up


def test_a_product_change_alone_is_an_update(crm):
    put(crm, ONE.format("SF-A1"), account_item())
    response = put(crm, ONE.format("SF-A1"), account_item(products=["Analytics Cloud"]))
    assert response.json()["result"] == "updated"
    assert Account.objects.get(external_id="SF-A1").products.count() == 1


def test_status_sent_by_the_crm_is_ignored(crm, account_owner):
    """The reference status is the program's: a `status` in the item changes nothing."""
    put(crm, ONE.format("SF-A1"), account_item(status="retired", id=999999))
    account = Account.objects.get(external_id="SF-A1")
    assert account.status == ReferenceStatus.CANDIDATE
    assert account.pk != 999999
    Account.objects.filter(pk=account.pk).update(status=ReferenceStatus.ACTIVE)
    response = put(crm, ONE.format("SF-A1"), account_item(status="defected"))
    assert response.json()["result"] == "unchanged"
    assert Account.objects.get(pk=account.pk).status == ReferenceStatus.ACTIVE


def test_a_new_account_needs_its_required_fields(crm):
    response = put(crm, ONE.format("SF-A9"), {"name": "Only a name"})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"industry", "size_band", "country", "owner_email"}
    assert not Account.objects.filter(external_id="SF-A9").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"owner_email": "nobody@nowhere.test"}, "owner_email"),
        ({"industry": "99"}, "industry"),
        ({"currency": "XYZ"}, "currency"),
        ({"country": "ZZ"}, "country"),
        ({"size_band": "Gigantic"}, "size_band"),
        ({"products": ["Teleporter"]}, "products"),
        ({"nps": 11}, "nps"),
        ({"annual_contract_value": "-1"}, "annual_contract_value"),
        ({"customer_since": "1066-10-14"}, "customer_since"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_values_are_a_400_naming_the_field(crm, changes, field):
    response = put(crm, ONE.format("SF-A1"), account_item(**changes))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert not Account.objects.exists()


def test_an_owner_who_cannot_own_accounts_is_refused(crm, marketer):
    response = put(crm, ONE.format("SF-A1"), account_item(owner_email=marketer.email))
    assert response.status_code == 400
    assert "owner_email" in response.json()["error"]["fields"]


def test_the_body_may_not_name_another_external_id(crm):
    response = put(crm, ONE.format("SF-A1"), account_item(external_id="SF-A2"))
    assert response.status_code == 400
    assert "external_id" in response.json()["error"]["fields"]


def test_a_batch_creates_and_updates_and_says_which(crm):
    put(crm, ONE.format("SF-A1"), account_item())
    items = [
        account_item(),
        account_item("SF-A2", name="Beta"),
        account_item("SF-A3", nps=None, name="Gamma"),
    ]
    items[0]["name"] = "Acme Bank AG"
    response = post(crm, BULK, {"items": items})
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [(r["index"], r["external_id"], r["result"]) for r in results] == [
        (0, "SF-A1", "updated"),
        (1, "SF-A2", "created"),
        (2, "SF-A3", "created"),
    ]
    by_id = {a.external_id: a for a in Account.objects.all()}
    assert [r["id"] for r in results] == [by_id[e].pk for e in ("SF-A1", "SF-A2", "SF-A3")]
    assert by_id["SF-A1"].name == "Acme Bank AG"
    assert by_id["SF-A3"].nps is None


def test_a_batch_with_bad_items_writes_nothing_and_names_each(crm):
    items = [account_item(f"SF-A{n}") for n in range(5)]
    items[1]["currency"] = "XYZ"
    items[3]["industry"] = "00"
    items[3]["owner_email"] = "ghost@vendor.test"
    response = post(crm, BULK, {"items": items})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields["items"]) == {"1", "3"}
    assert list(fields["items"]["1"]) == ["currency"]
    assert set(fields["items"]["3"]) == {"industry", "owner_email"}
    assert not Account.objects.exists()


def test_an_external_id_twice_in_one_batch_names_the_second(crm):
    response = post(crm, BULK, {"items": [account_item("X1"), account_item("X2"), account_item("X1")]})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "items": {"2": {"external_id": ["Already sent at item 0 of this batch."]}}
    }
    assert not Account.objects.exists()


def test_more_than_a_thousand_items_are_refused(crm):
    response = post(crm, BULK, {"items": [account_item(f"A{n}") for n in range(1001)]})
    assert response.status_code == 400
    assert "items" in response.json()["error"]["fields"]
    assert not Account.objects.exists()


def test_an_empty_or_malformed_batch_is_a_400(crm):
    for body in ({"items": []}, {"items": "nope"}, [], {"items": [[]]}):
        assert post(crm, BULK, body).status_code == 400


def test_a_new_owner_from_the_crm_takes_the_account_over_with_a_note(crm, sales_rep):
    put(crm, ONE.format("SF-A1"), account_item())
    response = put(crm, ONE.format("SF-A1"), account_item(owner_email=sales_rep.email))
    assert response.json()["result"] == "updated"
    account = Account.objects.get(external_id="SF-A1")
    assert account.owner == sales_rep
    note = AccountNote.objects.get(account=account)
    assert "Olivia" in note.body and "Changed in the CRM." in note.body
    assert put(crm, ONE.format("SF-A1"), account_item(owner_email=sales_rep.email)).json()["result"] == (
        "unchanged"
    )


@pytest.mark.parametrize("external_id", ["a b", "50%", "x" * 65, "ok\nno", "¬\n¹"])
def test_an_external_id_a_crm_cannot_have_is_refused(crm, external_id):
    response = put(crm, ONE.format(quote(external_id, safe="")), account_item(external_id=external_id))
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["external_id"]


def test_a_batch_of_mixed_changes_writes_each_row_its_own(crm):
    """Same value for all (one UPDATE), values row by row and fields only some rows change
    (the bulk update): every row ends as its item says, and only the changed ones move."""
    items = [account_item(f"M{n}", nps=8, at_risk=False) for n in range(4)]
    post(crm, BULK, {"items": items})
    before = {a.external_id: a.updated_at for a in Account.objects.all()}
    items[0] |= {"nps": 3, "at_risk": True, "currency": "USD"}
    items[1] |= {"nps": 5, "at_risk": True, "currency": "USD"}
    items[2] |= {"name": "Renamed", "currency": "USD"}
    response = post(crm, BULK, {"items": items})
    assert [r["result"] for r in response.json()["results"]] == ["updated", "updated", "updated", "unchanged"]
    rows = {a.external_id: a for a in Account.objects.all()}
    assert [(rows[e].nps, rows[e].at_risk, rows[e].currency) for e in ("M0", "M1", "M2", "M3")] == [
        (3, True, "USD"),
        (5, True, "USD"),
        (8, False, "USD"),
        (8, False, "EUR"),
    ]
    assert rows["M2"].name == "Renamed" and rows["M0"].name == "Acme Bank"
    assert rows["M3"].updated_at == before["M3"]
    assert all(rows[e].updated_at > before[e] for e in ("M0", "M1", "M2"))
