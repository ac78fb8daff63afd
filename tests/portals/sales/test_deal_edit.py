"""A rep edits their own deal in /sales/ (no longer in the admin); a deal-team member moves an open
deal along (stage and close date); nobody else touches it, and the owner never changes here."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.errors import InvalidInput, NotAllowed
from core.roles import Role
from references.models import Opportunity
from requests_app.deals import opportunity_create, opportunity_update
from tests.builders import catalogue as factories
from tests.builders.search import product


@pytest.fixture
def own_deal(sales_rep):
    return factories.make_opportunity(sales_rep, prospect_name="Initrode", external_id="CRM-7")


@pytest.fixture
def oscars_deal(other_rep):
    return factories.make_opportunity(other_rep, prospect_name="Oscar's deal", amount=Decimal("500000"))


def edit_form(deal: Opportunity, **overrides) -> dict:
    data = {
        "prospect_name": deal.prospect_name,
        "industry": deal.industry_id,
        "country": deal.country_id,
        "size_band": deal.size_band_id or "",
        "products": [product("Analytics Cloud").pk],
        "amount": "300000",
        "currency": "eur",
        "stage": "negotiation",
        "close_date": (date.today() + timedelta(days=30)).isoformat(),
        "outcome": "open",
        "external_id": deal.external_id or "",
    }
    return {**data, **overrides}


def _url(deal: Opportunity) -> str:
    return f"/sales/opportunities/{deal.pk}/edit/"


def test_the_owner_edits_their_deal(rep_client, sales_rep, own_deal):
    page = rep_client.get(f"/sales/opportunities/{own_deal.pk}/").content.decode()
    assert _url(own_deal) in page  # the deal's page offers the edit

    response = rep_client.post(_url(own_deal), edit_form(own_deal))

    assert response.status_code == 302 and response["Location"] == f"/sales/opportunities/{own_deal.pk}/"
    own_deal.refresh_from_db()
    assert (own_deal.amount, own_deal.currency, own_deal.stage) == (Decimal("300000"), "EUR", "negotiation")
    assert list(own_deal.products.all()) == [product("Analytics Cloud")]
    assert own_deal.owner == sales_rep


def test_winning_the_deal_closes_it(rep_client, own_deal):
    rep_client.post(_url(own_deal), edit_form(own_deal, outcome="won"))

    own_deal.refresh_from_db()
    assert (own_deal.outcome, own_deal.stage) == ("won", "closed")


def test_the_owner_field_is_not_in_the_form_and_a_posted_owner_is_ignored(
    rep_client, sales_rep, other_rep, own_deal
):
    form = rep_client.get(_url(own_deal)).context["form"]
    assert "owner" not in form.fields and "team" not in form.fields

    rep_client.post(_url(own_deal), edit_form(own_deal, owner=other_rep.pk, team=[other_rep.pk]))

    own_deal.refresh_from_db()
    assert own_deal.owner == sales_rep and not own_deal.team.exists()


def test_a_rep_cannot_edit_another_reps_deal(rep_client, other_rep, oscars_deal):
    assert rep_client.get(_url(oscars_deal)).status_code == 404
    response = rep_client.post(_url(oscars_deal), edit_form(oscars_deal, prospect_name="Mine now"))

    assert response.status_code == 404
    oscars_deal.refresh_from_db()
    assert (oscars_deal.prospect_name, oscars_deal.amount) == ("Oscar's deal", Decimal("500000"))
    assert oscars_deal.owner == other_rep and not oscars_deal.team.exists()


def test_a_team_member_moves_the_deal_along_and_nothing_else(rep_client, sales_rep, other_rep, oscars_deal):
    oscars_deal.team.add(sales_rep)
    form = rep_client.get(_url(oscars_deal)).context["form"]
    assert set(form.fields) == {"stage", "close_date"}
    close = date.today() + timedelta(days=10)

    response = rep_client.post(
        _url(oscars_deal), edit_form(oscars_deal, close_date=close.isoformat(), outcome="won", amount="1")
    )

    assert response.status_code == 302
    oscars_deal.refresh_from_db()
    assert (oscars_deal.stage, oscars_deal.close_date) == ("negotiation", close)
    assert (oscars_deal.amount, oscars_deal.outcome, oscars_deal.owner) == (
        Decimal("500000"),
        "open",
        other_rep,
    )


def test_the_service_refuses_what_the_actor_may_not_change(sales_rep, other_rep, oscars_deal):
    oscars_deal.team.add(sales_rep)

    with pytest.raises(NotAllowed) as refused:
        opportunity_update(opportunity=oscars_deal, actor=sales_rep, amount=Decimal("1"))
    assert refused.value.field == "amount"
    with pytest.raises(NotAllowed):
        opportunity_update(opportunity=oscars_deal, actor=other_rep, owner=sales_rep)
    outsider = factories.make_user("ursula", Role.SALES)
    with pytest.raises(NotAllowed):
        opportunity_update(opportunity=oscars_deal, actor=outsider, stage="proposal")
    oscars_deal.refresh_from_db()
    assert (oscars_deal.amount, oscars_deal.owner, oscars_deal.stage) == (
        Decimal("500000"),
        other_rep,
        "prospecting",
    )


def test_a_team_member_may_not_edit_a_closed_deal(rep_client, sales_rep, oscars_deal):
    oscars_deal.team.add(sales_rep)
    Opportunity.objects.filter(pk=oscars_deal.pk).update(outcome="lost", stage="closed")

    assert rep_client.get(_url(oscars_deal)).status_code == 403
    assert (
        rep_client.post(_url(oscars_deal), {"stage": "proposal", "close_date": "2031-01-01"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"close_date": "2001-01-01"}, "close_date"),
        ({"currency": "XYZ"}, "currency"),
        ({"amount": "-5"}, "amount"),
        ({"stage": "closed"}, "stage"),
        ({"outcome": "maybe"}, "outcome"),
        ({"prospect_name": "   "}, "prospect_name"),
        ({"external_id": "CRM-TAKEN"}, "external_id"),
    ],
)
def test_a_bad_edit_is_refused_with_a_form_error_and_changes_nothing(
    rep_client, other_rep, own_deal, overrides, field
):
    factories.make_opportunity(other_rep, external_id="CRM-TAKEN")

    response = rep_client.post(_url(own_deal), edit_form(own_deal, **overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    own_deal.refresh_from_db()
    assert (own_deal.amount, own_deal.external_id, own_deal.stage) == (
        Decimal("120000"),
        "CRM-7",
        "prospecting",
    )


def test_marketing_has_no_deal_pages(client, marketer, own_deal):
    client.force_login(marketer)

    assert client.get(_url(own_deal)).status_code == 403


def test_a_far_close_date_is_refused_on_its_field_for_the_team_and_the_service(
    rep_client, sales_rep, oscars_deal
):
    """Year 9999 once got saved by a team member and then broke the admin's date hierarchy."""
    oscars_deal.team.add(sales_rep)

    response = rep_client.post(_url(oscars_deal), {"stage": "proposal", "close_date": "9999-12-31"})

    assert response.status_code == 400
    assert "close_date" in response.context["form"].errors
    with pytest.raises(InvalidInput) as refused:
        opportunity_update(opportunity=oscars_deal, actor=sales_rep, close_date=date(9999, 12, 31))
    assert refused.value.field == "close_date"
    oscars_deal.refresh_from_db()
    assert oscars_deal.close_date.year < 9999


