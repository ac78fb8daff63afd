"""My history and Feedback: the contact's own activities (the prospect only by its kind), and a
rating once per done request of theirs, which the manager and the requester then read."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import CustomerFeedback
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(sales_rep, manager, customer_contact):
    """A reference call of the customer's for Sally's deal, held and recorded."""
    deal = factories.make_opportunity(sales_rep, prospect_name="Secret Prospect Corp")
    request = make_request(sales_rep, customer_contact, opportunity=deal)
    return drive_to(request, "completed", customer_contact, manager)


def test_history_shows_each_activity_with_the_kind_of_prospect_never_its_name(
    portal_client, customer_contact, done
):
    customer_contact.preferences.wants_in_return = "A seat on the advisory board"
    customer_contact.preferences.save()
    page = portal_client(customer_contact).get(reverse("customer:history")).content.decode()

    assert "Reference call" in page
    assert done.opportunity.industry.name in page and done.opportunity.size_band.name in page
    assert "Secret Prospect Corp" not in page
    assert reverse("customer:feedback", args=[done.pk]) in page
    assert "Nothing has been recorded yet." in page and "A seat on the advisory board" in page


def test_history_shows_only_the_contacts_own_activities(portal_client, customer_contact, customer_account):
    other = factories.make_contact(customer_account)
    factories.make_activity(other, timezone.localdate() - timedelta(days=3), code="site_visit")
    page = portal_client(customer_contact).get(reverse("customer:history")).content.decode()
    assert "Site visit" not in page and "No activities recorded yet." in page


@pytest.mark.parametrize("rows", [2, 30], ids=["few", "many"])
def test_history_costs_the_same_however_many_activities(
    portal_client, customer_contact, sales_rep, done, rows, django_assert_max_num_queries
):
    for n in range(rows):
        activity = factories.make_activity(customer_contact, timezone.localdate() - timedelta(days=n + 1))
        activity.opportunities.add(factories.make_opportunity(sales_rep))
    client = portal_client(customer_contact)
    # The portal session, the page count, the activities, their deals, their requests (with the
    # customer's feedback), the requests waiting for feedback, the contact's wishes, their
    # give-back and its balance against their asks.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("customer:history"))
    assert response.status_code == 200


def test_feedback_is_given_once_and_shown_to_the_manager_and_the_requester(
    portal_client, customer_contact, done, client, manager, sales_rep
):
    portal = portal_client(customer_contact)
    url = reverse("customer:feedback", args=[done.pk])
    assert portal.get(url).status_code == 200

    response = portal.post(url, {"rating": "4", "comment": "Pleasant call, good questions."})
    assert response.status_code == 302
    feedback = CustomerFeedback.objects.get(request=done)
    assert (feedback.contact, feedback.rating) == (customer_contact, 4)

    again = portal.post(url, {"rating": "1", "comment": "Changed my mind"})
    assert again.status_code == 409
    assert CustomerFeedback.objects.get(request=done).rating == 4

    for user, page in ((manager, "manage:request"), (sales_rep, "sales:request")):
        client.force_login(user)
        text = client.get(reverse(page, args=[done.pk])).content.decode()
        assert "The customer&#x27;s feedback" in text or "The customer's" in text
        assert "Rated 4/5" in text and "Pleasant call, good questions." in text


def test_another_contacts_request_is_not_found(portal_client, customer_contact, customer_account, done):
    other = factories.make_contact(customer_account)
    url = reverse("customer:feedback", args=[done.pk])
    assert portal_client(other).get(url).status_code == 404
    assert portal_client(other).post(url, {"rating": "5"}).status_code == 404
    assert not CustomerFeedback.objects.exists()


def test_a_request_not_done_yet_is_not_found(portal_client, customer_contact, sales_rep, manager):
    asked = drive_to(make_request(sales_rep, customer_contact), "customer_asked", customer_contact, manager)
    url = reverse("customer:feedback", args=[asked.pk])
    assert portal_client(customer_contact).get(url).status_code == 404
    assert (
        portal_client(customer_contact).get(reverse("customer:feedback", args=[999_999])).status_code == 404
    )


@pytest.mark.parametrize(
    "data",
    [{"rating": "0"}, {"rating": "6"}, {"rating": "five"}, {}, {"rating": "3", "comment": "x" * 100_000}],
)
def test_bad_feedback_is_a_form_error_and_nothing_is_saved(portal_client, customer_contact, done, data):
    response = portal_client(customer_contact).post(reverse("customer:feedback", args=[done.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not CustomerFeedback.objects.exists()


def _give(contact, manager, kind, days_ago, **fields):
    from customers.giveback import giveback_record

    day = timezone.localdate() - timedelta(days=days_ago)
    return giveback_record(contact=contact, kind=kind, given_on=day, actor=manager, **fields)


@pytest.mark.parametrize(
    ("language", "kind_name", "heading"),
    [
        ("en", "Advisory board seat", "Given back to you in the last 12 months"),
        ("de", "Platz im Kundenbeirat", "In den letzten 12 Monaten an Sie zurückgegeben"),
    ],
)
def test_history_shows_the_contacts_own_give_back_never_the_note_nor_anothers(
    portal_client, customer_contact, customer_account, manager, done, language, kind_name, heading
):
    from customers.statuses import GiveBackKind

    customer_contact.language = language
    customer_contact.save(update_fields=["language"])
    _give(
        customer_contact,
        manager,
        GiveBackKind.ADVISORY_BOARD,
        2,
        message="Welcome aboard!",
        note="Internal X9",
    )
    other = factories.make_contact(customer_account)
    _give(other, manager, GiveBackKind.SPEAKING_SLOT, 1, message="Not for you")
    page = portal_client(customer_contact).get(reverse("customer:history")).content.decode()
    assert kind_name in page and "Welcome aboard!" in page and heading in page
    assert "Internal X9" not in page and "Not for you" not in page
    assert "Nothing has been recorded yet." not in page and "Bisher ist nichts erfasst." not in page
