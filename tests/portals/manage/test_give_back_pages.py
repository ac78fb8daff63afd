"""The manager's give-back pages: the contact page's section and its form, removing a mistake, and
the program's list of contacts asked a lot and given little (the same cost with many rows)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.giveback import giveback_record
from customers.models import GiveBack
from customers.statuses import GiveBackKind
from tests.builders import catalogue

pytestmark = pytest.mark.django_db


def _days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def _asked(owner, last_name: str, times: int):
    contact = catalogue.make_contact(catalogue.make_account(owner), last_name=last_name)
    for n in range(times):
        catalogue.make_activity(contact, _days_ago(100 + 20 * n))
    return contact


def test_a_manager_records_give_back_from_the_contact_page(manager_client, customer_contact, manager):
    page = manager_client.get(reverse("manage:contact", args=[customer_contact.pk])).content.decode()
    form_url = reverse("manage:contact-give-back", args=[customer_contact.pk])
    assert "Give-back" in page and form_url in page and "Nothing recorded yet." in page

    response = manager_client.post(
        form_url,
        {
            "kind": GiveBackKind.SPEAKING_SLOT,
            "given_on": _days_ago(1).isoformat(),
            "message": "See you on stage.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#give-back")
    given = GiveBack.objects.get(contact=customer_contact)
    assert (given.kind, given.message, given.recorded_by) == (
        GiveBackKind.SPEAKING_SLOT,
        "See you on stage.",
        manager,
    )
    page = manager_client.get(reverse("manage:contact", args=[customer_contact.pk])).content.decode()
    assert "Speaking slot" in page and "See you on stage." in page


def test_a_day_in_the_future_is_refused_on_its_field(manager_client, customer_contact):
    url = reverse("manage:contact-give-back", args=[customer_contact.pk])
    response = manager_client.post(
        url, {"kind": GiveBackKind.BETA_SEAT, "given_on": _days_ago(-3).isoformat()}
    )
    assert response.status_code == 400
    assert "not in the future" in response.content.decode()
    response = manager_client.post(url, {"kind": "points", "given_on": "²"})
    assert response.status_code == 400
    assert not GiveBack.objects.exists()


def test_a_manager_removes_a_mistake(manager_client, customer_contact, manager):
    given = giveback_record(
        contact=customer_contact, kind=GiveBackKind.RECOGNITION, given_on=_days_ago(1), actor=manager
    )
    response = manager_client.post(reverse("manage:give-back-remove", args=[given.pk]))
    assert response.status_code == 302
    assert not GiveBack.objects.exists()
    assert manager_client.post(reverse("manage:give-back-remove", args=[given.pk])).status_code == 404


def test_a_sales_rep_may_not_record_or_see_the_list(client, sales_rep, customer_contact):
    client.force_login(sales_rep)
    url = reverse("manage:contact-give-back", args=[customer_contact.pk])
    assert (
        client.post(url, {"kind": GiveBackKind.BETA_SEAT, "given_on": _days_ago(1).isoformat()}).status_code
        == 403
    )
    assert client.get(reverse("manage:give-back")).status_code == 403
    assert not GiveBack.objects.exists()


def test_the_list_shows_the_most_owed_first_with_a_link_to_record(manager_client, account_owner, manager):
    less = _asked(account_owner, "Lessasked", 2)
    most = _asked(account_owner, "Mostasked", 4)
    giveback_record(contact=less, kind=GiveBackKind.BETA_SEAT, given_on=_days_ago(5), actor=manager)
    response = manager_client.get(reverse("manage:give-back"))
    assert [c.pk for c in response.context["page"]] == [most.pk, less.pk]
    page = response.content.decode()
    assert reverse("manage:contact-give-back", args=[most.pk]) in page
    assert "asks minus given" in page
    # Filters: a higher minimum leaves the most asked; a made-up value is dropped.
    response = manager_client.get(reverse("manage:give-back"), {"min_asks": "3", "months": "7"})
    assert [c.pk for c in response.context["page"]] == [most.pk]
    assert response.context["chosen"] == {"months": 12, "min_asks": 3}


@pytest.mark.parametrize("rows", [3, 40], ids=["few", "many"])
def test_the_list_costs_the_same_with_many_contacts(
    manager_client, account_owner, manager, rows, django_assert_max_num_queries, base_queries
):
    for n in range(rows):
        contact = _asked(account_owner, f"Asked{n}", 2 + n % 3)
        if n % 2:
            giveback_record(
                contact=contact, kind=GiveBackKind.PEER_EVENT, given_on=_days_ago(3), actor=manager
            )
    # The base + the count + the page (every figure a subquery of it).
    with django_assert_max_num_queries(base_queries + 2):
        response = manager_client.get(reverse("manage:give-back"), {"min_asks": "1"})
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [2, 20], ids=["few", "many"])
def test_the_contacts_give_back_costs_the_same_however_many(
    manager_client, customer_contact, manager, rows, django_assert_max_num_queries, base_queries
):
    for n in range(rows):
        giveback_record(
            contact=customer_contact, kind=GiveBackKind.BETA_SEAT, given_on=_days_ago(n), actor=manager
        )
    # The base + the contact + the give-back (with who recorded it and its request) + the
    # balance + the form's request choices.
    with django_assert_max_num_queries(base_queries + 4):
        response = manager_client.get(reverse("manage:contact-give-back", args=[customer_contact.pk]))
    assert len(response.context["give_backs"]) == rows
