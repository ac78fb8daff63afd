"""Reads of the catalogue for the managers' account and contact screens: one loaded queryset each.

Counts and "latest" values are correlated subqueries, so a page of 50 rows costs one query for the
rows however large the catalogue is. Every selector starts from the `visible_to(user)` querysets
(`references.visibility`), as the admin's changelists do, so neither shows more than the other.
"""

from datetime import date, timedelta

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from core.expressions import count_of
from references.models import Account, AccountNote, BlackoutPeriod, Contact, ReferenceActivity, StatusChange
from references.visibility import sees_contact_details

# "Recent activities" on the lists and detail pages: those of the last this many days.
RECENT_DAYS = 90
HISTORY_ROWS = 25


def recent_since() -> date:
    return timezone.localdate() - timedelta(days=RECENT_DAYS)


def account_rows(*, user, q: str = "", status: str = "", industry=None, region=None) -> QuerySet[Account]:
    accounts = (
        Account.objects.visible_to(user)
        .select_related("industry", "country__region", "owner")
        .annotate(
            contact_count=count_of(Contact, "account"),
            recent_activities=count_of(ReferenceActivity, "account", occurred_on__gte=recent_since()),
        )
    )
    if q:
        accounts = accounts.filter(name__icontains=q)
    if status:
        accounts = accounts.filter(status=status)
    if industry:
        accounts = accounts.filter(industry=industry)
    if region:
        accounts = accounts.filter(country__region=region)
    return accounts.order_by("name", "id")


def contact_rows(*, user, q: str = "", status: str = "", industry=None, region=None) -> QuerySet[Contact]:
    last = (
        ReferenceActivity.objects.filter(contact=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")
    )
    contacts = (
        Contact.objects.visible_to(user)
        .select_related("account__country__region", "persona", "preferences")
        .annotate(
            recent_activities=count_of(ReferenceActivity, "contact", occurred_on__gte=recent_since()),
            last_activity=Subquery(last[:1]),
        )
    )
    if q:
        by_email = Q(email__iexact=q) if sees_contact_details(user) else Q()
        contacts = contacts.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | by_email)
    if status:
        contacts = contacts.filter(status=status)
    if industry:
        contacts = contacts.filter(account__industry=industry)
    if region:
        contacts = contacts.filter(account__country__region=region)
    return contacts.order_by("last_name", "first_name", "id")


def account_detail(*, user, pk: int) -> Account | None:
    activities = (
        ReferenceActivity.objects.visible_to(user)
        .select_related("contact", "activity_type")
        .prefetch_related("opportunities")
    )
    return (
        Account.objects.visible_to(user)
        .select_related("industry", "country__region", "size_band", "owner")
        .prefetch_related(
            "products",
            "use_cases",
            "competitors_displaced",
            "stewards",
            Prefetch(
                "contacts", queryset=Contact.objects.visible_to(user).select_related("persona", "preferences")
            ),
            Prefetch("notes", queryset=AccountNote.objects.visible_to(user).select_related("author")),
            Prefetch("status_changes", queryset=_history(user)),
            Prefetch("activities", queryset=activities[:HISTORY_ROWS], to_attr="latest_activities"),
        )
        .annotate(recent_activities=count_of(ReferenceActivity, "account", occurred_on__gte=recent_since()))
        .filter(pk=pk)
        .first()
    )


def contact_detail(*, user, pk: int) -> Contact | None:
    activities = (
        ReferenceActivity.objects.visible_to(user)
        .select_related("activity_type")
        .prefetch_related("opportunities")
    )
    return (
        Contact.objects.visible_to(user)
        .select_related("account__owner", "account__country", "persona", "preferences")
        .prefetch_related(
            "preferences__activity_types",
            Prefetch("blackouts", queryset=BlackoutPeriod.objects.visible_to(user)),
            Prefetch("status_changes", queryset=_history(user)),
            Prefetch("activities", queryset=activities[:HISTORY_ROWS], to_attr="latest_activities"),
        )
        .annotate(
            recent_activities=count_of(ReferenceActivity, "contact", occurred_on__gte=recent_since()),
            last_activity=Max("activities__occurred_on"),
        )
        .filter(pk=pk)
        .first()
    )


def _history(user) -> QuerySet[StatusChange]:
    return StatusChange.objects.visible_to(user).select_related("changed_by")
