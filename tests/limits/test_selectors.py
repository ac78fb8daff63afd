"""What search and lists read: the stored usage, joined in one query, blackouts read live."""

from datetime import date, timedelta

import pytest

from limits.selectors import available_on, with_availability
from limits.usage import usage_recompute
from references.models import BlackoutPeriod, Contact
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(policy, account_owner):
    today = date.today()
    people = {
        name: factories.make_contact(factories.make_account(account_owner))
        for name in ("full", "free", "away")
    }
    for n in (80, 60, 40, 20):
        factories.make_activity(people["full"], today - timedelta(days=n))
    factories.make_activity(people["free"], today - timedelta(days=30))
    BlackoutPeriod.objects.create(
        contact=people["away"], start=today - timedelta(days=1), end=today + timedelta(days=9)
    )
    usage_recompute(today=today)
    return people


def test_contacts_are_annotated_with_their_usage_in_one_query(contacts, django_assert_num_queries):
    today = date.today()
    with django_assert_num_queries(1):
        rows = {
            c.pk: c
            for c in with_availability(Contact.objects.filter(pk__in=[c.pk for c in contacts.values()]))
        }

    full, free, away = (rows[contacts[name].pk] for name in ("full", "free", "away"))
    assert (full.usage_used, full.usage_state, full.usage_slots_left) == (4, "limited", 0)
    assert full.available_from == today - timedelta(days=80) + timedelta(days=90)
    assert (free.usage_used, free.usage_state, free.available_from) == (1, "available", None)
    assert (away.usage_used, away.usage_state, away.usage_slots_left) == (0, "available", None)
    assert away.available_from == today + timedelta(days=10)


def test_available_on_a_day_leaves_out_limits_and_blackouts(contacts):
    today = date.today()
    everyone = Contact.objects.filter(pk__in=[c.pk for c in contacts.values()])

    assert set(available_on(everyone, today)) == {contacts["free"]}
    assert set(available_on(everyone, today + timedelta(days=11))) == {
        contacts["free"],
        contacts["full"],
        contacts["away"],
    }
