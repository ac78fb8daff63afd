"""The manager carries out an erasure from My tasks: the confirmation page in /manage/."""

import pytest
from django.urls import reverse

from customers.erasure.services import erasure_ask
from references.models import ReferenceStatus

pytestmark = pytest.mark.django_db


def test_an_erasure_request_is_on_the_managers_task_list_with_its_due_date(client, manager, customer_contact):
    erasure = erasure_ask(contact=customer_contact)
    client.force_login(manager)
    text = client.get(reverse("tasks:list")).content.decode()
    assert customer_contact.full_name in text
    assert reverse("manage:erasure", args=[erasure.pk]) in text
    assert erasure.due_on.strftime("%Y-%m-%d") in text


def test_a_sales_rep_sees_no_erasure_on_their_list_and_cannot_carry_it_out(
    client, sales_rep, customer_contact
):
    erasure = erasure_ask(contact=customer_contact)
    client.force_login(sales_rep)
    assert customer_contact.full_name not in client.get(reverse("tasks:list")).content.decode()
    url = reverse("manage:erasure", args=[erasure.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "on"}).status_code == 403
    customer_contact.refresh_from_db()
    assert customer_contact.first_name == "Grace"


def test_the_manager_confirms_and_the_contact_is_erased(client, manager, customer_contact):
    erasure = erasure_ask(contact=customer_contact)
    client.force_login(manager)
    url = reverse("manage:erasure", args=[erasure.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Grace Globex" in page.content.decode()
    assert client.post(url, {}).status_code == 400  # not confirmed: nothing happens
    customer_contact.refresh_from_db()
    assert customer_contact.first_name == "Grace"
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("tasks:list")
    customer_contact.refresh_from_db()
    assert customer_contact.full_name == f"Erased contact #{customer_contact.pk}"
    assert customer_contact.status == ReferenceStatus.RETIRED
    assert "Grace" not in client.get(reverse("tasks:list")).content.decode()
    assert "done" in client.get(url).content.decode()


def test_an_unknown_erasure_is_a_404(client, manager):
    client.force_login(manager)
    assert client.get(reverse("manage:erasure", args=[999999])).status_code == 404


def test_the_inbox_says_how_many_erasures_wait(client, manager, customer_contact):
    client.force_login(manager)
    assert "asked to be erased" not in client.get(reverse("manage:home")).content.decode()
    erasure = erasure_ask(contact=customer_contact)
    text = client.get(reverse("manage:home")).content.decode()
    assert "1 contact has asked to be erased" in text
    assert erasure.due_on.strftime("%-d %b %Y") in text
