"""Reads of the catalogue for the managers' account and contact screens: one loaded queryset each.

Counts and "latest" values are correlated subqueries, so a page of 50 rows costs one query for the
rows however large the catalogue is.
"""

from datetime import date, timedelta

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from core.expressions import count_of
from references.models import Account, AccountNote, Contact, ReferenceActivity, StatusChange

# "Recent activities" on the lists and detail pages: those of the last this many days.
RECENT_DAYS = 90
HISTORY_ROWS = 25


def recent_since() -> date:
    return timezone.localdate() - timedelta(days=RECENT_DAYS)


def account_rows(*, q: str = "", status: str = "", industry=None, region=None) -> QuerySet[Account]:
    accounts = Account.objects.select_related("industry", "country__region", "owner").annotate(
        contact_count=count_of(Contact, "account"),
        recent_activities=count_of(ReferenceActivity, "account", occurred_on__gte=recent_since()),
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


def contact_rows(*, q: str = "", status: str = "", industry=None, region=None) -> QuerySet[Contact]:
    last = (
        ReferenceActivity.objects.filter(contact=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")
    )
    contacts = Contact.objects.select_related("account__country__region", "persona", "preferences").annotate(
        recent_activities=count_of(ReferenceActivity, "contact", occurred_on__gte=recent_since()),
        last_activity=Subquery(last[:1]),
    )
    if q:
        contacts = contacts.filter(
            Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(email__iexact=q)
        )
    if status:
        contacts = contacts.filter(status=status)
    if industry:
        contacts = contacts.filter(account__industry=industry)
    if region:
        contacts = contacts.filter(account__country__region=region)
    return contacts.order_by("last_name", "first_name", "id")


def account_detail(pk: int) -> Account | None:
    activities = ReferenceActivity.objects.select_related("contact", "activity_type").prefetch_related(
        "opportunities"
    )
    return (
        Account.objects.select_related("industry", "country__region", "size_band", "owner")
        .prefetch_related(
            "products",
            "use_cases",
            "competitors_displaced",
            "stewards",
            Prefetch("contacts", queryset=Contact.objects.select_related("persona", "preferences")),
            Prefetch("notes", queryset=AccountNote.objects.select_related("author")),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("changed_by")),
            Prefetch("activities", queryset=activities[:HISTORY_ROWS], to_attr="latest_activities"),
        )
        .annotate(recent_activities=count_of(ReferenceActivity, "account", occurred_on__gte=recent_since()))
        .filter(pk=pk)
        .first()
    )


def contact_detail(pk: int) -> Contact | None:
    activities = ReferenceActivity.objects.select_related("activity_type").prefetch_related("opportunities")
    return (
        Contact.objects.select_related("account__owner", "account__country", "persona", "preferences")
        .prefetch_related(
            "preferences__activity_types",
            "blackouts",
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("changed_by")),
            Prefetch("activities", queryset=activities[:HISTORY_ROWS], to_attr="latest_activities"),
        )
        .annotate(
            recent_activities=count_of(ReferenceActivity, "contact", occurred_on__gte=recent_since()),
            last_activity=Max("activities__occurred_on"),
        )
        .filter(pk=pk)
        .first()
    )
