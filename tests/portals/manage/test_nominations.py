"""The managers' nominations queue and a nomination's page: filters a segment link can carry, the
health checks, and the moves (qualify, accept, decline) with the answers a stale page gets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from references.statuses import ReferenceStatus
from requests_app.models import Nomination
from tests.builders import catalogue as factories
from tests.builders.search import product
from workflows.models import Task
from workflows.nominations import nomination_consent, nomination_qualify, nomination_submit

pytestmark = pytest.mark.django_db
S = Nomination.Status


def _nominate(rep, account, name="Nina Newcomer"):
    email = f"{name.split()[0].lower()}@x.test"
    return nomination_submit(
        nominator=rep, account=account, contact_name=name, contact_email=email, reason="Fan."
    )


@pytest.fixture
def bank(account_owner):
    return factories.make_account(
        account_owner,
        name="Globex Bank",
        industry=factories.industry("52"),
        products=[product("Analytics Cloud")],
    )


@pytest.fixture
def factory(account_owner):
    return factories.make_account(account_owner, name="Initech Plants", industry=factories.industry("31"))


def _queue(client, **params):
    response = client.get(reverse("manage:nominations"), params)
    assert response.status_code == 200
    return [n.pk for n in response.context["page"]]


def test_the_queue_filters_by_status_source_and_segment(manager_client, sales_rep, bank, factory, manager):
    in_bank, in_factory = _nominate(sales_rep, bank), _nominate(sales_rep, factory, "Ivo Initech")
    declined = _nominate(sales_rep, bank, "Dora Declined")
    Nomination.objects.filter(pk=declined.pk).update(status=S.REJECTED, decision_note="No.")

    assert _queue(manager_client) == [in_bank.pk, in_factory.pk]  # the waiting ones by default
    assert _queue(manager_client, industry=bank.industry_id) == [in_bank.pk]
    assert _queue(manager_client, product=bank.products.get().pk) == [in_bank.pk]
    assert _queue(manager_client, region=factory.country.region_id) == [in_bank.pk, in_factory.pk]
    assert _queue(manager_client, status=S.REJECTED) == [declined.pk]
    assert _queue(manager_client, source=Nomination.Source.PUBLIC) == []
    # A value that is not one is dropped; the other filters still apply.
    assert _queue(manager_client, industry="²", product=bank.products.get().pk) == [in_bank.pk]


def test_a_segment_filter_leaves_out_volunteers_not_matched_to_an_account(manager_client, sales_rep, bank):
    in_bank = _nominate(sales_rep, bank)
    volunteer = Nomination.objects.create(
        source=Nomination.Source.PUBLIC,
        contact_name="Vera Volunteer",
        company_name="Globex",
        reason="A call.",
    )
    segment = {
        "industry": bank.industry_id,
        "product": bank.products.get().pk,
        "region": bank.country.region_id,
    }

    assert _queue(manager_client) == [in_bank.pk, volunteer.pk]
    assert _queue(manager_client, **segment) == [in_bank.pk]  # the insights "recruit here" link
    assert _queue(manager_client, region=bank.country.region_id) == [in_bank.pk]
    page = manager_client.get(reverse("manage:nominations"), segment).content.decode()
    assert "volunteers whose company is not matched to an account yet are left out" in page


def test_the_queue_costs_the_same_with_few_and_many_rows(
    manager_client, sales_rep, bank, django_assert_max_num_queries, base_queries
):
    def measure() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert manager_client.get(reverse("manage:nominations")).status_code == 200
        return len(seen.captured_queries)

    _nominate(sales_rep, bank, "First One")
    few = measure()
    for n in range(30):
        _nominate(sales_rep, factories.make_account(bank.owner), f"Person {n}")
    # The base + the industry, product and region filter choices + count + rows.
    with django_assert_max_num_queries(base_queries + 5):
        manager_client.get(reverse("manage:nominations"))
    assert measure() == few


def test_the_page_shows_the_health_checks(manager_client, sales_rep, bank, manager):
    factories.make_contact(
        bank,
        first_name="Nina",
        last_name="Newcomer",
        email="nina@x.test",
        prefs={"opted_out": True, "opted_out_at": timezone.now()},
    )
    nomination = _nominate(sales_rep, bank)
    volunteered = Nomination.objects.create(
        source=Nomination.Source.PUBLIC, contact_name="Nina N.", contact_email="NINA@x.test", reason="Me."
    )
    page = manager_client.get(reverse("manage:nomination", args=[nomination.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "In the catalogue" in text and "opted out" in text
    assert "0 open requests" in text
    assert f"#{volunteered.pk}</a>" in text  # the same person, waiting twice


def test_qualify_then_accept_from_the_page(manager_client, sales_rep, bank, account_owner):
    nomination = _nominate(sales_rep, bank)
    url = reverse("manage:nomination-qualify", args=[nomination.pk])
    assert manager_client.post(url, {"expected_status": S.SUBMITTED}).status_code == 302
    assert Task.objects.get(nomination=nomination).assignee == account_owner
    nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=True)

    accept = reverse("manage:nomination-accept", args=[nomination.pk])
    refused = manager_client.post(accept, {"expected_status": S.QUALIFYING})
    assert refused.status_code == 400 and "persona" in refused.context["accept_form"].errors
    persona = factories.persona()
    assert (
        manager_client.post(accept, {"expected_status": S.QUALIFYING, "persona": persona.pk}).status_code
        == 302
    )
    accepted = Nomination.objects.select_related("contact").get(pk=nomination.pk)
    assert accepted.is_accepted and accepted.contact.status == ReferenceStatus.ACTIVE


def test_a_stale_page_gets_409(manager_client, sales_rep, bank, manager):
    nomination = _nominate(sales_rep, bank)
    nomination_qualify(nomination_id=nomination.pk, actor=manager)
    response = manager_client.post(
        reverse("manage:nomination-decline", args=[nomination.pk]),
        {"expected_status": S.SUBMITTED, "reason": "Not now."},
    )
    assert response.status_code == 409
    assert Nomination.objects.get(pk=nomination.pk).status == S.QUALIFYING


def test_a_volunteer_unmatched_gets_their_account_picked_when_qualifying(manager_client, bank):
    nomination = Nomination.objects.create(
        source=Nomination.Source.PUBLIC,
        contact_name="Vera Volunteer",
        contact_email="vera@elsewhere.test",
        company_name="Globex",
        reason="A call.",
    )
    url = reverse("manage:nomination-qualify", args=[nomination.pk])
    page = manager_client.get(reverse("manage:nomination", args=[nomination.pk]))
    assert "Globex Bank (number" in page.content.decode()  # the suggestion
    refused = manager_client.post(url, {"expected_status": S.SUBMITTED})
    assert refused.status_code == 400 and "account" in refused.context["qualify_form"].errors
    assert manager_client.post(url, {"expected_status": S.SUBMITTED, "account": bank.pk}).status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).account == bank


def test_a_decline_is_visible_to_the_nominator(manager_client, client, sales_rep, bank):
    nomination = _nominate(sales_rep, bank)
    decline = reverse("manage:nomination-decline", args=[nomination.pk])
    assert manager_client.post(decline, {"expected_status": S.SUBMITTED}).status_code == 400  # no reason
    response = manager_client.post(
        decline, {"expected_status": S.SUBMITTED, "reason": "They are mid-renewal; ask again in spring."}
    )
    assert response.status_code == 302

    client.force_login(sales_rep)
    mine = client.get(reverse("sales:nominations")).content.decode()
    assert "Declined" in mine and "They are mid-renewal; ask again in spring." in mine


def test_the_inbox_says_how_many_nominations_wait_and_links_the_queue(client, manager, sales_rep, bank):
    client.force_login(manager)
    assert "nominations queue" not in client.get(reverse("manage:home")).content.decode()
    _nominate(sales_rep, bank)
    qualifying = _nominate(sales_rep, bank, name="Quinn Qualified")
    nomination_qualify(nomination_id=qualifying.pk, actor=manager)
    page = client.get(reverse("manage:home")).content.decode()
    assert "2 nominations wait for the program" in page
    assert reverse("manage:nominations") in page
