"""CRM sync of contacts and deals: contacts join accounts the CRM sent before; a deal the CRM
marks won or lost is closed, and the program's figures read its outcome."""

from decimal import Decimal

import pytest
from django.test import Client

from references.models import Contact, Opportunity, ParticipationPreferences
from references.statuses import ReferenceStatus
from tests.api.crm_helpers import account_item, contact_item, deal_item, keyed, post, put

CONTACT = "/api/crm/contacts/{}/"
CONTACTS = "/api/crm/contacts/bulk/"
DEAL = "/api/crm/opportunities/{}/"
DEALS = "/api/crm/opportunities/bulk/"


@pytest.fixture
def crm(client, manager, account_owner, sales_rep):
    client = keyed(client, manager)
    assert (
        post(
            client, "/api/crm/accounts/bulk/", {"items": [account_item(), account_item("SF-A2")]}
        ).status_code
        == 200
    )
    return client


# --- contacts ------------------------------------------------------------------------------


def test_put_creates_a_contact_at_the_crms_account_with_default_preferences(crm):
    response = put(crm, CONTACT.format("SF-C1"), contact_item(status="active"))
    assert response.status_code == 201, response.json()
    contact = Contact.objects.select_related("account", "persona").get(external_id="SF-C1")
    assert response.json()["id"] == contact.pk
    assert contact.account.external_id == "SF-A1"
    assert (contact.first_name, contact.persona.code, contact.time_zone) == (
        "Ada",
        "technical",
        "Europe/Berlin",
    )
    assert contact.status == ReferenceStatus.CANDIDATE  # `status` is ignored: the program's
    preferences = ParticipationPreferences.objects.get(contact=contact)
    assert not preferences.opted_out and preferences.consent_given_at is None


def test_a_contact_sent_twice_is_unchanged_then_updated_and_moved(crm):
    put(crm, CONTACT.format("SF-C1"), contact_item())
    before = Contact.objects.get(external_id="SF-C1")
    assert put(crm, CONTACT.format("SF-C1"), contact_item()).json()["result"] == "unchanged"
    assert Contact.objects.get(pk=before.pk).updated_at == before.updated_at
    moved = put(crm, CONTACT.format("SF-C1"), {"account_external_id": "SF-A2", "title": "CEO"})
    assert moved.json()["result"] == "updated"
    contact = Contact.objects.select_related("account").get(pk=before.pk)
    assert (contact.account.external_id, contact.title, contact.last_name) == ("SF-A2", "CEO", "Lovelace")
    assert ParticipationPreferences.objects.filter(contact=contact).count() == 1


def test_a_contact_of_an_unknown_account_is_refused(crm):
    response = put(crm, CONTACT.format("SF-C1"), contact_item(account="SF-NOPE"))
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["account_external_id"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"persona": "wizard"}, "persona"),
        ({"email": "not-an-email"}, "email"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"language": "English"}, "language"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_bad_contact_values_name_the_field(crm, changes, field):
    response = put(crm, CONTACT.format("SF-C1"), contact_item(**changes))
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_two_contacts_of_one_account_may_not_share_an_email(crm):
    put(crm, CONTACT.format("SF-C1"), contact_item(email="ada@acme.test"))
    items = [
        contact_item("SF-C2", email="ADA@acme.test"),
        contact_item("SF-C3", account="SF-A2", email="a@b.test"),
    ]
    items.append(contact_item("SF-C4", account="SF-A2", email="A@b.test"))
    response = post(crm, CONTACTS, {"items": items})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]["items"]) == {"0", "2"}
    assert Contact.objects.count() == 1


def test_a_contact_batch_with_one_bad_item_writes_nothing(crm):
    items = [contact_item(f"SF-C{n}") for n in range(4)]
    items[2]["persona"] = "wizard"
    response = post(crm, CONTACTS, {"items": items})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["items"] == {
        "2": {"persona": ["“wizard” is not a persona's code in use."]}
    }
    assert not Contact.objects.exists()
    items[2]["persona"] = "executive"
    results = post(crm, CONTACTS, {"items": items}).json()["results"]
    assert [r["result"] for r in results] == ["created"] * 4
    assert ParticipationPreferences.objects.filter(contact__external_id__startswith="SF-C").count() == 4


# --- deals ---------------------------------------------------------------------------------


