"""The live check's one statement (limits.live_reads) reads what a plain ORM reading reads: on
random programs, every answer — for many contacts by id (the screens), for a page of loaded
contacts (`evaluate_many`) and for one contact with their account (the approval's check) — is the
same as when the facts are read the straightforward way, a query each, kept here as the reference.

The programs are test_rules_agree's, with what the job does not judge added: blackouts, rules for
one activity type, account health and renewals, resting contacts, and a request left out.
"""

import random
from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from limits.live_check import _facts, _judge, evaluate, evaluate_ids, evaluate_many
from limits.live_reads import Blackout, Reads, Use
from limits.models import LimitPolicy, LimitRule
from limits.rules import Windows, occurrence, rest_periods
from limits.selectors import ANY_COUNTED_ACTIVITY, availability_for
from references.models import (
    Account,
    ActivityType,
    BlackoutPeriod,
    Contact,
    ParticipationPreferences,
    ReferenceActivity,
)
from references.statuses import ReferenceStatus
from requests_app.models import ReferenceRequest
from requests_app.statuses import COMMITTED_STATUSES
from tests.limits.test_rules_agree import random_program, random_today

pytestmark = pytest.mark.django_db

SEEDS = 30


# --- The reference: each fact read by the ORM, as the live check read them before ---------------


def reference_reads(people, activity_type, on_date, exclude_request_id) -> Reads:
    policy = LimitPolicy.current()
    contact_ids, account_ids = [c.pk for c, _a in people], {a.pk for _c, a in people}
    of_type = Q(activity_type__isnull=True)
    if activity_type.pk is not None:
        of_type |= Q(activity_type_id=activity_type.pk)
    scope = Q(contact_id__in=contact_ids) | Q(account_id__in=account_ids)
    scope |= Q(contact__isnull=True, account__isnull=True)
    rules = list(LimitRule.objects.filter(scope).filter(of_type).select_related("activity_type"))
    longest = [
        max((rest.days for rest in rest_periods(policy, applying(rules, c, a), activity_type)), default=0)
        for c, a in people
    ]
    horizon = min(Windows.on(on_date, policy, days).horizon for days in longest)
    blackouts = {}
    for b in BlackoutPeriod.objects.filter(contact__in=contact_ids, end__gte=on_date).order_by("start", "pk"):
        blackouts.setdefault(b.contact_id, []).append(Blackout(b.start, b.end, b.reason))
    own_caps = ParticipationPreferences.objects.filter(contact__in=contact_ids)
    return Reads(
        policy=policy,
        types={t.pk: (t.counts_toward_limits, t.is_one_to_many, t.name) for t in ActivityType.objects.all()},
        rules=rules,
        blackouts=blackouts,
        uses=reference_uses(account_ids, horizon, exclude_request_id),
        own_caps=dict(own_caps.values_list("contact_id", "own_cap_per_quarter")),
    )


def applying(rules, contact, account) -> list[LimitRule]:
    def applies(rule):
        if rule.contact_id is not None:
            return rule.contact_id == contact.pk
        return rule.account_id in (None, account.pk)

    return [rule for rule in rules if applies(rule)]


def reference_uses(account_ids, horizon, exclude_request_id) -> dict[int, list[Use]]:
    uses = {}
    held = ReferenceActivity.objects.filter(account_id__in=account_ids, occurred_on__gte=horizon)
    for a in held.select_related("activity_type").order_by("pk"):  # an occurrence's first row
        kind, day = a.activity_type, a.occurred_on
        key = occurrence(a.pk, a.contact_id, kind.pk, day, kind.is_one_to_many)
        uses.setdefault(key, Use(a.account_id, a.contact_id, kind.pk, day, kind.counts_toward_limits, True))
    approved = ReferenceRequest.objects.filter(
        chosen_contact__account_id__in=account_ids, status__in=COMMITTED_STATUSES
    ).exclude(pk=exclude_request_id)
    today = timezone.localdate()
    for r in approved.select_related("chosen_contact", "activity_type"):
        counts = r.activity_type.counts_toward_limits
        contact = r.chosen_contact
        uses[("request", r.pk)] = Use(
            contact.account_id, contact.pk, r.activity_type_id, today, counts, False
        )
    by_account = {pk: [] for pk in account_ids}
    for use in uses.values():
        by_account[use.account_id].append(use)
    return by_account


