"""The reference search through the API ranks as the sales page does (the same selector) and
carries the scores and reasons its cards show."""

import pytest
from django.urls import reverse

from tests.builders import catalogue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        lambda deal: {"opportunity": deal.pk},
        lambda deal: {"industry": catalogue.industry("52").pk},
        lambda deal: {"q": "fraud"},
        lambda deal: {},
    ],
    ids=["deal", "facet", "words", "everything"],
)
def test_the_api_ranks_as_the_sales_page(rep_client, deal, references, query):
    params = query(deal)

    page = rep_client.get(reverse("sales:search"), params).context["page"]
    body = rep_client.get(reverse("api-references"), params).json()

    assert [r["contact_id"] for r in body["results"]] == [card.contact_id for card in page.cards]
    assert [r["score_percent"] for r in body["results"]] == [card.score_percent for card in page.cards]
    assert [r["explanation"]["summary"] for r in body["results"]] == [str(c.explanation) for c in page.cards]
    assert body["count"] == page.total


def test_a_result_carries_the_reasons_the_card_shows(rep_client, deal, references):
    body = rep_client.get(reverse("api-references"), {"opportunity": deal.pk}).json()

    first = body["results"][0]
    assert [c["text"] for c in first["explanation"]["criteria"]][:3] == [
        "Industry ✓",
        "Product ✓",
        "Region ✓",
    ]
    assert {c["state"] for c in first["explanation"]["criteria"]} <= {"match", "close", "miss"}
    assert first["score"] > 0 and 0 < first["score_percent"] <= 100
    assert "customer_since" in first
    assert {r["label"] for r in body["ranked_for"]} >= {"Industry", "Product"}
