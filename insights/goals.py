"""The program's goals per quarter and team: how far each has come, and setting or removing one.

Progress reads the headline measures (`insights.measures`) over the quarter's dates and the goal's
team (`Segment(team=…)`; a goal without a team is the whole program's), so a goal, the revenue
page and the digest agree on what "influenced revenue" or "requests fulfilled" means.

Cost: one query for the quarter's goals, then one aggregate query per goal. A quarter holds at
most one goal per (team, metric) (the model's unique constraints), so that is one query per
distinct (team, metric) and never grows with the rows measured; a quarter has a handful of goals
(three metrics × the program and a few teams).

Managers set and delete goals; executives read them (`insights/` pages check the same roles).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import InvalidInput, NotAllowed
from core.roles import Role, has_role
from insights.measures import influenced_revenue, new_references, requests_fulfilled
from insights.models import GoalMetric, ProgramGoal, Team
from insights.segments import Segment

YEARS_AROUND_TODAY = 5  # goals may be set this many years back or ahead, no further
# The largest sane targets: no program fulfils a million requests or recruits a million references
# in a quarter, nor influences a trillion dollars; beyond these a target is a typing mistake.
MAX_COUNT_TARGET = Decimal(1_000_000)
MAX_REVENUE_TARGET = Decimal(10**12)


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: `2026-Q4` in links, "Q4 2026" on pages."""

    year: int
    number: int  # 1–4

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> "Quarter":
        return cls.of(timezone.localdate())

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def segment(self, team: int | None = None) -> Segment:
        return Segment(self.start, self.end, team=team)

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    def __str__(self) -> str:
        return f"Q{self.number} {self.year}"


def years_allowed(today: date | None = None) -> range:
    """The years a goal may be set for: within five years of today, either way."""
    year = (today or timezone.localdate()).year
    return range(year - YEARS_AROUND_TODAY, year + YEARS_AROUND_TODAY + 1)


# --- Progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalProgress:
    goal: ProgramGoal
    segment: Segment  # the quarter and the team the value was measured over
    value: Decimal

    @property
    def share(self) -> Decimal | None:
        """The value as a percentage of the target (None for a target of zero)."""
        if not self.goal.target:
            return None
        return self.value * 100 / self.goal.target

    @property
    def reached(self) -> bool:
        return self.value >= self.goal.target


def measure(metric: str, segment: Segment) -> Decimal:
    """A goal metric's value over the segment: one aggregate query."""
    if metric == GoalMetric.REQUESTS_FULFILLED:
        return Decimal(requests_fulfilled(segment))
    if metric == GoalMetric.INFLUENCED_REVENUE:
        return influenced_revenue(segment)["usd"]
    if metric == GoalMetric.NEW_REFERENCES:
        return Decimal(new_references(segment))
    raise ValueError(f"Unknown goal metric {metric!r}")


def goals_of(quarter: Quarter):
    """The quarter's goals: the program's first, then by team name and metric."""
    return (
        ProgramGoal.objects.filter(year=quarter.year, quarter=quarter.number)
        .select_related("team")
        .order_by(F("team__name").asc(nulls_first=True), "metric", "pk")
    )


def goal_progress(quarter: Quarter) -> list[GoalProgress]:
    """Each goal of the quarter with its value so far (see the module docstring for the cost)."""
    values: dict[tuple[int | None, str], Decimal] = {}
    progress = []
    for goal in goals_of(quarter):
        segment = quarter.segment(goal.team_id)
        key = (goal.team_id, goal.metric)
        if key not in values:
            values[key] = measure(goal.metric, segment)
        progress.append(GoalProgress(goal=goal, segment=segment, value=values[key]))
    return progress


# --- Setting and deleting -------------------------------------------------------------------


def _check_may_set(actor) -> None:
    # Superusers hold every role; executives read the goals but do not set them.
    if not has_role(actor, Role.MANAGER):
        raise NotAllowed("Only reference managers set the program's goals.")


def _validated_target(metric: str, target: Decimal) -> Decimal:
    if metric not in GoalMetric.values:
        raise InvalidInput("Choose a measure from the list.", field="metric")
    if not target.is_finite() or target < 0:
        raise InvalidInput("A target is zero or more.", field="target")
    if metric == GoalMetric.INFLUENCED_REVENUE:
        if target > MAX_REVENUE_TARGET:
            raise InvalidInput(f"A revenue target is at most ${MAX_REVENUE_TARGET:,}.", field="target")
        return target.quantize(Decimal("0.01"))
    if target != target.to_integral_value():
        raise InvalidInput("This target is a count: a whole number.", field="target")
    if target > MAX_COUNT_TARGET:
        raise InvalidInput(f"A count target is at most {MAX_COUNT_TARGET:,}.", field="target")
    return target


def goal_checked_target(*, year: int, quarter: int, metric: str, target: Decimal) -> Decimal:
    """The target as kept (revenue to the cent), or InvalidInput naming the field that is wrong:
    a quarter outside 1–4, a year more than five years from today, an unknown measure, a negative
    or absurd target, a count that is not whole. The admin's goal form asks it too."""
    if quarter not in (1, 2, 3, 4):
        raise InvalidInput("A quarter is 1, 2, 3 or 4.", field="quarter")
    allowed = years_allowed()
    if year not in allowed:
        raise InvalidInput(f"Choose a year from {allowed[0]} to {allowed[-1]}.", field="year")
    return _validated_target(metric, target)


def goal_set(
    *, actor, year: int, quarter: int, metric: str, target: Decimal, team: Team | None = None
) -> ProgramGoal:
    """Set the target of a quarter's goal for the program (no team) or a team: the goal is made,
    or its target changed when it already exists (never a second goal for the same thing)."""
    _check_may_set(actor)
    target = goal_checked_target(year=year, quarter=quarter, metric=metric, target=target)
    with transaction.atomic():
        if team is not None and not Team.objects.select_for_update().filter(pk=team.pk).exists():
            raise InvalidInput("That team no longer exists.", field="team")
        key = {"year": year, "quarter": quarter, "team": team, "metric": metric}
        try:
            with transaction.atomic():  # a savepoint: two managers may add the same goal at once
                goal, _ = ProgramGoal.objects.update_or_create(
                    **key, defaults={"target": target, "set_by": actor}
                )
        except IntegrityError:
            goal = ProgramGoal.objects.select_for_update().get(**key)
            goal.target, goal.set_by = target, actor
            goal.save(update_fields=["target", "set_by", "updated_at"])
    return goal


def goal_delete(*, actor, goal: ProgramGoal) -> None:
    """Remove a goal (its progress was only ever computed, so nothing else goes with it)."""
    _check_may_set(actor)
    with transaction.atomic():
        ProgramGoal.objects.filter(pk=goal.pk).delete()
