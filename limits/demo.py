"""Demo data for burnout limits: some contacts resting at a limit, some near one, own caps,
blackout dates and stricter rules — then one run of the periodic job, as beat would run it.

Runs after the catalogue's and the workflows' seeders. The chosen contacts are active contacts
at healthy accounts of the demo reps `sales` and `sales2` with nothing in the window yet, so the
activities added here decide exactly where each one stands. The job's run moves the contacts at a
limit to resting (with their StatusChange rows), fills the usage table and tells the managers
and the account owners (notifications.demo then settles those notifications into the past).
"""

from datetime import date, timedelta

from core.demo_pipeline import DemoContext
from limits.models import LimitPolicy, LimitRule
from limits.usage import usage_recompute
from references.models import (
    Account,
    ActivityType,
    BlackoutPeriod,
    Contact,
    ParticipationPreferences,
    ReferenceActivity,
)
from references.statuses import ReferenceStatus

AT_LIMIT_PER_REP = 3  # four activities in the window: resting until the oldest leaves it
NEAR_PER_REP = 3  # three activities: one slot left
OWN_CAPS_PER_REP = 3
BLACKOUTS_PER_REP = 3
# Days ago of the activities that fill a contact's window, far enough apart to respect the rest.
FULL = (75, 56, 37, 18)
NEAR = (66, 44, 22)


def _fresh_contacts(owner, today: date, count: int) -> list[Contact]:
    """Active contacts, one per account, at healthy accounts of `owner` without recent activity."""
    window_start = today - timedelta(days=LimitPolicy.current().window_days)
    busy_accounts = ReferenceActivity.objects.filter(occurred_on__gt=window_start).values("account_id")
    contacts = (
        Contact.objects.offerable()
        .filter(status=ReferenceStatus.ACTIVE, account__status=ReferenceStatus.ACTIVE)
        .filter(account__owner=owner, account__open_escalations=0)
        .filter(
            preferences__activity_types__code="reference_call", preferences__own_cap_per_quarter__isnull=True
        )
        # they agreed to take part before the first of the activities added here
        .filter(preferences__consent_given_at__date__lt=today - timedelta(days=max(FULL)))
        .exclude(account__in=busy_accounts)
        .exclude(account__renewal_date__range=(today, today + timedelta(days=60)))
        .select_related("account")
        .order_by("account_id", "pk")
    )
    chosen, accounts = [], set()
    for contact in contacts[: count * 20]:
        if contact.account_id not in accounts:
            accounts.add(contact.account_id)
            chosen.append(contact)
        if len(chosen) == count:
            break
    return chosen


def _activities(
    contacts: list[Contact], days_ago: tuple[int, ...], today: date, call: ActivityType, rep
) -> int:
    rows = [
        ReferenceActivity(
            contact=contact,
            account_id=contact.account_id,
            activity_type=call,
            occurred_on=today - timedelta(days=days),
            duration_minutes=45,
            notes="Reference call with a prospect's evaluation team.",
            recorded_by=rep,
        )
        for contact in contacts
        for days in days_ago
    ]
    ReferenceActivity.objects.bulk_create(rows)
    return len(rows)


def _preferences(ctx: DemoContext, contacts: list[Contact], today: date) -> None:
    capped, blacked_out = contacts[:OWN_CAPS_PER_REP], contacts[OWN_CAPS_PER_REP:]
    ParticipationPreferences.objects.filter(contact__in=capped).update(
        own_cap_per_quarter=ctx.rng.choice([1, 2])
    )
    reasons = ["Quarter close", "Parental leave", "Company offsite", "Product launch"]
    BlackoutPeriod.objects.bulk_create(
        BlackoutPeriod(
            contact=contact,
            start=today + timedelta(days=start),
            end=today + timedelta(days=start + ctx.rng.randint(7, 30)),
            reason=ctx.rng.choice(reasons),
        )
        for contact, start in zip(blacked_out, (-3, 10, 40), strict=False)
    )


def _rules(account: Account | None) -> None:
    press = ActivityType.objects.filter(code="press_interview").first()
    if press is not None:
        LimitRule.objects.get_or_create(
            activity_type=press,
            account=None,
            contact=None,
            defaults={"contact_max": 1, "reason": "At most one press interview per contact per window"},
        )
    if account is not None:
        LimitRule.objects.create(
            account=account,
            account_max=3,
            rest_days=30,
            reason="Strategic account: their CEO asked us to go easy",
        )


def seed(ctx: DemoContext) -> None:
    """See the module docstring."""
    call = ActivityType.objects.filter(code="reference_call").first()
    reps = [ctx.users[name] for name in ("sales", "sales2") if name in ctx.users]
    if call is None or not reps:
        return
    today = ctx.today
    added, strict_account = 0, None
    for rep in reps:
        per_rep = AT_LIMIT_PER_REP + NEAR_PER_REP + OWN_CAPS_PER_REP + BLACKOUTS_PER_REP + 1
        contacts = _fresh_contacts(rep, today, per_rep)
        full, rest = contacts[:AT_LIMIT_PER_REP], contacts[AT_LIMIT_PER_REP:]
        near, rest = rest[:NEAR_PER_REP], rest[NEAR_PER_REP:]
        added += _activities(full, FULL, today, call, rep) + _activities(near, NEAR, today, call, rep)
        _preferences(ctx, rest[:-1], today)
        strict_account = strict_account or (rest[-1].account if rest else None)
    _rules(strict_account)
    result = usage_recompute(today=today)
    ctx.log(
        f"  limits: {added} activities added; the job rested {result.rested} contacts, "
        f"{result.near} are near a limit, {result.rows_written} usage rows"
    )
