"""The live check and the periodic job read one definition of the rules (limits.rules): on the
same random program they reach the same verdict for every contact — limited or not, which limit,
the day they are free again, and the slots they have left.

Each seed builds a program: a random policy, a few accounts sharing many contacts, activities of
counting, non-counting and one-to-many types on random days (a one-to-many occurrence recorded
once per deal it served), stricter rules for contacts and accounts, own caps (0 too), and requests
in every status (the committed ones use a slot from today). Then the job judges everyone, and
limit_check judges each contact on today's date. Blackout dates and account health are read live
by the check alone, and rules for one activity type too: none are drawn.
"""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from limits.models import ContactUsage, LimitPolicy, LimitRule, UsageState
from limits.rules import COUNT_LIMITS
from limits.services import Availability, limit_check
from limits.usage import usage_recompute
from references.models import ActivityType, Contact, ParticipationPreferences, ReferenceActivity
from requests_app.models import ReferenceRequest
from requests_app.statuses import RequestStatus
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db

SEEDS = 40


def random_policy(pick: random.Random) -> LimitPolicy:
    policy = LimitPolicy.current()
    policy.contact_max = pick.randint(1, 5)
    policy.account_max = pick.randint(1, 8)
    policy.window_days = pick.choice([7, 14, 30, 60, 90, 120])
    policy.rest_days = pick.choice([0, 0, 3, 14, 30])
    policy.near_limit_slots = pick.randint(0, 2)
    policy.save()
    return policy


def random_types(pick: random.Random) -> list[ActivityType]:
    """Every type, some of them switched between counting and not (reference calls always count:
    the check asks about one)."""
    types = list(ActivityType.objects.order_by("pk"))
    for activity_type in types:
        if activity_type.code != "reference_call" and pick.random() < 0.3:
            activity_type.counts_toward_limits = not activity_type.counts_toward_limits
            activity_type.save()
    return types


def random_rules(pick: random.Random, accounts, contacts) -> None:
    for _ in range(pick.randint(0, 3)):
        if pick.random() < 0.5:
            scope = {"contact": pick.choice(contacts), "contact_max": pick.choice([None, 1, 2, 3, 6])}
        else:
            scope = {
                "account": pick.choice(accounts),
                "contact_max": pick.choice([None, 1, 2, 3]),
                "account_max": pick.choice([None, 1, 2, 4, 9]),
            }
        rest_days = pick.choice([None, 5, 20, 100])
        if rest_days is not None or scope.get("contact_max") or scope.get("account_max"):
            LimitRule.objects.create(rest_days=rest_days, **scope)


def random_uses(pick: random.Random, contacts, types, requester, today) -> None:
    activities = []
    for _ in range(pick.randint(0, 60)):
        contact, activity_type = pick.choice(contacts), pick.choice(types)
        day = today - timedelta(days=pick.randint(0, 200))
        for _deal in range(pick.choice([1, 1, 1, 2, 3])):  # recorded once per deal it served
            activities.append(
                ReferenceActivity(
                    contact=contact,
                    account_id=contact.account_id,
                    activity_type=activity_type,
                    occurred_on=day,
                )
            )
    ReferenceActivity.objects.bulk_create(activities)
    for _ in range(pick.randint(0, 6)):
        ReferenceRequest.objects.create(
            requester=requester,
            campaign="Random program",
            activity_type=pick.choice(types),
            needed_by=today + timedelta(days=10),
            status=pick.choice(list(RequestStatus)),
            chosen_contact=pick.choice(contacts),
        )


def random_program(pick: random.Random, owner, requester, today) -> list[Contact]:
    random_policy(pick)
    types = random_types(pick)
    accounts = [factories.make_account(owner) for _ in range(pick.randint(1, 4))]
    contacts = [factories.make_contact(pick.choice(accounts)) for _ in range(pick.randint(4, 16))]
    for contact in contacts:
        if pick.random() < 0.25:
            ParticipationPreferences.objects.filter(contact=contact).update(
                own_cap_per_quarter=pick.choice([0, 1, 2, 3, 5])
            )
    random_rules(pick, accounts, contacts)
    random_uses(pick, contacts, types, requester, today)
    return contacts


def slots_by_caps_alone(contact: Contact) -> int:
    """The slots of a contact when nothing was used, by them or at their account: the tightest of
    the limits per contact (the program's, stricter rules', their own cap) and per account."""
    policy = LimitPolicy.current()
    rules = LimitRule.objects.filter(activity_type__isnull=True)
    contact_rules = rules.filter(contact=contact) | rules.filter(account_id=contact.account_id)
    account_rules = rules.filter(account_id=contact.account_id)
    own = ParticipationPreferences.objects.get(contact=contact).own_cap_per_quarter
    caps = [
        policy.contact_max,
        policy.account_max,
        *contact_rules.exclude(contact_max=None).values_list("contact_max", flat=True),
        *account_rules.exclude(account_max=None).values_list("account_max", flat=True),
        *([own] if own is not None else []),
    ]
    return min(caps)


def stored_verdict(usage: ContactUsage | None, contact: Contact, today) -> dict:
    """What the job stored. No row means: nothing used, and what the account used holds the
    contact back in nothing (they have the slots their caps give)."""
    if usage is None:
        return {
            "limited": False,
            "code": "",
            "available_from": today,
            "slots_left": slots_by_caps_alone(contact),
        }
    limited = usage.state == UsageState.LIMITED
    # No day stored: free today, or — at a limit — no day can be given (an own cap of 0).
    available = usage.available_from or (None if limited else today)
    return {
        "limited": limited,
        "code": usage.limit_code,
        "available_from": available,
        "slots_left": usage.slots_left,
    }


def live_verdict(check: Availability) -> dict:
    """The check's verdict on the count limits the job stores (rest it stores as the day)."""
    counted = [hit.code for hit in check.hits if hit.code in COUNT_LIMITS]
    return {
        "limited": bool(counted),
        "code": counted[0] if counted else "",
        "available_from": check.available_from,
        "slots_left": check.slots_left,
    }


def random_today(pick: random.Random) -> date:
    """A day of 2026, often one at the edge of a quarter (own caps count by calendar quarter)."""
    edges = [date(2026, month, 1) + timedelta(days=shift) for month in (1, 4, 7, 10) for shift in (-1, 0)]
    return (
        pick.choice(edges) if pick.random() < 0.4 else date(2026, 1, 1) + timedelta(days=pick.randrange(365))
    )


@pytest.mark.parametrize("seed", range(SEEDS))
def test_the_job_and_the_check_agree_on_every_contact(seed, policy, account_owner, sales_rep, monkeypatch):
    pick = random.Random(seed)
    today = random_today(pick)
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)  # approved requests count from today
    contacts = random_program(pick, account_owner, sales_rep, today)

    usage_recompute(today=today)

    call = factories.activity_type("reference_call")
    stored = ContactUsage.objects.in_bulk([c.pk for c in contacts])
    disagreements = []
    for contact in Contact.objects.filter(pk__in=[c.pk for c in contacts]).select_related("account"):
        job = stored_verdict(stored.get(contact.pk), contact, today)
        live = live_verdict(limit_check(contact=contact, activity_type=call, on_date=today))
        if job != live:
            disagreements.append((contact.pk, job, live))
    assert disagreements == []
