"""What bench/insights.py measures on: the activities at full size, a team, and the filter rows.

- `top_up_activities(target)`: the demo makes about ten activities per account; this adds
  activities with one plain `INSERT … SELECT` until the table holds `target` rows (nothing when it
  already does, so running it twice is harmless). Each added activity copies a random existing
  one's contact, account and type onto a day spread over the last two years and serves one
  random deal (most demo activities serve a deal, so the deal-side figures grow with them). Then
  ANALYZE, so the planner knows the new sizes.
- `top_up_requests(target)`: the demo drives only a few dozen requests through the services; this
  adds historical requests set-based until the table holds `target` rows (nothing when it already
  does): over the last two years, mostly closed, some declined, expired, cancelled and a few open
  at every step, each with the history rows and workflow tasks the fulfilment figures read
  (bench/insights_requests.py says how). Then ANALYZE.
- `bench_team()`: the team the "team" rows filter by — the team with most members, or, on a
  demo without teams, "Bench sellers" (every other sales rep) made once.
- `filter_rows()`: the filter combinations every section is measured with; `dataset()`: the sizes.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from bench import insights_requests
from core.roles import Role, users_with_role, users_with_roles
from core.statistics import analyze
from insights.models import Team
from references.models import Account, ActivityType, Contact, Opportunity, ReferenceActivity, Region
from requests_app.models import ReferenceRequest, RequestCandidate, RequestEvent
from workflows.models import Task

BENCH_TEAM = "Bench sellers"
HISTORY_DAYS = 730

# `missing` new activities, each a copy of a random existing activity's contact, account and type
# (the first at or above a random id) on a random day of the last two years. The random picks are
# made in the outer query, so each row gets its own and the lateral lookups stay index scans.
_INSERT_ACTIVITIES = """
INSERT INTO references_referenceactivity
    (contact_id, account_id, activity_type_id, occurred_on, duration_minutes, notes, created_at)
SELECT a.contact_id, a.account_id, a.activity_type_id, picks.day, a.duration_minutes, '', now()
FROM (
    SELECT %(today)s::date - floor(random() * %(days)s)::int AS day,
           %(low)s + floor(random() * (%(high)s - %(low)s + 1))::bigint AS pick
    FROM generate_series(1, %(missing)s)
) AS picks
JOIN LATERAL (
    SELECT contact_id, account_id, activity_type_id, duration_minutes
    FROM references_referenceactivity WHERE id >= picks.pick ORDER BY id LIMIT 1
) AS a ON true
"""
# Each new activity (id above the old maximum) serves one random existing deal.
_LINK_DEALS = """
INSERT INTO references_referenceactivity_opportunities (referenceactivity_id, opportunity_id)
SELECT picks.id, o.id
FROM (
    SELECT id, %(low)s + floor(random() * (%(high)s - %(low)s + 1))::bigint AS pick
    FROM references_referenceactivity WHERE id > %(before)s
) AS picks
JOIN LATERAL (
    SELECT id FROM references_opportunity WHERE id >= picks.pick ORDER BY id LIMIT 1
) AS o ON true
"""


def top_up_activities(target: int) -> int:
    """Add activities (each serving one deal) until there are `target`; returns how many were added."""
    present = ReferenceActivity.objects.count()
    missing = target - present
    if missing <= 0:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM references_referenceactivity")
        low, high = cursor.fetchone()
        picks = {"today": timezone.localdate(), "days": HISTORY_DAYS, "missing": missing}
        cursor.execute(_INSERT_ACTIVITIES, picks | {"low": low, "high": high})
        cursor.execute("SELECT min(id), max(id) FROM references_opportunity")
        deal_low, deal_high = cursor.fetchone()
        cursor.execute(_LINK_DEALS, {"low": deal_low, "high": deal_high, "before": high})
    analyze(ReferenceActivity, ReferenceActivity.opportunities.through)
    return missing


def _ids(users) -> list[int]:
    return list(users.order_by("pk").values_list("pk", flat=True).distinct())


def top_up_requests(target: int) -> int:
    """Add historical requests (with their history, tasks and first candidate) until there are
    `target`; returns how many were added."""
    missing = target - ReferenceRequest.objects.count()
    if missing <= 0:
        return 0
    sales = _ids(users_with_role(Role.SALES))
    types = []
    for activity_type in ActivityType.objects.filter(is_active=True, workflow__is_active=True).order_by("id"):
        types += [activity_type.pk] * insights_requests.TYPE_WEIGHTS.get(activity_type.code, 1)
    if not (sales and types and Opportunity.objects.exists() and Contact.objects.exists()):
        raise ValueError("Requests need sales reps, deals, contacts and activity types with a workflow.")
    table = ReferenceRequest._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        insights_requests.write(
            cursor,
            missing,
            sales=sales,
            campaigners=_ids(users_with_roles(Role.MARKETING, Role.MANAGER)),
            managers=_ids(users_with_role(Role.MANAGER)),
            types=types,
            deals=_bounds(cursor, Opportunity),
            contacts=_bounds(cursor, Contact),
            sequence=sequence,
        )
    analyze(ReferenceRequest, RequestEvent, RequestCandidate, Task)
    return missing


def _bounds(cursor, model) -> tuple[int, int]:
    cursor.execute(f"SELECT min(id), max(id) FROM {model._meta.db_table}")
    return cursor.fetchone()


def bench_team() -> Team:
    """The team with most members, or the bench's own (every other sales rep, made once)."""
    team = Team.objects.annotate(size=Count("members")).filter(size__gt=0).order_by("-size", "id").first()
    if team is not None:
        return team
    with transaction.atomic():
        team, _ = Team.objects.get_or_create(name=BENCH_TEAM)
        reps = list(users_with_role(Role.SALES).order_by("id").values_list("id", flat=True))
        team.members.set(reps[::2])
    return team


