"""Every portal route that takes an id, read from the URL map, asked with another contact's ids:
a 404 to the GET and to the POST, and nothing of the owner's changes. A new id route fails here
until `_ids` names its object."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from customers.models import CustomerFeedback
from references.models import BlackoutPeriod
from references.services.preferences import blackout_add
from requests_app.models import OfferedSlot, ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from tests.portals.customer.test_asks import slot_post

pytestmark = pytest.mark.django_db

# Routes whose argument is a magic link's token, not an object's id (tests/portals/customer/test_link.py).
TOKEN_ROUTES = {"link", "link-renew"}


def _id_routes() -> list[str]:
    portal = next(
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "customer"
    )
    return [p.name for p in portal.url_patterns if p.pattern.converters and p.name not in TOKEN_ROUTES]


@pytest.fixture
def owners(customer_contact, sales_rep, manager):
    """The owner's open ask (two of them: one for each answer), done request and blackout."""
    asked = drive_to(make_request(sales_rep, customer_contact), "customer_asked", customer_contact, manager)
    done = drive_to(make_request(sales_rep, customer_contact), "completed", customer_contact, manager)
    today = done.needed_by
    blackout = blackout_add(contact=customer_contact, start=today, end=today)
    return {
        "ask": asked.pk,
        "ask-accept": asked.pk,
        "ask-decline": asked.pk,
        "feedback": done.pk,
        "preferences-blackout-remove": blackout.pk,
    }


def _snapshot(customer_contact):
    return (
        list(ReferenceRequest.objects.order_by("pk").values_list("pk", "status", "chosen_contact")),
        OfferedSlot.objects.count(),
        BlackoutPeriod.objects.filter(contact=customer_contact).count(),
        CustomerFeedback.objects.count(),
    )


@pytest.mark.parametrize("name", _id_routes())
def test_another_contacts_id_is_a_404_to_every_method(portal_client, owners, customer_contact, name):
    assert name in owners, f"customer:{name} takes an id: name the owner's object in `owners`"
    stranger = factories.make_contact(customer_contact.account, first_name="Stranger")
    client = portal_client(stranger)
    url = reverse(f"customer:{name}", args=[owners[name]])
    before = _snapshot(customer_contact)

    answers = {
        "GET": client.get(url).status_code,
        "POST": client.post(url, {**slot_post(), "reason": "No.", "rating": "5", "comment": "x"}).status_code,
    }

    assert set(answers.values()) <= {404, 405}, answers
    assert 404 in answers.values(), answers
    assert _snapshot(customer_contact) == before
