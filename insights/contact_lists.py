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


def _members(segment: Segment, which: str, activities: int | None) -> QuerySet:
    """The contacts `which` names: a queryset of their ids (one column), or of contacts (any
    columns; only their ids are read)."""
    if which == Which.ACTIVE:
        # The activities' own contact ids, not contacts filtered by them: one join fewer over
        # the 170,000 who did one in a year at 100,000 accounts.
        if activities is None:
            return utilization.range_activities(segment).values("contact")
        return _counted(segment, activities).values("contact")
    if which == Which.TOP:
        # The pool counted alone (0.12 s at 100,000 accounts), not with every utilization figure.
        size = utilization.top_share_size(utilization.program_pool(segment).count())
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


def _counted(segment: Segment, activities: int | None) -> QuerySet:
    """(contact, n): the range's activities counted per contact; with `activities`, one bar of
    the histogram: exactly n, or n or more for the last."""
    counted = utilization.range_activities(segment).values("contact").annotate(n=Count("*"))
    if activities is None:
        return counted
    return counted.filter(n__gte=activities) if activities >= HISTOGRAM_TOP else counted.filter(n=activities)


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
    return Contact.objects.all() if _reads_insights(user) else Contact.objects.none()


def _reads_insights(user) -> bool:
    return has_role(user, Role.MANAGER) or has_role(user, Role.EXECUTIVE)


def contacts_behind(user, segment: Segment, which: str, activities: int | None = None) -> QuerySet[Contact]:
    """The contacts `which` names for `segment`, as `user` may see them, with `account`,
    `activities_in_range` and `usage_label`. One query per page (plus the count); `top` reads the
    pool's size first."""
    members = _members(segment, which, activities)
    if members.model is Contact:
        members = members.values("pk")
    return (
        readable_by(user)
        .filter(pk__in=members)
        .select_related("account")
        .only("id", "first_name", "last_name", "status", "account__id", "account__name")
        .annotate(activities_in_range=_activities_in_range(segment), usage_label=_usage_label())
        .order_by("-activities_in_range", "last_name", "first_name", "id")
    )


def active_ranked(user, segment: Segment, activities: int | None = None) -> QuerySet:
    """The active references (`Which.ACTIVE`, or one bar of the histogram) as rows (contact, n),
    in `contacts_behind`'s order: most activities first, then by name. Counted once per contact
    from the range's activities merge-joined to the contacts' names, where `contacts_behind`
    counts each contact in a subquery to sort by it (1 s for the 170,000 contacts active in a
    year at 100,000 accounts; this, 0.35 s). `contacts_on` turns a page of it into contacts."""
    counted = _counted(segment, activities)
    if not _reads_insights(user):
        counted = counted.none()
    return counted.order_by("-n", "contact__last_name", "contact__first_name", "contact")


def contacts_on(rows) -> list[Contact]:
    """A page of `active_ranked` rows as contacts with `account`, `activities_in_range` and
    `usage_label`, in the page's order (one query)."""
    counts = {row["contact"]: row["n"] for row in rows}
    found = (
        Contact.objects.filter(pk__in=list(counts))
        .select_related("account")
        .only("id", "first_name", "last_name", "status", "account__id", "account__name")
        .annotate(usage_label=_usage_label())
    )
    by_id = {contact.pk: contact for contact in found}
    for pk, activities in counts.items():
        by_id[pk].activities_in_range = activities
    return [by_id[pk] for pk in counts]
