"""My preferences: the contact's own page of small forms. Good input is saved with its consents in
the ledger; bad input is a form error and nothing is saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portals.customer.preferences import LEDGER_SHOWN
from references.models import BlackoutPeriod, ConsentEntry, Contact, ParticipationPreferences
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


def _post_data(contact, **changes):
    preferences = contact.preferences
    data = {
        "activity_types": [str(t.pk) for t in preferences.activity_types.all()],
        "own_cap_per_quarter": ""
        if preferences.own_cap_per_quarter is None
        else preferences.own_cap_per_quarter,
        "preferred_channel": preferences.preferred_channel,
        "language": "en",
        "time_zone": "Europe/Berlin",
        "topics_to_avoid": "",
        "wants_in_return": "",
    }
    return {**data, **changes}


def _state(contact):
    """Everything the page may change, to compare before and after a refused post."""
    preferences = ParticipationPreferences.objects.get(contact=contact)
    row = Contact.objects.get(pk=contact.pk)
    return (
        sorted(preferences.activity_types.values_list("pk", flat=True)),
        preferences.own_cap_per_quarter,
        preferences.topics_to_avoid,
        preferences.wants_in_return,
        preferences.paused_by_contact,
        preferences.opted_out,
        row.language,
        row.time_zone,
        BlackoutPeriod.objects.filter(contact=contact).count(),
        ConsentEntry.objects.filter(contact=contact).count(),
    )


def test_the_page_shows_the_contacts_preferences(portal_client, customer_contact):
    response = portal_client(customer_contact).get(reverse("customer:preferences"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "My preferences" in page and "Stop asking me" in page and "Pause me" in page
    assert "From 0 to 20" in page  # the cap's bound is shown


def test_saving_the_form_saves_and_records_the_consents(portal_client, customer_contact):
    visit = factories.activity_type("site_visit")
    data = _post_data(
        customer_contact,
        activity_types=[str(visit.pk)],
        own_cap_per_quarter="2",
        language="de",
        topics_to_avoid="Pricing",
    )
    response = portal_client(customer_contact).post(reverse("customer:preferences"), data)

    assert response.status_code == 302
    contact = Contact.objects.get(pk=customer_contact.pk)
    assert (contact.language, contact.time_zone) == ("de", "Europe/Berlin")
    assert contact.preferences.own_cap_per_quarter == 2
    assert contact.preferences.topics_to_avoid == "Pricing"
    assert list(contact.preferences.activity_types.all()) == [visit]
    assert ConsentEntry.objects.filter(contact=contact, method="portal").count() == 2
    page = portal_client(contact).get(reverse("customer:preferences")).content.decode()
    assert '<html lang="de">' in page  # now in German


def test_stop_asking_me_and_take_part_again(portal_client, customer_contact):
    client = portal_client(customer_contact)
    assert client.post(reverse("customer:preferences-stop")).status_code == 302
    page = client.get(reverse("customer:preferences")).content.decode()
    assert "Take part again" in page and "withdrawn" in page
    assert client.post(reverse("customer:preferences-take-part")).status_code == 302
    customer_contact.preferences.refresh_from_db()
    assert not customer_contact.preferences.opted_out


def test_pause_and_end_the_pause(portal_client, customer_contact):
    client = portal_client(customer_contact)
    assert client.post(reverse("customer:preferences-pause"), {"days": "14"}).status_code == 302
    customer_contact.preferences.refresh_from_db()
    assert customer_contact.preferences.paused_until == timezone.localdate() + timedelta(days=14)
    assert "End my pause now" in client.get(reverse("customer:preferences")).content.decode()
    assert client.post(reverse("customer:preferences-unpause")).status_code == 302
    customer_contact.preferences.refresh_from_db()
    assert not customer_contact.preferences.paused_by_contact


def test_blackouts_are_added_and_removed(portal_client, customer_contact):
    client = portal_client(customer_contact)
    today = timezone.localdate()
    data = {"start": today.isoformat(), "end": (today + timedelta(days=3)).isoformat(), "reason": "Holiday"}
    assert client.post(reverse("customer:preferences-blackouts"), data).status_code == 302
    blackout = BlackoutPeriod.objects.get(contact=customer_contact)
    assert "Holiday" in client.get(reverse("customer:preferences")).content.decode()

    remove = reverse("customer:preferences-blackout-remove", args=[blackout.pk])
    assert client.post(remove).status_code == 302
    assert not BlackoutPeriod.objects.filter(contact=customer_contact).exists()


def test_another_contacts_blackout_cannot_be_removed(portal_client, customer_contact, customer_account):
    other = factories.make_contact(customer_account)
    theirs = BlackoutPeriod.objects.create(
        contact=other, start=timezone.localdate(), end=timezone.localdate() + timedelta(days=1)
    )
    remove = reverse("customer:preferences-blackout-remove", args=[theirs.pk])
    assert portal_client(customer_contact).post(remove).status_code == 404
    assert BlackoutPeriod.objects.filter(pk=theirs.pk).exists()


TOO_LONG = "x" * 100_000


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"own_cap_per_quarter": "-1"}, "own_cap_per_quarter"),
        ({"own_cap_per_quarter": "21"}, "own_cap_per_quarter"),
        ({"own_cap_per_quarter": "99999999999999999999"}, "own_cap_per_quarter"),
        ({"activity_types": ["999999"]}, "activity_types"),
        ({"activity_types": ["abc"]}, "activity_types"),
        ({"language": "fr"}, "language"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"preferred_channel": "pigeon"}, "preferred_channel"),
        ({"topics_to_avoid": TOO_LONG}, "topics_to_avoid"),
        ({"wants_in_return": TOO_LONG}, "wants_in_return"),
    ],
)
def test_bad_preferences_are_form_errors_and_nothing_is_saved(
    portal_client, customer_contact, changes, field
):
    before = _state(customer_contact)
    data = _post_data(customer_contact, **{"wants_in_return": "changed", **changes})
    response = portal_client(customer_contact).post(reverse("customer:preferences"), data)

    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    assert _state(customer_contact) == before


@pytest.mark.parametrize("days", ["0", "-3", "366", "10000", "", "ten"])
def test_a_bad_pause_is_a_form_error(portal_client, customer_contact, days):
    before = _state(customer_contact)
    response = portal_client(customer_contact).post(reverse("customer:preferences-pause"), {"days": days})
    assert response.status_code == 400
    assert response.context["pause_form"].errors["days"]
    assert _state(customer_contact) == before


@pytest.mark.parametrize(
    "data",
    [
        {"start": "2030-03-10", "end": "2030-03-01"},  # ends before it starts
        {"start": "2030-03-10", "end": ""},
        {"start": "9999-01-01", "end": "9999-01-02"},
        {"start": "2030-03-10", "end": "2030-03-11", "reason": TOO_LONG},
        {"start": "2020-01-01", "end": "2020-01-02"},  # over already
    ],
)
def test_bad_blackouts_are_form_errors(portal_client, customer_contact, data):
    before = _state(customer_contact)
    response = portal_client(customer_contact).post(reverse("customer:preferences-blackouts"), data)
    assert response.status_code == 400
    assert response.context["blackout_form"].errors
    assert _state(customer_contact) == before


def test_the_page_costs_the_same_with_many_consents_and_blackouts(
    portal_client, customer_contact, django_assert_max_num_queries
):
    client = portal_client(customer_contact)
    # The portal session, the contact's preferences, their activity types, the form's activity
    # types, the blackouts, the ledger (with its activity types).
    with django_assert_max_num_queries(QUERIES):
        client.get(reverse("customer:preferences"))
    for n in range(40):
        day = timezone.localdate() + timedelta(days=n * 3)
        BlackoutPeriod.objects.create(contact=customer_contact, start=day, end=day)
    for _ in range(20):
        client.post(reverse("customer:preferences-stop"))
        client.post(reverse("customer:preferences-take-part"))
    with django_assert_max_num_queries(QUERIES):
        page = client.get(reverse("customer:preferences")).content.decode()
    assert page.count("<tr>") == 1 + LEDGER_SHOWN


QUERIES = 6