def test_the_owner_sets_the_day_the_deal_opened(rep_client, own_deal):
    opened = date.today() - timedelta(days=10)

    response = rep_client.post(_url(own_deal), edit_form(own_deal, opened_on=opened.isoformat()))

    assert response.status_code == 302
    own_deal.refresh_from_db()
    assert own_deal.opened_on == opened
    assert "Opened" in rep_client.get(f"/sales/opportunities/{own_deal.pk}/").content.decode()


def test_a_deal_cannot_open_after_its_close_date(rep_client, own_deal):
    late = (date.today() + timedelta(days=31)).isoformat()  # the form closes it in 30 days

    response = rep_client.post(_url(own_deal), edit_form(own_deal, opened_on=late))

    assert response.status_code == 400
    assert "opens on or before its close date" in response.content.decode()
    own_deal.refresh_from_db()
    assert own_deal.opened_on is None


def test_a_new_deal_may_say_when_it_opened(rep_client):
    form = rep_client.get("/sales/opportunities/new/").content.decode()
    close = date.today() + timedelta(days=40)
    fields = {
        "owner": factories.make_user("nina", Role.SALES),
        "prospect_name": "Nina's prospect",
        "industry": factories.industry(),
        "country": factories.country(),
        "amount": Decimal(1000),
        "currency": "USD",
        "stage": Opportunity.Stage.PROPOSAL,
        "close_date": close,
    }

    assert 'name="opened_on"' in form
    assert opportunity_create(**fields, opened_on=close).opened_on == close
    with pytest.raises(InvalidInput) as refusal:
        opportunity_create(**fields, opened_on=close + timedelta(days=1))
    assert refusal.value.field == "opened_on"
