"""The rep's requests through the API: only their own, submitted under the portal's rules."""

from datetime import date, timedelta

from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories


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

    assert duplicate.status_code == 400 and "contacts" in duplicate.json()["error"]["fields"]
    assert past.status_code == 400 and "needed_by" in past.json()["error"]["fields"]
    assert tampered.status_code == 400 and "contacts" in tampered.json()["error"]["fields"]
    assert unknown.status_code == 400 and "activity_type" in unknown.json()["error"]["fields"]
    assert ReferenceRequest.objects.count() == 1
