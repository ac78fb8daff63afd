"""Reference search through the API: ranked cards without contact details, pages, refusals, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.builders import catalogue as factories
from tests.builders.search import contact_secrets, index, make_reference


def test_reference_search_returns_ranked_cards_without_email_or_phone(rep_client, deal, references):
    response = rep_client.get("/api/references/", {"opportunity": deal.pk})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [r["account"] for r in body["results"]][:2] == ["Acme Savings", "Brightline Insurance"]
    first = body["results"][0]
    assert first["explanation"]["summary"].startswith("Industry ✓ Product ✓ Region ✓")
    assert {"email", "phone"}.isdisjoint(first)
    raw = response.content.decode()
    for secret in contact_secrets(*references.values()):
        assert secret not in raw
    assert {f["key"] for f in body["facets"]} >= {"industry", "product", "region", "activity"}


def test_reference_search_pages_with_a_next_link(rep_client, account_owner):
    for n in range(5):
        make_reference(account_owner, name=f"Customer {n}")
    index()

    first = rep_client.get("/api/references/", {"limit": 2}).json()
    second = rep_client.get(first["next"]).json()

    assert len(first["results"]) == len(second["results"]) == 2
    assert {r["contact_id"] for r in first["results"]}.isdisjoint(r["contact_id"] for r in second["results"])


def test_reference_search_refuses_bad_parameters_with_400(rep_client, references):
    response = rep_client.get("/api/references/", {"industry": "abc"})

    assert response.status_code == 400
    assert "industry" in response.json()["error"]["fields"]


def test_reference_search_with_another_reps_deal_is_404(rep_client, other_rep, references):
    theirs = factories.make_opportunity(other_rep)
    assert rep_client.get("/api/references/", {"opportunity": theirs.pk}).status_code == 404


@pytest.mark.parametrize("size", [10, 200])
def test_reference_search_queries_do_not_grow(
    client, sales_rep, account_owner, size, django_assert_max_num_queries
):
    for n in range(size):
        make_reference(account_owner, industry="52" if n % 2 else "31")
    index()
    client.force_login(sales_rep)
    finance = factories.industry("52").pk

    # Session, user, groups; labels and weights, the page, facet counts, live rows of the page;
    # the page's live availability: contacts, policy, rules, blackouts, activities, approvals.
    with django_assert_max_num_queries(13):
        response = client.get("/api/references/", {"industry": finance})
    assert len(response.json()["results"]) == min(20, size // 2)


def test_a_card_gives_the_live_figure_an_approval_would_enforce(rep_client, account_owner):
    shared = make_reference(account_owner, name="Shared Co")
    busy = factories.make_contact(shared.account, first_name="Busy")
    today = timezone.localdate()
    for days_ago in (20, 35, 50, 65):
        factories.make_activity(busy, today - timedelta(days=days_ago))
    index()

    cards = rep_client.get("/api/references/").json()["results"]

    card = next(c for c in cards if c["contact_id"] == shared.pk)
    assert card["explanation"]["free_slots"] == 2
    assert card["explanation"]["availability"] == "2 slots left — the account's cap of 6 in 90 days"
