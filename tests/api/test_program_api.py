"""The program's records through the API: accounts, contacts, deals and activities read from the
pages' querysets, with the pages' field rules (health and preferences for managers; a contact's
email and phone for managers, or for a rep once their request naming the contact is approved)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from integrations.keys import api_key_create
from integrations.models import KeyScope
from references.models import BlackoutPeriod, CurrencyRate
from requests_app.models import RequestStatus
from tests.builders import catalogue
from tests.builders.requests import drive_to, make_request

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def results(client, url, **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Accounts ---------------------------------------------------------------------------------


def test_accounts_show_health_to_managers_only(sales_rep, manager, customer_account, customer_contact):
    as_rep = results(signed_in(sales_rep), "/api/accounts/")
    as_manager = results(signed_in(manager), "/api/accounts/")

    assert [a["name"] for a in as_rep] == ["Globex Bank"]
    assert as_rep[0]["contact_count"] == 1
    assert as_rep[0]["owner"]["name"] == "Olivia Owner"
    assert as_rep[0]["region"]["code"] and as_rep[0]["industry"]["naics_code"] == "52"
    assert {"nps", "at_risk", "open_escalations", "annual_contract_value"}.isdisjoint(as_rep[0])
    assert as_manager[0]["nps"] == 9 and as_manager[0]["annual_contract_value"] == "250000.00"
    detail = signed_in(sales_rep).get(f"/api/accounts/{customer_account.pk}/").json()
    assert "nps" not in detail and detail["name"] == "Globex Bank"


def test_account_filters_follow_the_facets(sales_rep, account_owner):
    bank = catalogue.make_account(account_owner, name="Alpha Bank", external_id="crm-1")
    factory = catalogue.make_account(account_owner, name="Beta Works", industry=catalogue.industry("31"))
    catalogue.make_account(account_owner, name="Gamma Retired", status="retired")
    client = signed_in(sales_rep)

    def names(**params):
        return [a["name"] for a in results(client, "/api/accounts/", **params)]

    assert names(industry=factory.industry_id) == ["Beta Works"]
    assert names(industry=[factory.industry_id, bank.industry_id]) == [
        "Alpha Bank",
        "Beta Works",
        "Gamma Retired",
    ]
    assert names(status="retired") == ["Gamma Retired"]
    assert names(q="bank") == ["Alpha Bank"]
    assert names(external_id="crm-1") == ["Alpha Bank"]
    assert names(ordering="-name") == ["Gamma Retired", "Beta Works", "Alpha Bank"]
    assert names(region=bank.country.region_id, country=bank.country_id, size=bank.size_band_id)
    refused = client.get("/api/accounts/", {"industry": "²"})
    assert refused.status_code == 400 and "industry" in refused.json()["error"]["fields"]


def test_accounts_page_through_unknown_customer_since(sales_rep, account_owner):
    """Ordering by a nullable date still reaches every row: unknown dates sort last."""
    for name, since in (("A", date(2019, 1, 1)), ("B", None), ("C", date(2018, 1, 1)), ("D", None)):
        catalogue.make_account(account_owner, name=name, customer_since=since)
    client = signed_in(sales_rep)
    seen, url, params = [], "/api/accounts/", {"ordering": "customer_since", "limit": 1}
    while url:
        page = client.get(url, params).json()
        seen += [a["name"] for a in page["results"]]
        url, params = page["next"], None
    assert seen == ["C", "A", "B", "D"]


def test_page_size_is_capped(sales_rep, account_owner):
    for n in range(205):
        catalogue.make_account(account_owner, name=f"Account {n:03d}")
    client = signed_in(sales_rep)
    assert len(results(client, "/api/accounts/", limit=3)) == 3
    assert len(results(client, "/api/accounts/", limit=1000)) == 200


# --- Contacts ---------------------------------------------------------------------------------


def test_contact_details_reach_a_rep_only_with_an_approved_request(
    sales_rep, other_rep, manager, customer_contact, customer_account, django_assert_max_num_queries
):
    bystander = catalogue.make_contact(customer_account, first_name="Bea", last_name="Bystander")
    request = make_request(sales_rep, customer_contact)
    rep, other = signed_in(sales_rep), signed_in(other_rep)

    def shown(client, contact):
        listed = {c["id"]: c for c in results(client, "/api/contacts/")}[contact.pk]
        detail = client.get(f"/api/contacts/{contact.pk}/").json()
        assert ("email" in listed) == ("email" in detail) == ("phone" in detail)
        return "email" in detail

    assert not shown(rep, customer_contact)  # submitted, not approved
    drive_to(request, RequestStatus.CUSTOMER_ASKED, customer_contact, manager)
    assert shown(rep, customer_contact)
    assert rep.get(f"/api/contacts/{customer_contact.pk}/").json()["email"] == customer_contact.email
    assert not shown(rep, bystander)
    # Released in the list's one query (session, user, groups, the page): no read per row.
    with django_assert_max_num_queries(4):
        rep.get("/api/contacts/")
    assert not shown(other, customer_contact)
    assert shown(signed_in(manager), bystander)


def test_preferences_are_the_programs(sales_rep, manager, customer_contact):
    soon = date.today() + timedelta(days=30)
    BlackoutPeriod.objects.create(contact=customer_contact, start=soon, end=soon, reason="Quarter close")
    mine = signed_in(manager).get(f"/api/contacts/{customer_contact.pk}/").json()
    theirs = signed_in(sales_rep).get(f"/api/contacts/{customer_contact.pk}/").json()

    assert mine["preferences"]["activity_types"] == ["reference_call"]
    assert mine["preferences"]["opted_out"] is False and mine["preferences"]["paused"] is False
    assert mine["blackouts"] == [
        {"start": soon.isoformat(), "end": soon.isoformat(), "reason": "Quarter close"}
    ]
    assert {"preferences", "blackouts", "email", "phone"}.isdisjoint(theirs)


def test_contact_filters(sales_rep, manager, customer_contact, account_owner):
    elsewhere = catalogue.make_contact(catalogue.make_account(account_owner), last_name="Elsewhere")
    rep, boss = signed_in(sales_rep), signed_in(manager)
    assert [c["id"] for c in results(rep, "/api/contacts/", account=elsewhere.account_id)] == [elsewhere.pk]
    assert [c["id"] for c in results(rep, "/api/contacts/", q="globex")] == [customer_contact.pk]
    # Only who may read the email finds a contact by it.
    assert results(rep, "/api/contacts/", q=customer_contact.email) == []
    assert [c["id"] for c in results(boss, "/api/contacts/", q=customer_contact.email)] == [
        customer_contact.pk
    ]


# --- Deals ------------------------------------------------------------------------------------


def test_a_rep_reads_own_and_team_deals_only(sales_rep, other_rep, manager, deal):
    theirs = catalogue.make_opportunity(other_rep, prospect_name="Zephyr Freight")
    shared = catalogue.make_opportunity(other_rep, prospect_name="Team Deal")
    shared.team.add(sales_rep)
    rep = signed_in(sales_rep)

    assert {d["prospect_name"] for d in results(rep, "/api/opportunities/")} == {"Prospect Bank", "Team Deal"}
    assert rep.get(f"/api/opportunities/{theirs.pk}/").status_code == 404
    assert rep.get(f"/api/opportunities/{shared.pk}/").status_code == 200
    assert [d["prospect_name"] for d in results(rep, "/api/opportunities/", owner="me")] == ["Prospect Bank"]
    assert len(results(signed_in(manager), "/api/opportunities/")) == 3


def test_deal_amounts_in_dollars_and_filters(sales_rep, deal):
    CurrencyRate.objects.update_or_create(currency="EUR", defaults={"per_usd": Decimal("0.5")})
    euro = catalogue.make_opportunity(
        sales_rep,
        prospect_name="Euro Deal",
        currency="EUR",
        amount=Decimal("100"),
        outcome="won",
        close_date=date.today() + timedelta(days=5),
    )
    rep = signed_in(sales_rep)
    detail = rep.get(f"/api/opportunities/{euro.pk}/").json()
    assert detail["amount"] == "100.00" and detail["amount_usd"] == "200.00" and detail["currency"] == "EUR"
    assert detail["owner"]["email"] == sales_rep.email
    assert [d["id"] for d in results(rep, "/api/opportunities/", outcome="won")] == [euro.pk]
    soon = (date.today() + timedelta(days=10)).isoformat()
    assert [d["id"] for d in results(rep, "/api/opportunities/", close_before=soon)] == [euro.pk]
    assert [d["id"] for d in results(rep, "/api/opportunities/", close_after=soon)] == [deal.pk]
    assert [d["id"] for d in results(rep, "/api/opportunities/", ordering="-close_date")] == [
        deal.pk,
        euro.pk,
    ]
    far = rep.get("/api/opportunities/", {"close_after": "9999-01-01"})
    assert far.status_code == 400 and "close_after" in far.json()["error"]["fields"]


# --- Activities -------------------------------------------------------------------------------


def test_activities_are_the_programs(sales_rep, manager, deal, customer_contact, account_owner):
    served = catalogue.make_activity(customer_contact, date.today() - timedelta(days=3))
    served.opportunities.add(deal)
    other = catalogue.make_contact(catalogue.make_account(account_owner))
    older = catalogue.make_activity(other, date.today() - timedelta(days=30), code="site_visit")
    boss = signed_in(manager)

    listed = results(boss, "/api/activities/")
    assert [a["id"] for a in listed] == [served.pk, older.pk]  # latest first
    assert listed[0]["opportunities"] == [
        {"id": deal.pk, "external_id": None, "prospect_name": "Prospect Bank"}
    ]
    assert [a["id"] for a in results(boss, "/api/activities/", ordering="occurred_on")] == [
        older.pk,
        served.pk,
    ]
    assert [a["id"] for a in results(boss, "/api/activities/", opportunity=deal.pk)] == [served.pk]
    assert [a["id"] for a in results(boss, "/api/activities/", activity_type="site_visit")] == [older.pk]
    assert [a["id"] for a in results(boss, "/api/activities/", contact=other.pk)] == [older.pk]
    week_ago = (date.today() - timedelta(days=7)).isoformat()
    assert [a["id"] for a in results(boss, "/api/activities/", occurred_after=week_ago)] == [served.pk]
    assert boss.get(f"/api/activities/{older.pk}/").json()["activity_type"]["code"] == "site_visit"
    assert signed_in(sales_rep).get("/api/activities/").status_code == 403


# --- Read-only, keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/accounts/", "/api/contacts/", "/api/opportunities/", "/api/activities/"]
)
def test_the_catalogue_is_read_only_here(manager, url):
    client = signed_in(manager)
    assert (
        client.post(url, {"name": "Made up", "status": "active"}, content_type="application/json").status_code
        == 405
    )


def test_a_read_key_reads_the_records(sales_rep, deal):
    _key, raw = api_key_create(user=sales_rep, name="BI", scopes=[KeyScope.READ])
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert [d["id"] for d in client.get("/api/opportunities/").json()["results"]] == [deal.pk]
    assert client.post("/api/notifications/read-all/").status_code == 403  # a write needs `write`


def test_the_schema_documents_the_records_and_what_may_be_absent(manager):
    schema = signed_in(manager).get("/api/schema/", {"format": "json"}).json()
    for route in ("/api/accounts/", "/api/contacts/{id}/", "/api/opportunities/", "/api/activities/"):
        assert route in schema["paths"]
    assert "/api/notifications/{id}/read/" in schema["paths"]
    components = schema["components"]["schemas"]
    # Keys a user may not read are left out of the answer, so the schema cannot require them.
    assert {"email", "phone", "preferences", "blackouts"}.isdisjoint(components["Contact"]["required"])
    assert {"nps", "at_risk", "annual_contract_value"}.isdisjoint(components["Account"]["required"])
    assert {"email", "preferences"} <= set(components["Contact"]["properties"])


GARBAGE = [
    "abc",
    "-1",
    "99999999999999999999",
    "²",
    "1;DROP TABLE x",
    "%00",
    "\x00",
    "2026-13-45",
    "9999-12-31",
]
TAMPERED = [
    "/api/accounts/?industry={v}&product={v}&region={v}&size={v}&status={v}&q={v}&ordering={v}&cursor={v}",
    "/api/contacts/?account={v}&persona={v}&q={v}&external_id={v}&limit={v}&cursor={v}",
    "/api/opportunities/?stage={v}&outcome={v}&close_after={v}&close_before={v}&owner={v}&cursor={v}",
    "/api/activities/?activity_type={v}&opportunity={v}&occurred_after={v}&ordering={v}&cursor={v}",
    "/api/notifications/?unread={v}&cursor={v}&limit={v}",
]


@pytest.mark.parametrize("value", GARBAGE)
def test_tampered_parameters_are_refused_not_crashed(manager, customer_contact, value):
    client = signed_in(manager)
    for template in TAMPERED:
        response = client.get(template.format(v=value))
        assert response.status_code in (200, 400, 404), (template, value, response.status_code)
        assert "error" in response.json() or "results" in response.json()