@dataclass(frozen=True)
class FilterRow:
    name: str
    params: dict
    note: str

    @property
    def query(self) -> str:
        return urlencode(self.params)


def _most_used(values, field: str) -> int:
    """The value of `field` on most rows of `values` (a queryset)."""
    return values.values(field).annotate(n=Count("pk")).order_by("-n", field).values_list(field, flat=True)[0]


def filter_rows(today: date) -> list[FilterRow]:
    """The filter combinations: none (the last twelve months), an industry, a region + product, an
    activity type, a team, the longest range the form takes (five years) and one month. The
    industry, product and activity type are the most common ones (the heaviest filter of each)."""
    industry = _most_used(Opportunity.objects.all(), "industry")
    product = _most_used(Opportunity.products.through.objects.all(), "product")
    activity_type = _most_used(ReferenceActivity.objects.all(), "activity_type")
    region = Region.objects.get(code="EMEA")
    team = bench_team()
    month_end = today.replace(day=1) - timedelta(days=1)
    five_years = today.replace(year=today.year - 5) + timedelta(days=1)
    return [
        FilterRow("none", {}, "no filter: the last twelve months"),
        FilterRow("industry", {"industry": industry}, "the most common deal industry"),
        FilterRow(
            "region_product",
            {"region": region.pk, "product": product},
            "EMEA + the most common deal product",
        ),
        FilterRow("activity_type", {"activity_type": activity_type}, "the most common activity type"),
        FilterRow("team", {"team": team.pk}, f"team “{team.name}” ({team.members.count()} members)"),
        FilterRow(
            "five_years",
            {"start": five_years.isoformat(), "end": today.isoformat()},
            "the longest range the form takes",
        ),
        FilterRow(
            "one_month",
            {"start": month_end.replace(day=1).isoformat(), "end": month_end.isoformat()},
            "last calendar month",
        ),
    ]


def dataset() -> dict:
    """The sizes the report's dataset section gives."""
    return {
        "accounts": Account.objects.count(),
        "activities": ReferenceActivity.objects.count(),
        "activity_deal_links": ReferenceActivity.opportunities.through.objects.count(),
        "deals": Opportunity.objects.count(),
        "requests": ReferenceRequest.objects.count(),
        "request_events": RequestEvent.objects.count(),
        "request_tasks": Task.objects.filter(request__isnull=False).count(),
    }


def manager_user():
    """The demo reference manager (`manager`), whom the pages are measured for."""
    return get_user_model().objects.get(username="manager")
