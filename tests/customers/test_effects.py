"""A contact's own changes take effect at once: out of the sales search (before the index's next
refresh), approvals refused, availability counted with the lower cap; the pause job gives them
back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict
from customers import preferences as portal
from limits.selectors import availability_for
from references.services.preferences import pauses_end
from references.tasks import end_pauses
from tests.builders import catalogue as factories
from tests.builders.search import index, make_reference
from workflows.services import request_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(account_owner):
    """Una, willing to do calls and site visits, indexed for search."""
    contact = make_reference(
        account_owner, name="Umbrella Savings", activity_types=("reference_call", "site_visit")
    )
    index()
    return contact


def _form(contact, **changes):
    preferences = contact.preferences
    values = {
        "activity_types": list(preferences.activity_types.all()),
        "own_cap_per_quarter": preferences.own_cap_per_quarter,
        "preferred_channel": preferences.preferred_channel,
        "topics_to_avoid": "",
        "wants_in_return": "",
        "language": "en",
        "time_zone": "UTC",
    }
    return {**values, **changes}


def _search(rep_client, **params) -> str:
    response = rep_client.get("/sales/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_opting_out_leaves_the_search_at_once(rep_client, reference):
    assert "Umbrella Savings" in _search(rep_client)
    portal.opt_out(contact=reference)
    assert "Umbrella Savings" not in _search(rep_client)  # the index still holds them: the live check


def test_pausing_leaves_the_search_and_the_pause_job_brings_them_back(rep_client, reference):
    portal.pause(contact=reference, days=5)
    assert "Umbrella Savings" not in _search(rep_client)

    assert pauses_end(today=timezone.localdate() + timedelta(days=6)) == 1
    assert "Umbrella Savings" in _search(rep_client)


def test_the_pause_job_task_ends_pauses_whose_last_day_passed(reference):
    portal.pause(contact=reference, days=1)
    reference.preferences.__class__.objects.filter(contact=reference).update(
        paused_until=timezone.localdate() - timedelta(days=1)
    )
    assert end_pauses.run() == 1
    reference.preferences.refresh_from_db()
    assert not reference.preferences.paused_by_contact


def test_withdrawing_an_activity_type_leaves_that_search_at_once(rep_client, reference):
    visit, call = factories.activity_type("site_visit"), factories.activity_type("reference_call")
    assert "Umbrella Savings" in _search(rep_client, activity=visit.pk)

    portal.preferences_change(contact=reference, **_form(reference, activity_types=[call]))

    assert "Umbrella Savings" not in _search(rep_client, activity=visit.pk)
    assert "Umbrella Savings" in _search(rep_client, activity=call.pk)
    assert "Umbrella Savings" in _search(rep_client)
    index()  # and after the index's refresh, the same
    assert "Umbrella Savings" not in _search(rep_client, activity=visit.pk)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: portal.opt_out(contact=c), "opted out"),
        (lambda c: portal.pause(contact=c, days=7), "not to be approached"),
    ],
)
def test_opting_out_or_pausing_refuses_the_approval(sales_rep, manager, customer_contact, change, message):
    from tests.builders.requests import make_request

    ref_request = make_request(sales_rep, customer_contact)
    change(customer_contact)
    with pytest.raises(Conflict, match=message):
        request_transition(
            request_id=ref_request.pk, action="approve", actor=manager, contact=customer_contact.pk
        )


def test_a_lower_cap_changes_the_availability_at_once(customer_contact):
    today = timezone.localdate()
    factories.make_activity(customer_contact, today - timedelta(days=30))
    before = availability_for([customer_contact.pk])[customer_contact.pk]

    portal.preferences_change(contact=customer_contact, **_form(customer_contact, own_cap_per_quarter=1))

    after = availability_for([customer_contact.pk])[customer_contact.pk]
    assert before.slots and before.slots > 0
    assert after.slots == 0 and not after.ok
