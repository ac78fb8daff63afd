"""Evidence instead of a call: when every reference a search finds is at a limit, the search
offers the published content that fits its industry, products and use cases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.dates import day_text
from marketing.statuses import AssetKind, AssetStatus, UsageRights
from tests.builders import catalogue as factories
from tests.builders.library import make_asset
from tests.builders.search import index, make_reference, product


def _held(owner, name: str, days_ago: int = 5, **fields):
    """A finance reference resting after an activity `days_ago` days ago (14 days' rest)."""
    contact = make_reference(owner, name=name, **fields)
    factories.make_activity(contact, timezone.localdate() - timedelta(days=days_ago))
    return contact


@pytest.fixture
def library(marketer):
    finance = factories.industry("52")
    return {
        "fits": make_asset(marketer, title="Globex cuts fraud", industries=[finance]),
        "quote": make_asset(
            marketer,
            title="A banker's word",
            kind=AssetKind.QUOTE,
            industries=[finance],
            rights=UsageRights.INTERNAL,
        ),
        "nda": make_asset(
            marketer, title="Secret merger story", industries=[finance], rights=UsageRights.NDA
        ),
        "draft": make_asset(marketer, title="Draft story", industries=[finance], status=AssetStatus.DRAFT),
        "elsewhere": make_asset(marketer, title="Factory floor story", industries=[factories.industry("31")]),
    }


def test_when_every_match_is_at_a_limit_the_search_offers_matching_content(
    rep_client, account_owner, library
):
    _held(account_owner, "Acme Savings", days_ago=5)  # free in 9 days
    _held(account_owner, "Brightline Insurance", days_ago=2)  # free in 12 days
    index()
    finance = factories.industry("52").pk

    response = rep_client.get("/sales/search/", {"industry": finance})

    page = response.content.decode()
    free_on = day_text(timezone.localdate() + timedelta(days=9))
    assert "2 references" in page
    assert f"No reference is free until {free_on} — these 2 assets match" in page
    offer = page[page.index('id="evidence"') : page.index("</section>", page.index('id="evidence"'))]
    assert "Globex cuts fraud" in offer and "A banker&#x27;s word" in offer
    assert f'href="/sales/content/{library["fits"].pk}/"' in offer
    for hidden in ("Secret merger story", "Draft story", "Factory floor story"):
        assert hidden not in offer
    assert f"/sales/content/?industry={finance}" in offer


def test_case_studies_come_first_and_are_named_as_such(rep_client, account_owner, marketer, library):
    _held(account_owner, "Acme Savings")
    index()
    cloud = product("Analytics Cloud")
    make_asset(marketer, title="Cloud in a bank", industries=[factories.industry("52")], products=[cloud])

    page = rep_client.get("/sales/search/", {"industry": factories.industry("52").pk, "product": cloud.pk})

    # Only the asset about the product fits both criteria (and no reference has the product).
    assert "No reference matches all of that" in page.content.decode()
    assert 'id="evidence"' not in page.content.decode()  # nothing matches: there is nothing held either
    held = rep_client.get("/sales/search/", {"industry": factories.industry("52").pk}).content.decode()
    offer = held[held.index('id="evidence"') :]
    assert offer.index("Cloud in a bank") < offer.index("A banker&#x27;s word")


def test_no_offer_when_one_matching_reference_is_free(rep_client, account_owner, library):
    _held(account_owner, "Acme Savings")
    make_reference(account_owner, name="Brightline Insurance")  # free
    index()

    page = rep_client.get("/sales/search/", {"industry": factories.industry("52").pk}).content.decode()

    assert "2 references" in page
    assert 'id="evidence"' not in page and "No reference is free" not in page


def test_no_offer_when_no_content_fits(rep_client, account_owner, marketer):
    _held(account_owner, "Acme Savings")
    index()
    make_asset(marketer, title="Factory floor story", industries=[factories.industry("31")])

    page = rep_client.get("/sales/search/", {"industry": factories.industry("52").pk}).content.decode()

    assert "1 reference" in page and 'id="evidence"' not in page


@pytest.mark.parametrize("size", [3, 30])
def test_the_search_with_an_offer_costs_the_same_queries(
    client, sales_rep, account_owner, library, size, django_assert_max_num_queries
):
    for n in range(size):
        _held(account_owner, f"Held {n}")
    index()
    client.force_login(sales_rep)

    # As the search page without a deal (tests/portals/sales/test_search.py: 12 with one, whose
    # deal and products are two), and one more for the offer's assets.
    with django_assert_max_num_queries(11):
        response = client.get("/sales/search/", {"industry": factories.industry("52").pk})
    assert 'id="evidence"' in response.content.decode()
