"""The manager portal through the client: pages render, actions go through the service, refusals
are clear (400/403/409, never 500), and only reference managers get in."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from matching.indexing import search_index_rebuild
from references.models import CurrencyRate, ReferenceActivity, StatusChange
from requests_app.models import ReferenceRequest, RequestEvent
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, held, make_request
from workflows.models import Event, Task

pytestmark = pytest.mark.django_db


def test_only_reference_managers_enter_the_manager_portal(client, sales_rep, marketer, ref_request):
    url = reverse("manage:request", args=[ref_request.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    for user in (sales_rep, marketer):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("manage:home")).status_code == 403
        assert (
            client.post(reverse("manage:request-act", args=[ref_request.pk]), {"action": "claim"}).status_code
            == 403
        )
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "submitted"


def test_the_inbox_lists_requests_needing_triage(
    manager_client, ref_request, sales_rep, customer_contact, manager
):
    scheduled = drive_to(make_request(sales_rep, customer_contact), "scheduled", customer_contact, manager)
    page = manager_client.get(reverse("manage:home")).content.decode()
    assert f"#{ref_request.pk}<" in page and f"#{scheduled.pk}<" not in page
    page = manager_client.get(reverse("manage:home"), {"status": "scheduled"}).content.decode()
    assert f"#{scheduled.pk}<" in page and f"#{ref_request.pk}<" not in page


def test_the_inbox_sorts_by_needed_by_then_deal_size(manager_client, sales_rep, customer_contact):
    soon = date.today() + timedelta(days=5)
    small = make_request(sales_rep, customer_contact, needed_by=soon)
    big = make_request(
        sales_rep,
        customer_contact,
        needed_by=soon,
        opportunity=factories.make_opportunity(sales_rep, amount=900000),
    )
    later = make_request(sales_rep, customer_contact, needed_by=soon + timedelta(days=3))
    rows = list(manager_client.get(reverse("manage:home")).context["page"])
    assert rows == [big, small, later]
    rows = list(manager_client.get(reverse("manage:home"), {"sort": "amount"}).context["page"])
    assert rows[0] == big


def test_the_whole_inbox_lists_open_requests_before_finished_ones(
    manager_client, sales_rep, customer_contact
):
    finished = drive_to(
        make_request(sales_rep, customer_contact, needed_by=date.today() + timedelta(days=2)),
        "cancelled",
        customer_contact,
        None,
    )
    waiting = make_request(sales_rep, customer_contact, needed_by=date.today() + timedelta(days=20))

    rows = list(manager_client.get(reverse("manage:home"), {"status": "all"}).context["page"])

    assert rows == [waiting, finished]  # not the closed one first because it was needed sooner


def test_deal_sizes_in_different_currencies_compare_in_dollars(manager_client, sales_rep, customer_contact):
    CurrencyRate.objects.create(currency="EUR", per_usd=Decimal("0.92"))
    CurrencyRate.objects.create(currency="JPY", per_usd=Decimal("150"))
    deals = {
        name: make_request(
            sales_rep,
            customer_contact,
            opportunity=factories.make_opportunity(sales_rep, amount=amount, currency=currency),
        )
        for name, amount, currency in [
            ("yen", 60_000_000, "JPY"),  # the largest number, about $400,000
            ("dollars", 500_000, "USD"),
            ("euros", 600_000, "EUR"),  # about $652,000
            ("no rate", 9_000_000, "CHF"),  # cannot be compared: after the others
        ]
    }

    response = manager_client.get(reverse("manage:home"), {"sort": "amount"})

    rows = list(response.context["page"])
    assert rows == [deals["euros"], deals["dollars"], deals["yen"], deals["no rate"]]
    assert "EUR 600,000 (≈ USD 652,174)" in response.content.decode()


def test_filters_narrow_the_inbox(manager_client, sales_rep, other_rep, customer_contact):
    mine = make_request(sales_rep, customer_contact)
    theirs = make_request(other_rep, customer_contact, code="reference_call")
    rows = list(manager_client.get(reverse("manage:home"), {"requester": other_rep.pk}).context["page"])
    assert rows == [theirs]
    rows = list(manager_client.get(reverse("manage:home"), {"assigned": "none"}).context["page"])
    assert set(rows) == {mine, theirs}


def test_claiming_from_the_inbox(manager_client, ref_request, manager):
    response = manager_client.post(
        reverse("manage:request-act", args=[ref_request.pk]),
        {"action": "claim", "expected_status": "submitted"},
    )
    assert response.status_code == 302
    ref_request.refresh_from_db()
    assert (ref_request.status, ref_request.assigned_manager) == ("in_review", manager)


def test_a_second_claim_is_a_409_naming_who_claimed(manager_client, ref_request, manager):
    other = factories.make_user("mo", Role.MANAGER)
    url = reverse("manage:request-act", args=[ref_request.pk])
    manager_client.post(url, {"action": "claim", "expected_status": "submitted"})
    manager_client.force_login(other)
    response = manager_client.post(url, {"action": "claim", "expected_status": "submitted"})
    assert response.status_code == 409
    assert "already claimed by Maria Manager" in response.content.decode()


def test_bad_input_on_an_action_is_a_400_with_the_message(manager_client, ref_request):
    url = reverse("manage:request-act", args=[ref_request.pk])
    response = manager_client.post(url, {"action": "decline", "expected_status": "submitted", "note": ""})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    response = manager_client.post(url, {"action": "approve", "contact": "999999"})
    assert response.status_code == 400
    response = manager_client.post(url, {"action": "fly_to_the_moon"})
    assert response.status_code == 400
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "submitted"


def test_the_detail_shows_the_deal_candidates_health_timeline_and_actions(
    manager_client, ref_request, customer_contact, customer_account
):
    alternative = factories.make_contact(customer_account, first_name="Alan", last_name="Alternative")
    search_index_rebuild()
    response = manager_client.get(reverse("manage:request", args=[ref_request.pk]))
    page = response.content.decode()
    assert ref_request.opportunity.prospect_name in page
    assert "Grace Globex" in page and "Alan Alternative" in page
    assert "NPS 9" in page
    assert "Triage the request" in page
    assert 'value="claim"' in page and 'value="approve"' in page and 'value="owner_approve"' not in page
    assert [a.contact_id for a in response.context["alternatives"]] == [alternative.pk]
    assert "Industry ✓" in page  # the same match explanation as the sales search
    assert [c.pk for c in response.context["choices"]] == [customer_contact.pk, alternative.pk]


def test_collisions_name_the_other_ask_with_a_link(manager_client, ref_request, other_rep, customer_contact):
    other = make_request(other_rep, customer_contact, code="reference_call", campaign="Spring press tour")
    page = manager_client.get(reverse("manage:request", args=[ref_request.pk])).content.decode()
    assert "Also being asked" in page
    assert "Grace Globex is also asked" in page
    assert reverse("manage:request", args=[other.pk]) in page


def test_no_collision_outside_the_window(manager_client, ref_request, other_rep, customer_contact):
    make_request(other_rep, customer_contact, needed_by=date.today() - timedelta(days=30))
    page = manager_client.get(reverse("manage:request", args=[ref_request.pk])).content.decode()
    assert "Also being asked" not in page


def test_recording_the_activity_completes_the_request(manager_client, ref_request, manager, customer_contact):
    held(drive_to(ref_request, "scheduled", customer_contact, manager))
    url = reverse("manage:request-record", args=[ref_request.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(url, {"occurred_on": "2999-01-01", "participants": [customer_contact.pk]})
    assert response.status_code == 400
    response = manager_client.post(
        url,
        {
            "occurred_on": date.today().isoformat(),
            "duration_minutes": "30",
            "participants": [customer_contact.pk],
            "note": "Good call",
        },
    )
    assert response.status_code == 302
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "completed"
    activity = ReferenceActivity.objects.get(contact=customer_contact)
    assert list(activity.opportunities.all()) == [ref_request.opportunity]


def test_recording_is_not_offered_before_the_customer_agreed(manager_client, ref_request):
    response = manager_client.get(reverse("manage:request-record", args=[ref_request.pk]))
    assert response.status_code == 302


def test_bulk_assign_and_decline(manager_client, sales_rep, customer_contact, manager):
    first, second = make_request(sales_rep, customer_contact), make_request(sales_rep, customer_contact)
    closed = drive_to(make_request(sales_rep, customer_contact), "declined", customer_contact, manager)
    response = manager_client.post(
        reverse("manage:bulk"), {"ids": [first.pk, second.pk], "action": "reassign", "assignee": manager.pk}
    )
    assert response.status_code == 302
    assert set(ReferenceRequest.objects.filter(assigned_manager=manager).values_list("pk", flat=True)) >= {
        first.pk,
        second.pk,
    }
    response = manager_client.post(
        reverse("manage:bulk"),
        {"ids": [first.pk, closed.pk], "action": "decline", "note": "Budget frozen"},
        follow=True,
    )
    text = response.content.decode()
    assert "1 request(s) declined" in text and f"Request #{closed.pk} was not declined" in text
    assert ReferenceRequest.objects.get(pk=first.pk).status == "declined"
    response = manager_client.post(
        reverse("manage:bulk"), {"ids": [second.pk], "action": "decline"}, follow=True
    )
    assert "Give the reason" in response.content.decode()
    assert ReferenceRequest.objects.get(pk=second.pk).status == "submitted"


def test_an_event_serves_several_requests_and_counts_once_per_speaker(
    manager_client, sales_rep, other_rep, customer_contact, manager
):
    served = [
        drive_to(make_request(rep, customer_contact), "scheduled", customer_contact, manager)
        for rep in (sales_rep, other_rep)
    ]
    response = manager_client.post(
        reverse("manage:event-new"),
        {
            "title": "Banking customers round table",
            "activity_type": factories.activity_type("peer_networking").pk,
            "occurred_on": date.today().isoformat(),
            "duration_minutes": "60",
            "requests": [r.pk for r in served],
            "speakers": [customer_contact.pk],
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert ReferenceActivity.objects.filter(contact=customer_contact).count() == 1
    activity = ReferenceActivity.objects.get(contact=customer_contact)
    assert set(activity.opportunities.all()) == {r.opportunity for r in served}
    assert set(event.requests.all()) == set(served)
    assert set(
        ReferenceRequest.objects.filter(pk__in=[r.pk for r in served]).values_list("status", flat=True)
    ) == {"completed"}
    assert manager_client.get(reverse("manage:event", args=[event.pk])).status_code == 200
    assert manager_client.get(reverse("manage:events")).status_code == 200


def test_an_event_refuses_a_request_that_cannot_be_served(manager_client, ref_request, customer_contact):
    response = manager_client.post(
        reverse("manage:event-new"),
        {
            "title": "Webinar",
            "activity_type": factories.activity_type("peer_networking").pk,
            "occurred_on": date.today().isoformat(),
            "requests": [ref_request.pk],
            "speakers": [customer_contact.pk],
        },
    )
    assert response.status_code == 400
    assert "Choose the requests the event served" in response.content.decode()
    assert not Event.objects.exists() and not ReferenceActivity.objects.exists()


def test_reference_pages_and_a_status_change_with_a_reason(
    manager_client, customer_account, customer_contact
):
    assert manager_client.get(reverse("manage:accounts")).status_code == 200
    assert manager_client.get(reverse("manage:contacts"), {"q": "Globex"}).status_code == 200
    page = manager_client.get(reverse("manage:account", args=[customer_account.pk])).content.decode()
    assert "Globex Bank" in page and "Grace Globex" in page
    assert manager_client.get(reverse("manage:contact", args=[customer_contact.pk])).status_code == 200
    url = reverse("manage:account-status", args=[customer_account.pk])
    response = manager_client.post(url, {"to_status": "paused", "reason": ""})
    assert response.status_code == 400
    response = manager_client.post(url, {"to_status": "paused", "reason": "Merger under way"})
    assert response.status_code == 302
    change = StatusChange.objects.get(account=customer_account)
    assert (change.from_status, change.to_status, change.reason) == ("active", "paused", "Merger under way")
    response = manager_client.post(url, {"to_status": "paused", "reason": "Again"})
    assert response.status_code == 400


def test_editing_an_account_never_touches_its_status(manager_client, customer_account, account_owner):
    url = reverse("manage:account-edit", args=[customer_account.pk])
    form = manager_client.get(url).context["form"]
    assert "status" not in form.fields
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        name="Globex Bank plc",
        nps="7",
        owner=account_owner.pk,
        products=[],
        use_cases=[],
        competitors_displaced=[],
        stewards=[],
        status="defected",
        industry=customer_account.industry_id,
        size_band=customer_account.size_band_id,
        country=customer_account.country_id,
    )
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    customer_account.refresh_from_db()
    assert (customer_account.name, customer_account.nps, customer_account.status) == (
        "Globex Bank plc",
        7,
        "active",
    )


def test_editing_a_contacts_preferences(manager_client, customer_contact):
    url = reverse("manage:contact-edit", args=[customer_contact.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(
        url,
        {
            "first_name": "Grace",
            "last_name": "Globex",
            "title": "CIO",
            "persona": customer_contact.persona_id,
            "email": customer_contact.email,
            "language": "en",
            "time_zone": "UTC",
            "prefs-activity_types": [factories.activity_type("video").pk],
            "prefs-own_cap_per_quarter": "2",
            "prefs-preferred_channel": "video",
            "status": "retired",
        },
    )
    assert response.status_code == 302
    customer_contact.refresh_from_db()
    assert customer_contact.title == "CIO" and customer_contact.status == "active"
    assert customer_contact.preferences.own_cap_per_quarter == 2


def test_a_contact_edit_refused_by_the_service_shows_the_error_on_its_field(manager_client, customer_contact):
    factories.make_contact(customer_contact.account, email="taken@customer.test")
    url = reverse("manage:contact-edit", args=[customer_contact.pk])
    data = {
        "first_name": "Grace",
        "last_name": "Globex",
        "title": "CIO",
        "persona": customer_contact.persona_id,
        "email": "TAKEN@customer.test",  # another contact's of the same account, whatever the case
        "language": "en",
        "time_zone": "UTC",
        "prefs-own_cap_per_quarter": "2",
        "prefs-preferred_channel": "video",
    }

    response = manager_client.post(url, data)

    assert response.status_code == 400
    assert "Another contact of this account has this email." in response.context["form"].errors["email"]
    customer_contact.refresh_from_db()
    assert customer_contact.title == "VP Engineering"
    assert customer_contact.preferences.own_cap_per_quarter is None


def test_every_action_writes_history(manager_client, ref_request):
    manager_client.post(reverse("manage:request-act", args=[ref_request.pk]), {"action": "claim"})
    assert list(RequestEvent.objects.filter(request=ref_request).values_list("action", flat=True)) == [
        "submit",
        "claim",
    ]
    assert (
        Task.objects.filter(request=ref_request, status="open").get().title
        == "Review and choose the reference"
    )
