"""The customer's moves (workflows.asks): accepting with 2–5 times, declining, the verification
code an ask carries, and how the history names the customer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from requests_app.codes import ALPHABET, code_from_text, code_text
from requests_app.models import OfferedSlot, ReferenceRequest, RequestEvent
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request, offered_slots
from tests.concurrency import race
from workflows.services import request_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


def accept(request, contact, slots, **extra):
    return request_transition(
        request_id=request.pk, action="accept_ask", actor=None, customer=contact, slots=slots, **extra
    )


def test_asking_the_customer_gives_the_ask_a_code(asked):
    code = asked.verification_code
    assert len(code) == 8 and set(code) <= set(ALPHABET)
    assert code_text(code) == f"{code[:4]}-{code[4:]}"
    assert code_from_text(f" {code[:4].lower()} - {code[4:]} ") == code


def test_the_customer_accepts_with_times_and_the_history_names_them(asked, customer_contact):
    moved = accept(asked, customer_contact, offered_slots(3), note="Mornings are best.")

    assert moved.status == "customer_asked"
    assert OfferedSlot.objects.filter(request=asked).count() == 3
    event = RequestEvent.objects.filter(request=asked).latest("id")
    assert (event.action, event.actor, event.actor_contact) == ("accept_ask", None, customer_contact)
    assert event.note == "Mornings are best."


def test_a_new_acceptance_replaces_the_earlier_times(asked, customer_contact):
    accept(asked, customer_contact, offered_slots(3))
    accept(asked, customer_contact, offered_slots(2, days=10))

    starts = list(OfferedSlot.objects.filter(request=asked).values_list("starts_at", flat=True))
    assert starts == [start for start, _m in offered_slots(2, days=10)]


@pytest.mark.parametrize(
    "slots, field",
    [
        (offered_slots(1), "slots"),
        (offered_slots(6), "slots"),
        ("not a list", "slots"),
        ([(timezone.now() - timedelta(hours=1), 30), *offered_slots(1)], "slot_1"),
        ([*offered_slots(1), (timezone.now() + timedelta(days=400), 30)], "slot_2"),
        ([*offered_slots(1), (timezone.now().replace(year=2300), 30)], "slot_2"),
        ([*offered_slots(1), ("tomorrow", 30)], "slot_2"),
        ([*offered_slots(1), (timezone.now() + timedelta(days=5), 5)], "slot_2"),
        ([*offered_slots(1), (timezone.now() + timedelta(days=5), 9 * 60)], "slot_2"),
    ],
    ids=["one", "six", "garbage", "past", "next-year", "far-year", "text", "too-short", "too-long"],
)
def test_bad_times_are_refused_naming_the_field_and_nothing_is_saved(asked, customer_contact, slots, field):
    with pytest.raises(InvalidInput) as refused:
        accept(asked, customer_contact, slots)

    assert refused.value.field == field
    assert not OfferedSlot.objects.filter(request=asked).exists()
    assert not RequestEvent.objects.filter(request=asked, action="accept_ask").exists()


def test_overlapping_times_are_refused(asked, customer_contact):
    start = offered_slots(1)[0][0]
    with pytest.raises(InvalidInput, match="overlaps") as refused:
        accept(asked, customer_contact, [(start, 60), (start + timedelta(minutes=30), 60)])
    assert refused.value.field == "slot_2"
    assert not OfferedSlot.objects.exists()


def test_times_after_the_needed_by_date_are_taken(asked, customer_contact):
    late = (asked.needed_by - timezone.localdate()).days + 5
    accept(asked, customer_contact, offered_slots(2, days=late))
    assert OfferedSlot.objects.filter(request=asked).count() == 2


def test_only_the_chosen_contact_may_answer(asked, customer_contact):
    other = factories.make_contact(customer_contact.account)
    with pytest.raises(NotAllowed):
        accept(asked, other, offered_slots(2))
    with pytest.raises(NotAllowed):
        request_transition(request_id=asked.pk, action="decline_ask", actor=None, customer=other)
    assert ReferenceRequest.objects.get(pk=asked.pk).status == "customer_asked"


def test_staff_cannot_take_the_customers_moves(asked, manager, sales_rep, account_owner):
    for person in (manager, sales_rep, account_owner, None):
        with pytest.raises(NotAllowed):
            request_transition(request_id=asked.pk, action="accept_ask", actor=person, slots=offered_slots(2))


def test_declining_goes_back_to_review_and_voids_the_code_and_times(asked, customer_contact):
    accept(asked, customer_contact, offered_slots(2))
    moved = request_transition(
        request_id=asked.pk, action="decline_ask", actor=None, customer=customer_contact, note=""
    )

    assert (moved.status, moved.chosen_contact, moved.verification_code) == ("in_review", None, None)
    assert not OfferedSlot.objects.filter(request=asked).exists()
    event = RequestEvent.objects.filter(request=asked).latest("id")
    assert (event.action, event.actor_contact) == ("decline_ask", customer_contact)


def test_a_late_click_names_the_customer_who_acted(asked, customer_contact, manager):
    request_transition(request_id=asked.pk, action="decline_ask", actor=None, customer=customer_contact)
    with pytest.raises(Conflict) as late:
        request_transition(
            request_id=asked.pk, action="customer_decline", actor=manager, note="They said no."
        )
    assert f"declined the ask by {customer_contact.full_name}, the customer on" in late.value.message


def test_the_manager_page_shows_the_customer_in_the_history(client, asked, customer_contact, manager):
    accept(asked, customer_contact, offered_slots(2))
    client.force_login(manager)
    page = client.get(f"/manage/requests/{asked.pk}/").content.decode()
    assert f"{customer_contact.full_name} (the customer)" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_accepting_while_the_manager_cancels_serializes(sales_rep, customer_contact, manager):
    """The two moves queue on the request's lock. Cancelled first: the customer's acceptance is a
    Conflict and no time is saved. Accepted first: the offer stands in the history and the
    manager's cancel, still possible from "customer asked", follows it (a decision made after the
    offer is not a lost update)."""
    request = drive_to(make_request(sales_rep, customer_contact), "customer_asked", customer_contact, manager)

    results = race(
        [
            lambda: (
                accept(request, customer_contact, offered_slots(2), expected_status="customer_asked").status
            ),
            lambda: (
                request_transition(
                    request_id=request.pk, action="cancel", actor=manager, note="No longer needed."
                ).status
            ),
        ]
    )

    assert results[1] == "cancelled", results
    assert ReferenceRequest.objects.get(pk=request.pk).status == "cancelled"
    events = list(
        RequestEvent.objects.filter(request=request).order_by("id").values_list("action", flat=True)
    )
    if isinstance(results[0], Conflict):
        assert "cancelled by" in results[0].message
        assert not OfferedSlot.objects.filter(request=request).exists()
        assert "accept_ask" not in events
    else:
        assert results[0] == "customer_asked"
        assert events[-2:] == ["accept_ask", "cancel"]
