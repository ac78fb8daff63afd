"""What search and lists read: the stored usage, joined in one query, blackouts read live."""

from datetime import date, timedelta

import pytest

from limits.models import LimitRule
from limits.rules import LimitCode
from limits.selectors import availability_for, available_on, with_availability
from limits.services import limit_check
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


def test_availability_for_one_contact_or_twenty_is_one_query(
    policy, account_owner, django_assert_max_num_queries
):
    """The live figure for a page of contacts is one statement (limits.live_reads): the contacts
    and their accounts, the activity types, the policy, the rules, blackouts, held activities and
    approved requests, for one contact or twenty, asked about any activity or a type (or its id)."""
    today = date.today()
    call = factories.activity_type("reference_call")
    asked = []
    for n in range(20):
        contact = factories.make_contact(factories.make_account(account_owner))
        factories.make_activity(contact, today - timedelta(days=3 + 7 * n))
        if n % 3 == 0:
            BlackoutPeriod.objects.create(contact=contact, start=today, end=today + timedelta(days=n))
        asked.append(contact.pk)
    LimitRule.objects.create(account_id=Contact.objects.get(pk=asked[5]).account_id, contact_max=1)
    LimitRule.objects.create(activity_type=call, rest_days=30)
    for activity_type in (None, call, call.pk):
        for one_or_many in (asked[:1], asked):
            with django_assert_max_num_queries(1):
                answers = availability_for(one_or_many, activity_type=activity_type)
            assert set(answers) == set(one_or_many)
    assert not answers[asked[0]].ok and answers[asked[0]].limit == LimitCode.BLACKOUT
    assert answers[asked[2]].limit == LimitCode.RULE_REST  # a call 17 days ago, 30 days of rest
    assert answers[asked[5]].limit == LimitCode.CONTACT_RULE  # its account's stricter cap of 1


def test_the_approvals_check_is_one_query(policy, contact, call, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        answer = limit_check(contact=contact, activity_type=call, on_date=date.today())
    assert answer.ok and answer.slots == 4


def test_availability_names_what_binds_and_agrees_with_the_approvals_check(policy, account_owner):
    today = date.today()
    account = factories.make_account(account_owner)
    quiet, busy = factories.make_contact(account), factories.make_contact(account)
    for n in (20, 35, 50, 65):
        factories.make_activity(busy, today - timedelta(days=n))

    answers = availability_for([quiet.pk, busy.pk])

    assert answers[quiet.pk].slots == 2
    assert answers[quiet.pk].slots_text == "2 slots left — the account's cap of 6 in 90 days"
    assert answers[busy.pk].slots == 0
    assert answers[busy.pk].slots_text.startswith("No slot left — the program's cap of 4 per contact")
    for contact in (quiet, busy):  # the same answer as the check the approval enforces
        exact = limit_check(contact=contact, activity_type=factories.activity_type(), on_date=today)
        assert (exact.ok, exact.slots, exact.slots_text) == (
            answers[contact.pk].ok,
            answers[contact.pk].slots,
            answers[contact.pk].slots_text,
        )


def test_an_activity_that_uses_no_slot_is_held_back_only_by_rest_rules_and_blackouts(policy, account_owner):
    contact = factories.make_contact(factories.make_account(account_owner))
    for n in (20, 35, 50, 65):
        factories.make_activity(contact, date.today() - timedelta(days=n))
    free_type = factories.activity_type("peer_networking")
    free_type.counts_toward_limits = False
    free_type.save()

    answer = availability_for([contact.pk], activity_type=free_type)[contact.pk]

    assert answer.ok and answer.slots is None and answer.slots_text == "Available"
