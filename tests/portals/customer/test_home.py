"""The portal's front page: open to anyone, the code promise on it, in the contact's language."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from customers.sessions import portal_session_start
from portals.customer.access import contact_required
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


def test_the_front_page_promises_a_code_to_everyone(client, settings):
    response = client.get(reverse("customer:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Nobody from {settings.COMPANY_NAME} contacts you for a reference without a code" in text
    assert reverse("customer:sign-in") in text
    assert "no-store" in response["Cache-Control"]


def test_a_signed_in_contact_is_greeted_by_name(portal_client, account_owner):
    contact = factories.make_contact(factories.make_account(account_owner), first_name="Greta")
    response = portal_client(contact).get(reverse("customer:home"))
    assert "Welcome, Greta" in response.content.decode()
    assert reverse("customer:sign-in") not in response.content.decode()


def test_a_staff_session_is_not_a_contact(client, manager):
    client.force_login(manager)
    response = client.get(reverse("customer:home"))
    assert "Welcome" not in response.content.decode()
    assert reverse("customer:sign-in") in response.content.decode()


def _whoami(request):
    return HttpResponse(f"{request.contact.full_name} in {timezone.get_current_timezone_name()}")


def test_contact_pages_send_visitors_to_sign_in_and_refuse_their_posts(rf, manager):
    page = contact_required(_whoami)
    visit = rf.get("/portal/somewhere/?x=1")
    visit.user = manager  # a staff user's session counts for nothing
    response = page(visit)
    assert response.status_code == 302
    assert response["Location"] == reverse("customer:sign-in") + "?next=%2Fportal%2Fsomewhere%2F%3Fx%3D1"
    with pytest.raises(PermissionDenied):
        page(rf.post("/portal/somewhere/"))


def test_contact_pages_open_in_the_contacts_zone(rf, account_owner, settings):
    contact = factories.make_contact(factories.make_account(account_owner), time_zone="Europe/Berlin")
    _session, raw_key = portal_session_start(contact=contact)
    visit = rf.get("/portal/somewhere/")
    visit.COOKIES[settings.PORTAL_COOKIE] = raw_key
    response = contact_required(_whoami)(visit)
    assert response.content.decode() == f"{contact.full_name} in Europe/Berlin"