def reference_answers(contacts, activity_type, on_date, exclude_request_id):
    people = [(c, c.account) for c in contacts]
    reads = reference_reads(people, activity_type, on_date, exclude_request_id)
    facts = _facts(people, activity_type, reads)
    return {pk: _judge(each, on_date) for pk, each in facts.items()}


# --- Random programs, with what only the live check reads --------------------------------------


def random_extras(pick: random.Random, contacts: list[Contact], today: date) -> int | None:
    """Blackouts, rules for one type, account health, resting contacts; returns a request to
    leave out (an approval re-checking its own request), or None."""
    for account in Account.objects.filter(contacts__in=contacts).distinct():
        account.at_risk = pick.random() < 0.15
        account.open_escalations = pick.choice([0, 0, 0, 0, 1])
        account.renewal_date = pick.choice([None, today + timedelta(days=pick.randint(-10, 60))])
        account.save()
    types = list(ActivityType.objects.order_by("pk"))
    for contact in contacts:
        if pick.random() < 0.15:
            Contact.objects.filter(pk=contact.pk).update(status=ReferenceStatus.RESTING)
        for _ in range(pick.choice([0, 0, 0, 1, 2])):
            start = today + timedelta(days=pick.randint(-30, 30))
            BlackoutPeriod.objects.create(
                contact=contact,
                start=start,
                end=start + timedelta(days=pick.randint(0, 20)),
                reason=pick.choice(["", "Leave"]),
            )
    for _ in range(pick.randint(0, 3)):
        scope = pick.choice(
            [{"contact": pick.choice(contacts)}, {"account_id": pick.choice(contacts).account_id}, {}]
        )
        LimitRule.objects.create(
            activity_type=pick.choice(types),
            contact_max=pick.choice([None, 1, 2]),
            account_max=None if "contact" in scope else pick.choice([None, 1, 3]),
            rest_days=pick.choice([5, 30, 200]),
            reason=pick.choice(["", "Too many calls"]),
            **scope,
        )
    committed = list(
        ReferenceRequest.objects.filter(status__in=COMMITTED_STATUSES).values_list("pk", flat=True)
    )
    return pick.choice(committed) if committed and pick.random() < 0.5 else None


@pytest.mark.parametrize("seed", range(SEEDS))
def test_the_one_statement_reads_what_the_orm_reads(seed, policy, account_owner, sales_rep, monkeypatch):
    pick = random.Random(1000 + seed)
    today = random_today(pick)
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)  # approved requests count from today
    contacts = random_program(pick, account_owner, sales_rep, today)
    excluded = random_extras(pick, contacts, today)
    loaded = list(
        Contact.objects.filter(pk__in=[c.pk for c in contacts]).select_related("account", "preferences")
    )
    ids = [c.pk for c in loaded]

    for activity_type in [ANY_COUNTED_ACTIVITY, *pick.sample(list(ActivityType.objects.all()), 3)]:
        on_date = today + timedelta(days=pick.choice([0, 0, -10, 5, 40]))
        expected = reference_answers(loaded, activity_type, on_date, excluded)
        asked = activity_type.pk if activity_type.pk and pick.random() < 0.5 else activity_type
        by_id = evaluate_ids(ids, asked, on_date, excluded)

        assert {pk: answer for pk, (_contact, answer) in by_id.items()} == expected
        assert evaluate_many(loaded, activity_type, on_date, excluded) == expected
        for contact in loaded:  # the approval's check, one contact at a time
            answer = evaluate(contact, contact.account, activity_type, on_date, excluded)
            assert answer == expected[contact.pk]
            read = by_id[contact.pk][0]
            assert (read.full_name, read.status) == (contact.full_name, contact.status)


def test_an_activity_type_asked_about_by_an_id_that_is_gone_is_refused(contact):
    with pytest.raises(ActivityType.DoesNotExist):
        availability_for([contact.pk], activity_type=ActivityType.objects.order_by("-pk").first().pk + 1)
