"""The rep's deals (list, add, page) and nominations (find the account, nominate, follow)."""

from datetime import date, timedelta

import pytest

from references.models import Opportunity
from requests_app.models import Nomination
from tests.builders import catalogue as factories
from tests.builders.search import product


def deal_form(**overrides):
    data = {
        "prospect_name": "Initrode Capital",
        "industry": factories.industry("52").pk,
        "country": factories.country("GB").pk,
        "size_band": factories.size_band(3).pk,
        "products": [product("Analytics Cloud").pk],
        "amount": "250000",
        "currency": "gbp",
        "stage": "proposal",
        "close_date": (date.today() + timedelta(days=45)).isoformat(),
        "external_id": "CRM-0042",
    }
    return {**data, **overrides}


def test_adding_a_deal_makes_it_mine_and_findable(rep_client, sales_rep):
    response = rep_client.post("/sales/opportunities/new/", deal_form())

    deal = Opportunity.objects.get(external_id="CRM-0042")
    assert response.status_code == 302 and response["Location"] == f"/sales/opportunities/{deal.pk}/"
    assert (deal.owner, deal.currency, deal.outcome) == (sales_rep, "GBP", "open")
    assert list(deal.products.all()) == [product("Analytics Cloud")]
    page = rep_client.get(response["Location"]).content.decode()
    assert "Find references" in page and "Initrode Capital" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"close_date": "2001-01-01"}, "close_date"),
        ({"currency": "XYZ"}, "currency"),
        ({"amount": "-5"}, "amount"),
        ({"stage": "closed"}, "stage"),
        ({"industry": "999999"}, "industry"),
        ({"prospect_name": "   "}, "prospect_name"),
    ],
)
def test_a_bad_deal_is_refused_with_a_form_error(rep_client, overrides, field):
    response = rep_client.post("/sales/opportunities/new/", deal_form(**overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Opportunity.objects.exists()


def test_a_crm_id_already_taken_is_refused(rep_client, other_rep):
    factories.make_opportunity(other_rep, external_id="CRM-0042")

    response = rep_client.post("/sales/opportunities/new/", deal_form())

    assert "already exists" in str(response.context["form"].errors["external_id"])
    assert Opportunity.objects.count() == 1


def test_my_deals_lists_mine_and_team_deals_only(rep_client, sales_rep, other_rep):
    mine = factories.make_opportunity(sales_rep, prospect_name="Mine Inc")
    team = factories.make_opportunity(other_rep, prospect_name="Team Corp")
    team.team.add(sales_rep)
    factories.make_opportunity(other_rep, prospect_name="Theirs Ltd")
    won = factories.make_opportunity(sales_rep, prospect_name="Won Co", outcome="won")

    page = rep_client.get("/sales/opportunities/").content.decode()
    assert "Mine Inc" in page and "Team Corp" in page
    assert "Theirs Ltd" not in page and "Won Co" not in page
    assert "Won Co" in rep_client.get("/sales/opportunities/?outcome=won").content.decode()
    assert rep_client.get(f"/sales/opportunities/{won.pk}/").status_code == 200
    assert rep_client.get(f"/sales/opportunities/{mine.pk}/").status_code == 200


@pytest.mark.parametrize("size", [10, 200])
def test_my_deals_queries_do_not_grow(client, sales_rep, size, django_assert_max_num_queries):
    for n in range(size):
        factories.make_opportunity(sales_rep, prospect_name=f"Prospect {n}")
    client.force_login(sales_rep)

    # Session, user, groups; page count, the page; the navigation's task counts and notifications.
    with django_assert_max_num_queries(7):
        response = client.get("/sales/opportunities/")
    assert response.status_code == 200


def test_nominating_an_existing_contact(rep_client, sales_rep, account_owner):
    account = factories.make_account(account_owner, name="Vandelay Industries")
    contact = factories.make_contact(account, first_name="Art", last_name="Vandelay", status="candidate")

    found = rep_client.get("/sales/nominations/new/", {"q": "vandelay"}).content.decode()
    assert f"/sales/nominations/new/{account.pk}/" in found
    form_page = rep_client.get(f"/sales/nominations/new/{account.pk}/").content.decode()
    assert "Art Vandelay" in form_page and contact.email not in form_page

    response = rep_client.post(
        f"/sales/nominations/new/{account.pk}/",
        {
            "contact": contact.pk,
            "reason": "Loved the rollout; spoke at our user group.",
            "activity_types": [
                factories.activity_type("reference_call").pk,
                factories.activity_type("video").pk,
            ],
        },
    )

    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.nominated_by, nomination.contact, nomination.status) == (
        sales_rep,
        contact,
        "submitted",
    )
    assert nomination.activity_types.count() == 2
    listed = rep_client.get("/sales/nominations/").content.decode()
    assert "Vandelay Industries" in listed and "Submitted" in listed


def test_nominating_someone_not_in_the_catalogue(rep_client, account_owner):
    account = factories.make_account(account_owner)

    rep_client.post(
        f"/sales/nominations/new/{account.pk}/",
        {"contact_name": "Kim Duarte", "contact_title": "CIO", "reason": "Champion of the migration."},
    )

    nomination = Nomination.objects.get()
    assert (nomination.contact, nomination.contact_name, nomination.contact_title) == (
        None,
        "Kim Duarte",
        "CIO",
    )


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("nobody named", "contact_name"),
        ("no reason", "reason"),
        ("already a reference", "contact"),
        ("an email longer than its column", "contact_email"),
    ],
)
def test_a_bad_nomination_gives_a_form_error(rep_client, account_owner, case, field):
    account = factories.make_account(account_owner)
    reference = factories.make_contact(account, status="active")
    data = {
        "nobody named": {"reason": "Great customer"},
        "no reason": {"contact_name": "Kim Duarte", "reason": ""},
        "already a reference": {"contact": reference.pk, "reason": "Great customer"},
        # Valid, and longer than the 254 characters stored: PostgreSQL refused it with a 500.
        "an email longer than its column": {
            "contact_name": "Kim Duarte",
            "contact_email": f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.test",
            "reason": "Great customer",
        },
    }[case]

    response = rep_client.post(f"/sales/nominations/new/{account.pk}/", data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Nomination.objects.exists()


def test_a_contact_of_another_account_cannot_be_slipped_in(rep_client, account_owner):
    account = factories.make_account(account_owner)
    elsewhere = factories.make_contact(factories.make_account(account_owner), status="candidate")

    response = rep_client.post(
        f"/sales/nominations/new/{account.pk}/", {"contact": elsewhere.pk, "reason": "Great customer"}
    )

    assert response.status_code == 400 and response.context["form"].errors["contact"]
    assert not Nomination.objects.exists()


def test_defected_accounts_cannot_be_nominated(rep_client, account_owner):
    gone = factories.make_account(account_owner, name="Gone Corp", status="defected")

    assert "Gone Corp" not in rep_client.get("/sales/nominations/new/", {"q": "gone"}).content.decode()
    assert rep_client.get(f"/sales/nominations/new/{gone.pk}/").status_code == 404


def test_a_rep_sees_only_their_own_nominations(rep_client, other_rep, account_owner):
    account = factories.make_account(account_owner, name="Someone Else's Pick")
    Nomination.objects.create(nominated_by=other_rep, account=account, contact_name="X", reason="Y")

    assert "Someone Else's Pick" not in rep_client.get("/sales/nominations/").content.decode()
