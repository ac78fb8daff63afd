"""The contacts behind the utilization figures (and the goals' "new references"): the rows the
drill-down list `insights:contacts?which=…` shows, each as the figure counts them.

Every list comes back with the same columns — the contact's account, their activities in the
range and their usage state now — ordered by activities in the range (most first), then by name.
"""

from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from core.roles import Role, has_role
from insights import supply, utilization
from insights.measures import recruited_contacts
from insights.segments import Segment
from insights.usage_counts import HISTOGRAM_TOP
from limits.models import UsageState
from references.models import Contact


class Which(models.TextChoices):
    ACTIVE = "active", "Active references: did an activity in the range"
    TOP = "top", "The top 10% of the pool by activities in the range"
    TOP_FIVE = "top_five", "The top 5 references by activities in the range"
    AT_LIMIT = "at_limit", "References at a limit (now)"
    NEAR_LIMIT = "near_limit", "References near a limit (now)"
    RESTING = "resting", "Resting (now)"
    PROMOTERS = "promoters", "Promoters never asked"
    UNTHANKED = "unthanked", "Asked 3+ times in the range, nothing given back"
    RECRUITED = "recruited", "New references: candidate to active in the range"
    FREE = "free", "References free now: active, offerable, with a slot left"


def _members(segment: Segment, which: str, activities: int | None) -> QuerySet[Contact]:
    """The contacts `which` names (any columns; only their ids are read)."""
    if which == Which.ACTIVE:
        done = utilization.range_activities(segment).values("contact")
        if activities is not None:  # one bar of the histogram: exactly n, or n or more for the last
            counted = done.annotate(n=Count("*"))
            top = activities >= HISTOGRAM_TOP
            done = counted.filter(n__gte=activities) if top else counted.filter(n=activities)
            done = done.values("contact")
        return Contact.objects.filter(pk__in=done)
    if which == Which.TOP:
        size = utilization.top_share_size(utilization.activity_spread(segment).pool)
        return Contact.objects.filter(pk__in=utilization.top_contact_ids(segment, size))
    if which == Which.TOP_FIVE:
        return Contact.objects.filter(pk__in=utilization.top_contact_ids(segment, utilization.TOP_REFERENCES))
    if which in (Which.AT_LIMIT, Which.NEAR_LIMIT):
        state = UsageState.LIMITED if which == Which.AT_LIMIT else UsageState.NEAR
        return utilization.references_now(segment).filter(usage__state=state)
    if which == Which.RESTING:
        return utilization.resting_now(segment)
    if which == Which.PROMOTERS:
        return utilization.promoters_never_asked(segment)
    if which == Which.UNTHANKED:
        return utilization.unthanked(segment)
    if which == Which.FREE:  # the supply page's references (its window does not matter: now)
        return supply.free_references(segment)
    return recruited_contacts(segment)


def _activities_in_range(segment: Segment) -> Coalesce:
    counted = (
        utilization.range_activities(segment)
        .filter(contact=OuterRef("pk"))
        .values("contact")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _usage_label() -> Case:
    """The usage state as people read it (no stored usage: available)."""
    return Case(
        *(When(usage__state=value, then=Value(label)) for value, label in UsageState.choices),
        default=Value(UsageState.AVAILABLE.label),
    )


def readable_by(user) -> QuerySet[Contact]:
    """The contacts an insights reader may see listed behind a figure: every one for reference
    managers, executives and administrators (names, accounts and statuses only: the page shows no
    email or phone), nobody for anyone else. Not `Contact.objects.visible_to`: an executive sees
    no catalogue, yet reads the program's figures and the rows they count."""
    if has_role(user, Role.MANAGER) or has_role(user, Role.EXECUTIVE):
        return Contact.objects.all()
    return Contact.objects.none()


def contacts_behind(user, segment: Segment, which: str, activities: int | None = None) -> QuerySet[Contact]:
    """The contacts `which` names for `segment`, as `user` may see them, with `account`,
    `activities_in_range` and `usage_label`. One query per page (plus the count); `top` reads the
    pool's size first."""
    members = _members(segment, which, activities).values("pk")
    return (
        readable_by(user)
        .filter(pk__in=members)
        .select_related("account")
        .only("id", "first_name", "last_name", "status", "account__id", "account__name")
        .annotate(activities_in_range=_activities_in_range(segment), usage_label=_usage_label())
        .order_by("-activities_in_range", "last_name", "first_name", "id")
    )