def test_put_creates_a_deal_owned_by_the_rep_the_crm_names(crm, sales_rep):
    response = put(crm, DEAL.format("SF-O1"), deal_item())
    assert response.status_code == 201, response.json()
    deal = Opportunity.objects.get(external_id="SF-O1")
    assert deal.owner == sales_rep
    assert (deal.amount, deal.currency, deal.stage, deal.outcome) == (
        Decimal("50000.00"),
        "EUR",
        "proposal",
        "open",
    )
    assert list(deal.products.values_list("name", flat=True)) == ["Analytics Cloud"]
    assert deal.size_band.name == "Large (1,000–9,999)"


def test_a_deal_won_in_the_crm_is_closed_and_counts_as_won(crm):
    put(crm, DEAL.format("SF-O1"), deal_item())
    response = put(
        crm, DEAL.format("SF-O1"), {"outcome": "won", "amount": "62000", "close_date": "2026-11-30"}
    )
    assert response.json()["result"] == "updated"
    deal = Opportunity.objects.get(external_id="SF-O1")
    assert (deal.outcome, deal.stage, deal.amount) == ("won", "closed", Decimal("62000.00"))
    assert str(deal.close_date) == "2026-11-30"
    assert Opportunity.objects.filter(outcome=Opportunity.Outcome.WON).count() == 1
    # The CRM keeps sending its own stage name: still closed, nothing changes.
    again = put(crm, DEAL.format("SF-O1"), {"outcome": "won", "stage": "negotiation"})
    assert again.json()["result"] == "unchanged"


def test_a_lost_deal_in_a_batch_is_closed_too(crm):
    results = post(crm, DEALS, {"items": [deal_item(outcome="lost"), deal_item("SF-O2")]}).json()["results"]
    assert [r["result"] for r in results] == ["created", "created"]
    assert Opportunity.objects.get(external_id="SF-O1").stage == Opportunity.Stage.CLOSED
    assert Opportunity.objects.get(external_id="SF-O2").stage == "proposal"


def test_an_open_deal_cannot_be_at_the_closed_stage(crm):
    response = put(crm, DEAL.format("SF-O1"), deal_item(stage="closed"))
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["stage"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "EURO"}, "currency"),
        ({"currency": "ABC"}, "currency"),
        ({"owner_email": "ghost@vendor.test"}, "owner_email"),
        ({"industry": "1"}, "industry"),
        ({"outcome": "maybe"}, "outcome"),
        ({"amount": "-5"}, "amount"),
        ({"close_date": "9999-01-01"}, "close_date"),
    ],
)
def test_bad_deal_values_name_the_field(crm, changes, field):
    response = put(crm, DEAL.format("SF-O1"), deal_item(**changes))
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Opportunity.objects.exists()


def test_the_crm_hands_a_deal_to_another_rep(crm, other_rep):
    put(crm, DEAL.format("SF-O1"), deal_item())
    response = put(crm, DEAL.format("SF-O1"), {"owner_email": other_rep.email})
    assert response.json()["result"] == "updated"
    assert Opportunity.objects.get(external_id="SF-O1").owner == other_rep


def test_a_deal_size_band_may_be_cleared(crm):
    put(crm, DEAL.format("SF-O1"), deal_item())
    assert put(crm, DEAL.format("SF-O1"), {"size_band": None}).json()["result"] == "updated"
    assert Opportunity.objects.get(external_id="SF-O1").size_band is None


def test_a_deal_carries_the_day_it_opened_and_the_api_shows_it(crm, manager):
    put(crm, DEAL.format("SF-O1"), deal_item(opened_on="2026-09-01"))
    deal = Opportunity.objects.get(external_id="SF-O1")
    assert str(deal.opened_on) == "2026-09-01"
    reader = Client()
    reader.force_login(manager)
    assert reader.get(f"/api/opportunities/{deal.pk}/").json()["opened_on"] == "2026-09-01"
    assert put(crm, DEAL.format("SF-O1"), {"opened_on": None}).json()["result"] == "updated"
    assert Opportunity.objects.get(external_id="SF-O1").opened_on is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"opened_on": "2027-07-01"}, "opened_on"),  # after the close date (30 Jun 2027)
        ({"opened_on": "1066-10-14"}, "opened_on"),
        ({"opened_on": "someday"}, "opened_on"),
    ],
)
def test_a_bad_opening_day_names_the_field(crm, changes, field):
    response = put(crm, DEAL.format("SF-O1"), deal_item(**changes))
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: response.json()["error"]["fields"][field]}
    assert not Opportunity.objects.exists()


def test_a_close_date_moved_before_the_opening_is_refused(crm):
    put(crm, DEAL.format("SF-O1"), deal_item(opened_on="2027-01-15"))
    response = post(crm, DEALS, {"items": [{"external_id": "SF-O1", "close_date": "2027-01-01"}]})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]["items"]["0"]) == ["close_date"]
