"""Insights' part of the demo story (the catalogue's is references/demo_story.py): the pages show
what references do for revenue, per team, against this quarter's goals.

- **Deals with and without references**: two closed deals in five lose their reference links
  (content uses still influence some of them); then influenced closed deals are won about 70% of
  the time and the others about 35%, and their sales cycles (`opened_on`) run 45–120 days against
  90–215. Set-based: one DELETE and two UPDATEs whatever the number of deals.
- **Teams**: "North America" (`sales` and half the generated reps) and "EMEA" (`sales2`, the rest).
- **Goals** for the current quarter, program-wide and per team: some set below what the quarter
  has reached so far (met), some well above it (not met).
- **The executive digest**: the demo executive and the manager receive it; last month's is sent
  (its emails count as sent: the demo mails nobody on start-up).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, DateField, F, Q, Value, When
from django.db.models.functions import Mod
from django.db.models.lookups import Exact, LessThan
from django.utils import timezone

from core.demo_pipeline import DemoContext
from insights import facts, measures
from insights.digest import EXECUTIVE_DIGEST, digest_send, last_full_month, month_key
from insights.models import DigestRecipient, GoalMetric, ProgramGoal, Team
from insights.segments import Segment
from notifications.models import Channel, Notification, Status
from references.models import DealOutcome, Opportunity, ReferenceActivity

CLOSED = (DealOutcome.WON, DealOutcome.LOST)
UNREFERENCED_EVERY = (0, 1)  # deal id mod 5 in these: its reference links are removed
WIN_PERCENT = {True: 70, False: 35}  # influenced or not
# Sales cycle in days: shortest + step × (id mod 6).
CYCLE_DAYS = {True: (45, 15), False: (90, 25)}
TEAMS = {"North America": "sales", "EMEA": "sales2"}
# Goals as a share of what the quarter reached so far: below 1 is met, above it is not.
GOAL_SHARES = {
    None: {
        GoalMetric.INFLUENCED_REVENUE: "0.8",
        GoalMetric.REQUESTS_FULFILLED: "1.5",
        GoalMetric.NEW_REFERENCES: "2",
    },
    "North America": {GoalMetric.INFLUENCED_REVENUE: "0.7", GoalMetric.REQUESTS_FULFILLED: "0.8"},
    "EMEA": {GoalMetric.INFLUENCED_REVENUE: "1.6", GoalMetric.REQUESTS_FULFILLED: "1.25"},
}


def deals_tell_the_story() -> None:
    closed = Opportunity.objects.filter(outcome__in=CLOSED)
    unreferenced = closed.annotate(turn=Mod(F("pk"), 5)).filter(turn__in=UNREFERENCED_EVERY).values("pk")
    ReferenceActivity.opportunities.through.objects.filter(opportunity_id__in=unreferenced).delete()
    influenced = facts.live_influenced(Segment(date.min, date.max))
    # One UPDATE per side (the influence test is the costly part): the outcome by a turn of the
    # id against the side's win rate, the cycle by another.
    for was_influenced, deals in ((True, closed.filter(influenced)), (False, closed.exclude(influenced))):
        shortest, step = CYCLE_DAYS[was_influenced]
        cycles = [
            When(Exact(Mod(F("pk"), 6), turn), then=F("close_date") - timedelta(days=shortest + step * turn))
            for turn in range(6)
        ]
        deals.update(
            outcome=Case(
                When(
                    LessThan(Mod(F("pk") * 37, 100), WIN_PERCENT[was_influenced]), then=Value(DealOutcome.WON)
                ),
                default=Value(DealOutcome.LOST),
            ),
            opened_on=Case(*cycles, output_field=DateField()),
        )


def seed_teams(ctx: DemoContext) -> dict[str, Team]:
    reps = list(ctx.shared.get("demo_rep_ids", []))
    teams = {}
    for index, (name, demo_user) in enumerate(TEAMS.items()):
        team = Team.objects.create(name=name)
        members = reps[index::2] + ([ctx.users[demo_user].pk] if demo_user in ctx.users else [])
        team.members.set(members)
        teams[name] = team
    return teams


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _reached(metric: str, segment: Segment) -> Decimal:
    if metric == GoalMetric.INFLUENCED_REVENUE:
        return Decimal(measures.influenced_revenue(segment)["usd"])
    if metric == GoalMetric.REQUESTS_FULFILLED:
        return Decimal(measures.requests_fulfilled(segment))
    return Decimal(measures.new_references(segment))


def seed_goals(ctx: DemoContext, teams: dict[str, Team]) -> int:
    start = quarter_start(ctx.today)
    quarter = (start.month - 1) // 3 + 1
    goals = []
    for team_name, shares in GOAL_SHARES.items():
        team = teams.get(team_name) if team_name else None
        if team_name and team is None:
            continue
        segment = Segment(start, ctx.today, team=team.pk if team else None)
        for metric, share in shares.items():
            # At least one: something to aim at even where the quarter has reached nothing yet.
            target = max(_reached(metric, segment) * Decimal(share), Decimal(1))
            goals.append(
                ProgramGoal(
                    year=start.year,
                    quarter=quarter,
                    team=team,
                    metric=metric,
                    target=target.quantize(Decimal(1)),
                    set_by=ctx.users.get("manager"),
                )
            )
    ProgramGoal.objects.bulk_create(goals)
    return len(goals)


def seed_digest(ctx: DemoContext) -> int:
    readers = [ctx.users[name] for name in ("manager", "exec") if name in ctx.users]
    DigestRecipient.objects.bulk_create(
        [DigestRecipient(user=user, added_by=ctx.users.get("manager")) for user in readers]
    )
    sent = digest_send(month=last_full_month(ctx.today))
    Notification.objects.filter(
        key=month_key(last_full_month(ctx.today)), kind=EXECUTIVE_DIGEST.code, channel=Channel.EMAIL
    ).filter(Q(status=Status.PENDING)).update(status=Status.SENT, sent_at=ctx.now or timezone.now())
    return sent


def seed(ctx: DemoContext) -> None:
    """See the module docstring."""
    deals_tell_the_story()
    facts.refresh()  # the goals and the digest below read the story's figures
    teams = seed_teams(ctx)
    goals = seed_goals(ctx, teams)
    sent = seed_digest(ctx)
    ctx.log(f"  insights story: teams {', '.join(teams)}; {goals} goals; last month's digest to {sent}")
