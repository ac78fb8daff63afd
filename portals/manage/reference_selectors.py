"""Reads for the manager's reference pages (accounts and contacts): one loaded queryset per screen.

Counts and "latest" values are correlated subqueries, so a page of 50 rows costs one query for the
rows however large the catalogue is.
"""

from datetime import timedelta

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from references.models import (
    Account,
    AccountNote,
    Contact,
    ReferenceActivity,
    StatusChange,
)
from requests_app.models import ReferenceRequest
from workflows.selectors import USAGE_WINDOW_DAYS

HISTORY_ROWS = 25


def _since():
    return timezone.localdate() - timedelta(days=USAGE_WINDOW_DAYS)


def _grouped_count(model, field: str, **filters):
    rows = model.objects.filter(**{field: OuterRef("pk")}, **filters).order_by().values(field)
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)
    )


def account_rows(*, q: str = "", status: str = "", industry=None, region=None) -> QuerySet[Account]:
    accounts = Account.objects.select_related("industry", "country__region", "owner").annotate(
        contact_count=_grouped_count(Contact, "account"),
        recent_activities=_grouped_count(ReferenceActivity, "account", occurred_on__gte=_since()),
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
        recent_activities=_grouped_count(ReferenceActivity, "contact", occurred_on__gte=_since()),
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


def _requests_prefetch(**where) -> QuerySet[ReferenceRequest]:
    return (
        ReferenceRequest.objects.filter(**where)
        .select_related("activity_type", "requester", "opportunity", "chosen_contact")
        .order_by("-created_at")
    )


def requests_involving_account(account: Account, limit: int = HISTORY_ROWS) -> list[ReferenceRequest]:
    ids = ReferenceRequest.objects.filter(
        Q(chosen_contact__account=account) | Q(candidates__contact__account=account)
    ).values("pk")
    return list(_requests_prefetch(pk__in=ids)[:limit])


def requests_involving_contact(contact: Contact, limit: int = HISTORY_ROWS) -> list[ReferenceRequest]:
    ids = ReferenceRequest.objects.filter(Q(chosen_contact=contact) | Q(candidates__contact=contact)).values(
        "pk"
    )
    return list(_requests_prefetch(pk__in=ids)[:limit])


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
        .annotate(recent_activities=_grouped_count(ReferenceActivity, "account", occurred_on__gte=_since()))
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
            recent_activities=_grouped_count(ReferenceActivity, "contact", occurred_on__gte=_since()),
            last_activity=Max("activities__occurred_on"),
        )
        .filter(pk=pk)
        .first()
    )
