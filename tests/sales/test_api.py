"""The JSON API: reference search and the rep's requests, same rules as the portal."""

from datetime import date, timedelta

import pytest

from requests_app.models import ReferenceRequest
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
    assert "industry" in response.json()


def test_reference_search_with_another_reps_deal_is_404(rep_client, other_rep, references):
    theirs = factories.make_opportunity(other_rep)
    assert rep_client.get("/api/references/", {"opportunity": theirs.pk}).status_code == 404


def test_the_api_needs_a_sales_or_manager_role(client, marketer, references):
    assert client.get("/api/references/").status_code == 403
    client.force_login(marketer)
    assert client.get("/api/references/").status_code == 403
    assert client.get("/api/requests/").status_code == 403


def test_requests_api_lists_only_the_reps_own(rep_client, sales_rep, other_rep, deal, references):
    mine = _submit(rep_client, deal, references["full"]).json()
    factories_deal = factories.make_opportunity(other_rep)
    theirs = ReferenceRequest.objects.create(
        requester=other_rep,
        opportunity=factories_deal,
        activity_type=factories.activity_type(),
        needed_by=date.today() + timedelta(days=5),
    )

    listed = rep_client.get("/api/requests/").json()["results"]

    assert [r["id"] for r in listed] == [mine["id"]]
    assert rep_client.get(f"/api/requests/{theirs.pk}/").status_code == 404
    assert rep_client.get(f"/api/requests/{mine['id']}/").json()["status"] == "submitted"
    assert rep_client.get("/api/requests/", {"status": "cancelled"}).json()["results"] == []
    assert len(rep_client.get("/api/requests/", {"open": "true"}).json()["results"]) == 1


def _submit(client, deal, *contacts, **overrides):
    payload = {
        "opportunity": deal.pk,
        "activity_type": "reference_call",
        "contacts": [c.pk for c in contacts],
        "needed_by": (date.today() + timedelta(days=9)).isoformat(),
        "prospect_contact_role": "executive",
        **overrides,
    }
    return client.post("/api/requests/", payload, content_type="application/json")


def test_submitting_through_the_api_uses_the_same_rules(rep_client, deal, references):
    created = _submit(rep_client, deal, references["full"], references["none"])
    assert created.status_code == 201
    assert [c["account"] for c in created.json()["candidates"]] == ["Acme Savings", "Delta Foods"]
    assert {"email", "phone"}.isdisjoint(created.json()["candidates"][0])

    duplicate = _submit(rep_client, deal, references["full"])
    past = _submit(rep_client, deal, references["none"], needed_by="2000-01-01")
    tampered = _submit(rep_client, deal, references["opted_out"])
    unknown = _submit(rep_client, deal, references["none"], activity_type="juggling")

    assert duplicate.status_code == 400 and "contacts" in duplicate.json()
    assert past.status_code == 400 and "needed_by" in past.json()
    assert tampered.status_code == 400 and "contacts" in tampered.json()
    assert unknown.status_code == 400 and "activity_type" in unknown.json()
    assert ReferenceRequest.objects.count() == 1


def test_schema_is_published(rep_client):
    response = rep_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/references/" in response.content


@pytest.mark.parametrize("size", [10, 200])
def test_reference_search_queries_do_not_grow(
    client, sales_rep, account_owner, size, django_assert_max_num_queries
):
    for n in range(size):
        make_reference(account_owner, industry="52" if n % 2 else "31")
    index()
    client.force_login(sales_rep)
    finance = factories.industry("52").pk

    # Session, user, groups; labels and weights, the page, facet counts, live rows of the page.
    with django_assert_max_num_queries(7):
        response = client.get("/api/references/", {"industry": finance})
    assert len(response.json()["results"]) == min(20, size // 2)
