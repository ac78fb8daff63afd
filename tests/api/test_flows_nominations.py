"""Nominations through the API: reference managers read every one, filtered as their queue is;
a rep their own; nominating goes through the sales form's service, whose rules answer 400."""

import pytest
from django.urls import reverse

from requests_app.models import Nomination
from requests_app.services import nomination_submit
from tests.builders import catalogue
from tests.builders.search import product

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_account(other_rep):
    return catalogue.make_account(other_rep, name="Quokka Mutual", industry=catalogue.industry("31"))


@pytest.fixture
def nominations(sales_rep, other_rep, customer_account, other_account):
    return {
        "sallys": nomination_submit(
            nominator=sales_rep,
            account=customer_account,
            contact_name="Nell Nominee",
            reason="Presents well.",
        ),
        "oscars": nomination_submit(
            nominator=other_rep,
            account=other_account,
            contact_name="Otis Outsider",
            contact_email="otis@quokka.example",
            reason="Big fan.",
        ),
    }


def _ids(client, **params):
    response = client.get(reverse("api-nominations"), params)
    assert response.status_code == 200, response.json()
    return [n["id"] for n in response.json()["results"]]


def test_a_rep_reads_only_their_own_nominations(rep_client, nominations):
    Nomination.objects.filter(pk=nominations["sallys"].pk).update(contact_email="nell@globex.example")

    assert _ids(rep_client) == [nominations["sallys"].pk]
    own = rep_client.get(reverse("api-nomination", args=[nominations["sallys"].pk])).json()
    assert own["person"] == "Nell Nominee" and own["contact_email"] == ""
    response = rep_client.get(reverse("api-nomination", args=[nominations["oscars"].pk]))
    assert response.status_code == 404
    assert "Otis" not in response.content.decode()


def test_a_manager_reads_every_nomination_with_the_typed_email(client, manager, nominations):
    client.force_login(manager)

    assert _ids(client) == [nominations["sallys"].pk, nominations["oscars"].pk]
    body = client.get(reverse("api-nomination", args=[nominations["oscars"].pk])).json()
    assert body["person"] == "Otis Outsider"
    assert body["contact_email"] == "otis@quokka.example"


def test_the_queue_filters_as_the_managers_page(client, manager, nominations, customer_account):
    client.force_login(manager)
    customer_account.products.add(product("Analytics Cloud"))
    Nomination.objects.filter(pk=nominations["oscars"].pk).update(status=Nomination.Status.ACCEPTED)

    assert _ids(client, status="open") == [nominations["sallys"].pk]
    assert _ids(client, status="accepted") == [nominations["oscars"].pk]
    assert _ids(client, industry=catalogue.industry("31").pk) == [nominations["oscars"].pk]
    assert _ids(client, product=product("Analytics Cloud").pk) == [nominations["sallys"].pk]
    assert _ids(client, source="public") == []
    assert _ids(client, ordering="-created_at") == [nominations["oscars"].pk, nominations["sallys"].pk]


@pytest.mark.parametrize("params", [{"status": "lost"}, {"industry": "²"}, {"region": "-1"}])
def test_the_queue_refuses_a_bad_filter(client, manager, params):
    client.force_login(manager)
    response = client.get(reverse("api-nominations"), params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_a_rep_nominates_a_contact_of_an_account(rep_client, sales_rep, customer_account):
    newcomer = catalogue.make_contact(
        customer_account, first_name="Nora", last_name="New", status="candidate"
    )
    body = {
        "account": customer_account.pk,
        "contact": newcomer.pk,
        "reason": "Spoke at our summit.",
        "activity_types": ["reference_call"],
        # Protected fields: ignored.
        "status": "accepted",
        "nominated_by": 1,
        "owner_consent": "given",
        "source": "public",
    }

    response = rep_client.post(reverse("api-nominations"), body, content_type="application/json")

    assert response.status_code == 201, response.json()
    made = Nomination.objects.get(pk=response.json()["id"])
    assert (made.contact, made.nominated_by, made.status, made.source) == (
        newcomer,
        sales_rep,
        Nomination.Status.SUBMITTED,
        Nomination.Source.SALES,
    )
    assert made.owner_consent == Nomination.Consent.NOT_ASKED
    assert response.json()["activity_types"] == ["reference_call"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"account": 999_999, "contact_name": "X", "reason": "Why not."}, "account"),
        ({"contact_name": "", "reason": "Why not."}, "contact_name"),
        ({"contact_name": "Nell", "reason": ""}, "reason"),
        ({"contact_name": "Nell", "reason": "Why not.", "activity_types": ["picnic"]}, "activity_types"),
        ({"contact_name": "Nell", "reason": "Why not.", "contact_email": "not-an-email"}, "contact_email"),
    ],
)
def test_a_nomination_the_rules_refuse_is_a_400_naming_the_field(rep_client, customer_account, body, field):
    payload = {"account": customer_account.pk, **body}

    response = rep_client.post(reverse("api-nominations"), payload, content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Nomination.objects.exists()


def test_a_contact_of_another_account_is_refused(rep_client, customer_account, other_account):
    elsewhere = catalogue.make_contact(other_account, status="candidate")
    payload = {"account": customer_account.pk, "contact": elsewhere.pk, "reason": "Why not."}

    response = rep_client.post(reverse("api-nominations"), payload, content_type="application/json")

    assert response.status_code == 400
    assert "contact" in response.json()["error"]["fields"]


def test_marketing_has_no_nominations_api(client, marketer):
    client.force_login(marketer)
    assert client.get(reverse("api-nominations")).status_code == 403


@pytest.mark.parametrize("size", [2, 20])
def test_the_queue_costs_the_same_for_any_size(
    client, manager, sales_rep, customer_account, size, django_assert_max_num_queries
):
    for n in range(size):
        nomination_submit(
            nominator=sales_rep,
            account=customer_account,
            contact_name=f"Person {n}",
            reason="Good.",
            activity_types=[catalogue.activity_type()],
        )
    client.force_login(manager)
    # Session, user, groups (role check), a page of nominations with their accounts, their types.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("api-nominations"), {"status": "open"})
    assert len(response.json()["results"]) == size


def test_nominating_a_person_already_waiting_is_a_400(rep_client, customer_account, nominations):
    payload = {"account": customer_account.pk, "contact_name": "nell nominee", "reason": "Again."}

    response = rep_client.post(reverse("api-nominations"), payload, content_type="application/json")

    assert response.status_code == 400
    assert "contact" in response.json()["error"]["fields"]
    assert Nomination.objects.count() == 2
