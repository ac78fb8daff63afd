"""Reads for the managers' nominations queue and a nomination's page (with its health checks),
and the account owner's consent page. Each starts from `Nomination.objects.visible_to(user)`."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from references.models import Account, Contact, ReferenceActivity
from references.selectors import recent_since
from requests_app.models import Nomination, ReferenceRequest
from requests_app.statuses import NOMINATION_PENDING, OPEN_STATUSES
from workflows.models import Task
from workflows.nominations import existing_contact

OPEN = "open"  # the queue's default: submitted and qualifying
RECENT_SHOWN = 5


@dataclass(frozen=True)
class QueueFilters:
    status: str = OPEN
    source: str = ""
    industry: int | None = None
    product: int | None = None
    region: int | None = None


def nomination_queue(*, user, filters: QueueFilters) -> QuerySet[Nomination]:
    """The nominations a manager works, oldest waiting first, each row fully loaded."""
    rows = Nomination.objects.visible_to(user)
    if filters.status == OPEN:
        rows = rows.filter(status__in=NOMINATION_PENDING)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.industry:
        rows = rows.filter(account__industry_id=filters.industry)
    if filters.region:
        rows = rows.filter(account__country__region_id=filters.region)
    if filters.product:
        rows = rows.filter(account__products=filters.product)
    return (
        rows.select_related("account__industry", "account__country__region", "contact", "nominated_by")
        .defer("account__reference_story", "contact__email", "contact__phone")
        .order_by("created_at", "id")
    )


def open_nominations_count(user) -> int:
    """Nominations waiting for the program (submitted or qualifying): the manager home's count."""
    return Nomination.objects.visible_to(user).filter(status__in=NOMINATION_PENDING).count()


def nomination_for_manager(*, user, pk: int) -> Nomination:
    rows = Nomination.objects.visible_to(user).select_related(
        "account__industry",
        "account__country__region",
        "account__owner",
        "contact__preferences",
        "nominated_by",
        "owner_consent_by",
        "decided_by",
    )
    return get_object_or_404(rows.prefetch_related("activity_types"), pk=pk)


def nomination_for_owner(*, user, pk: int) -> Nomination:
    """A nomination of one of `user`'s accounts whose consent was asked of them (else 404)."""
    rows = Nomination.objects.filter(account__owner=user, tasks__assignee=user).distinct()
    return get_object_or_404(
        rows.select_related("account__industry", "contact", "nominated_by").prefetch_related(
            "activity_types"
        ),
        pk=pk,
    )


@dataclass
class Health:
    """What a manager checks before qualifying: the account's standing, whether the person is in
    the catalogue already (and their status and opt-out), requests in play at the account, its
    recent activities, and another nomination of the same person still waiting."""

    contact: Contact | None = None
    open_requests: int = 0
    recent_activities: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    tasks: list = field(default_factory=list)

    @property
    def opted_out(self) -> bool:
        prefs = getattr(self.contact, "preferences", None) if self.contact else None
        return bool(prefs and prefs.opted_out)


def nomination_health(nomination: Nomination) -> Health:
    contact = nomination.contact or existing_contact(nomination)
    if contact is not None and nomination.contact is None:
        contact = Contact.objects.select_related("preferences").get(pk=contact.pk)
    health = Health(contact=contact)
    health.tasks = list(
        Task.objects.filter(nomination=nomination)
        .select_related("assignee", "completed_by")
        .order_by("created_at", "id")
    )
    health.duplicates = list(_duplicates(nomination))
    if nomination.account_id is None:
        return health
    health.open_requests = ReferenceRequest.objects.filter(
        chosen_contact__account_id=nomination.account_id, status__in=OPEN_STATUSES
    ).count()
    health.recent_activities = list(
        ReferenceActivity.objects.filter(account_id=nomination.account_id, occurred_on__gte=recent_since())
        .select_related("contact", "activity_type")
        .only("occurred_on", "contact__first_name", "contact__last_name", "activity_type__name")
        .order_by("-occurred_on", "-id")[:RECENT_SHOWN]
    )
    return health


def _duplicates(nomination: Nomination) -> QuerySet[Nomination]:
    same = Q()
    if nomination.contact_id:
        same |= Q(contact_id=nomination.contact_id)
    if nomination.contact_email:
        same |= Q(contact_email__iexact=nomination.contact_email)
    if nomination.account_id and nomination.contact_name:
        same |= Q(account_id=nomination.account_id, contact_name__iexact=nomination.contact_name)
    if not same:
        return Nomination.objects.none()
    return (
        Nomination.objects.filter(same, status__in=NOMINATION_PENDING)
        .exclude(pk=nomination.pk)
        .only("id", "status", "created_at")
        .order_by("created_at")
    )


def accounts_matching(company: str, limit: int = 10) -> QuerySet[Account]:
    """Accounts to pick for a volunteer: names containing what they typed (at most `limit`)."""
    words = company.strip()
    if len(words) < 2:
        return Account.objects.none()
    return (
        Account.objects.filter(name__icontains=words)
        .annotate(n_contacts=Count("contacts"))
        .only("id", "name", "status")
        .order_by("name", "id")[:limit]
    )
