"""My asks: the open asks of the signed-in contact, answering one (accept with times, decline),
and the manager scheduling an offered time in one click."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.models import OfferedSlot, ReferenceRequest, RequestEvent
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request, offered_slots
from workflows.services import request_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


def slot_post(days=(3, 4, 5), hour="10:00", minutes=60) -> dict:
    data = {}
    for n, day in enumerate(days, start=1):
        data[f"date_{n}"] = (timezone.localdate() + timedelta(days=day)).isoformat()
        data[f"time_{n}"] = hour
        data[f"length_{n}"] = str(minutes)
    return data


def test_the_list_shows_the_ask_without_the_prospect(portal_client, asked, customer_contact):
    page = portal_client(customer_contact).get(reverse("customer:asks"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sally Seller" in text and asked.verification_code_text in text
    assert asked.opportunity.industry.name in text
    assert asked.opportunity.prospect_name not in text
    assert reverse("customer:ask", args=[asked.pk]) in text


def test_the_brief_a_manager_shares_is_shown(portal_client, asked, customer_contact, client, manager):
    client.force_login(manager)
    client.post(
        reverse("manage:request-brief", args=[asked.pk]), {"customer_brief": "A bank moving to the cloud."}
    )
    text = portal_client(customer_contact).get(reverse("customer:ask", args=[asked.pk])).content.decode()
    assert "A bank moving to the cloud." in text


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_costs_the_same_queries_however_many_asks(
    portal_client, sales_rep, manager, account_owner, count, django_assert_max_num_queries
):
    contact = factories.make_contact(factories.make_account(account_owner))
    for _ in range(count):
        other = factories.make_contact(contact.account)  # approved for `contact` below, no limit hit
        request = drive_to(make_request(sales_rep, other), "in_review", other, manager)
        ReferenceRequest.objects.filter(pk=request.pk).update(
            status="customer_asked", chosen_contact=contact, verification_code=None
        )
        OfferedSlot.objects.create(
            request=request,
            starts_at=timezone.now() + timedelta(days=2),
            ends_at=timezone.now() + timedelta(days=2, hours=1),
            offered_at=timezone.now(),
        )
    client = portal_client(contact)
    # The portal session with its contact (+ its touch, at most once a minute), the asks with
    # their rep, activity type and deal's industry and size band, their offered times.
    with django_assert_max_num_queries(4):
        page = client.get(reverse("customer:asks"))
    assert page.content.decode().count('<section class="card"') == count


def test_accepting_offers_times_and_tells_the_program(portal_client, asked, customer_contact):
    client = portal_client(customer_contact)
    response = client.post(reverse("customer:ask-accept", args=[asked.pk]), slot_post())
    assert response.status_code == 302
    assert OfferedSlot.objects.filter(request=asked).count() == 3
    event = RequestEvent.objects.filter(request=asked).latest("id")
    assert (event.action, event.actor_contact) == ("accept_ask", customer_contact)
    assert "Times you offered" in client.get(response["Location"]).content.decode()


def test_times_are_read_in_the_contacts_zone(portal_client, asked, customer_contact):
    customer_contact.time_zone = "Europe/Berlin"
    customer_contact.save()
    portal_client(customer_contact).post(
        reverse("customer:ask-accept", args=[asked.pk]), slot_post(days=(20, 21))
    )
    first = OfferedSlot.objects.filter(request=asked).first()
    assert first.starts_at.astimezone(timezone.get_fixed_timezone(0)).hour in (8, 9)  # 10:00 in Berlin


@pytest.mark.parametrize(
    "data, message",
    [
        (slot_post(days=(3,)), "Offer between 2 and 5 times"),
        (slot_post(days=(-2, 3)), "in the past"),
        ({**slot_post(days=(3, 3))}, "overlaps"),
        ({**slot_post(days=(3, 4)), "date_2": "99999-01-01"}, "valid date"),
        ({**slot_post(days=(3, 4)), "time_3": "10:00"}, "Give both the date and the start time"),
        ({**slot_post(days=(3, 4)), "note": "x" * 100_000}, "at most 2000 characters"),
    ],
    ids=["one", "past", "overlap", "bad-date", "half-row", "huge-note"],
)
def test_bad_times_are_form_errors_and_nothing_is_saved(
    portal_client, asked, customer_contact, data, message
):
    response = portal_client(customer_contact).post(reverse("customer:ask-accept", args=[asked.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OfferedSlot.objects.filter(request=asked).exists()


def test_declining_with_a_reason(portal_client, asked, customer_contact):
    response = portal_client(customer_contact).post(
        reverse("customer:ask-decline", args=[asked.pk]), {"reason": "Too busy this quarter."}
    )
    assert response.status_code == 302 and response["Location"] == reverse("customer:asks")
    asked.refresh_from_db()
    assert asked.status == "in_review" and asked.chosen_contact is None
    assert RequestEvent.objects.filter(request=asked).latest("id").note == "Too busy this quarter."


def test_a_100000_character_reason_is_a_form_error(portal_client, asked, customer_contact):
    response = portal_client(customer_contact).post(
        reverse("customer:ask-decline", args=[asked.pk]), {"reason": "x" * 100_000}
    )
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert ReferenceRequest.objects.get(pk=asked.pk).status == "customer_asked"


def test_a_request_moved_meanwhile_is_said_clearly(portal_client, asked, customer_contact, manager):
    client = portal_client(customer_contact)
    client.get(reverse("customer:ask", args=[asked.pk]))
    request_transition(
        request_id=asked.pk,
        action="schedule",
        actor=manager,
        scheduled_for=timezone.now() + timedelta(days=2),
    )
    response = client.post(reverse("customer:ask-accept", args=[asked.pk]), slot_post(), follow=True)
    assert "This request changed while you were answering it" in response.content.decode()
    assert not OfferedSlot.objects.filter(request=asked).exists()


@pytest.mark.parametrize("name", ["customer:ask", "customer:ask-accept", "customer:ask-decline"])
def test_another_contacts_ask_is_not_found(portal_client, asked, customer_contact, name):
    stranger = factories.make_contact(customer_contact.account)
    client = portal_client(stranger)
    url = reverse(name, args=[asked.pk])
    response = client.get(url) if name == "customer:ask" else client.post(url, slot_post())
    assert response.status_code == 404
    assert ReferenceRequest.objects.get(pk=asked.pk).status == "customer_asked"
    assert not OfferedSlot.objects.exists()


def test_the_manager_schedules_an_offered_time_in_one_click(
    portal_client, client, asked, customer_contact, manager, sales_rep
):
    request_transition(
        request_id=asked.pk,
        action="accept_ask",
        actor=None,
        customer=customer_contact,
        slots=offered_slots(3),
    )
    client.force_login(manager)
    page = client.get(reverse("manage:request", args=[asked.pk])).content.decode()
    assert page.count('name="action" value="schedule"') == 4  # each offered time, and the free form
    second = OfferedSlot.objects.filter(request=asked)[1]
    response = client.post(
        reverse("manage:request-act", args=[asked.pk]),
        {
            "action": "schedule",
            "expected_status": "customer_asked",
            "scheduled_for": second.starts_at.isoformat(),
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.scheduled_for) == ("scheduled", second.starts_at)
    client.force_login(sales_rep)
    sales_page = client.get(reverse("sales:request", args=[asked.pk])).content.decode()
    assert asked.verification_code_text in sales_page
    assert "give this code to the customer if you contact them" in sales_page.lower()
    assert "The customer" in sales_page  # the history row of the acceptance


def test_the_requester_sees_the_offered_times(client, asked, customer_contact, sales_rep):
    request_transition(
        request_id=asked.pk,
        action="accept_ask",
        actor=None,
        customer=customer_contact,
        slots=offered_slots(2),
    )
    client.force_login(sales_rep)
    page = client.get(reverse("sales:request", args=[asked.pk])).content.decode()
    assert "Times the customer offered" in page and page.count("(45 minutes)") == 2


def test_the_ask_page_speaks_german(portal_client, asked, customer_contact):
    customer_contact.language = "de"
    customer_contact.save()
    text = portal_client(customer_contact).get(reverse("customer:ask", args=[asked.pk])).content.decode()
    assert "Ablehnen" in text and "Angefragt von" in text


def test_the_ask_page_costs_a_fixed_number_of_queries(
    portal_client, asked, customer_contact, django_assert_max_num_queries
):
    slots = offered_slots(5)
    request_transition(
        request_id=asked.pk, action="accept_ask", actor=None, customer=customer_contact, slots=slots
    )
    client = portal_client(customer_contact)
    # The portal session with its contact (+ its touch, at most once a minute), the ask with its
    # rep, activity type and deal's industry and size band, its offered times.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("customer:ask", args=[asked.pk])).status_code == 200


def test_a_german_contact_reads_the_activity_in_german(portal_client, asked, customer_contact):
    customer_contact.language = "de"
    customer_contact.save(update_fields=["language"])
    client = portal_client(customer_contact)
    ask = client.get(reverse("customer:ask", args=[asked.pk])).content.decode()
    assert "Referenzgespräch" in ask and "Reference call" not in ask
    preferences = client.get(reverse("customer:preferences")).content.decode()
    assert "Besuch vor Ort" in preferences and "Site visit" not in preferences


def test_an_ask_that_took_place_opens_its_feedback_page(portal_client, asked, customer_contact, manager):
    """The ask's email, read after the activity: its page is the feedback page now."""
    done = drive_to(asked, "completed", customer_contact, manager)
    response = portal_client(customer_contact).get(reverse("customer:ask", args=[done.pk]), follow=True)
    assert response.redirect_chain == [(reverse("customer:feedback", args=[done.pk]), 302)]
    assert "This request is no longer open" in response.content.decode()


def test_another_contacts_done_ask_is_still_not_found(portal_client, asked, customer_contact, manager):
    done = drive_to(asked, "completed", customer_contact, manager)
    stranger = factories.make_contact(customer_contact.account)
    assert portal_client(stranger).get(reverse("customer:ask", args=[done.pk])).status_code == 404
