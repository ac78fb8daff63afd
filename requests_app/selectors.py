"""Reads for the sales portal's request, deal and nomination screens.

Every selector starts from a `visible_to(user)` queryset and returns rows fully loaded for its
screen (related rows joined or prefetched), so templates never query. Contact email and phone are
deferred everywhere: they are read only by `released_contact_details`, and only once the request
is approved (`ReferenceRequest.contact_details_released`).
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from references.models import Account, Contact, Opportunity, Product
from references.statuses import USABLE_STATUSES, ReferenceStatus
from requests_app.models import (
    OPEN_STATUSES,
    Nomination,
    ReferenceRequest,
    RequestCandidate,
    RequestEvent,
    RequestStatus,
)
from requests_app.statuses import APPROVED_STATUSES

# (label, ORDER BY) of the "My requests" sorts, by the `sort` parameter.
# The default puts open requests first, the one that moved last on top, so a request just made or
# just answered is the first row, not under the closed ones.
REQUEST_SORTS = {
    "recent": ("Open first, latest activity on top", ("closed_rank", "-updated_at", "-id")),
    "needed_by": ("Needed by (soonest first)", ("needed_by", "id")),
    "-needed_by": ("Needed by (latest first)", ("-needed_by", "-id")),
    "-created": ("Newest first", ("-created_at", "-id")),
    "created": ("Oldest first", ("created_at", "id")),
    "status": ("Status", ("status", "needed_by", "id")),
    "opportunity": ("Deal", ("opportunity__prospect_name", "needed_by", "id")),
}
REQUEST_GROUPS = {
    "open": ("Open", OPEN_STATUSES),
    "closed": ("Finished", tuple(s for s in RequestStatus if s not in OPEN_STATUSES)),
    "all": ("All", None),
}
_CONTACT_CARD_FIELDS = ("first_name", "last_name", "title", "account__name")


def _candidates_prefetch() -> Prefetch:
    candidates = (
        RequestCandidate.objects.select_related("contact__account")
        .only("request_id", "preference", *(f"contact__{f}" for f in _CONTACT_CARD_FIELDS))
        .order_by("preference")
    )
    return Prefetch("candidates", queryset=candidates)


def my_requests(
    *,
    user,
    group: str = "all",
    status: str = "",
    opportunity_id: int | None = None,
    sort: str = "recent",
) -> QuerySet[ReferenceRequest]:
    """The requests `user` made, filtered and sorted, with deal, type, contacts and accounts."""
    requests = ReferenceRequest.objects.visible_to(user).filter(requester=user)
    statuses = REQUEST_GROUPS.get(group, REQUEST_GROUPS["all"])[1]
    if statuses is not None:
        requests = requests.filter(status__in=statuses)
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    if opportunity_id:
        requests = requests.filter(opportunity_id=opportunity_id)
    order = REQUEST_SORTS.get(sort, REQUEST_SORTS["recent"])[1]
    return (
        requests.with_open_first()
        .select_related("opportunity", "activity_type", "chosen_contact__account")
        .defer("chosen_contact__email", "chosen_contact__phone", "chosen_contact__account__reference_story")
        .prefetch_related(_candidates_prefetch())
        .order_by(*order)
    )


def request_detail(*, user, pk: int, related: tuple[str, ...] = ()) -> ReferenceRequest:
    """One request of `user` with everything its page shows; 404 outside what they may see.
    `related`: one-to-one relations of higher apps the page shows too (the customer's feedback),
    joined in the same query."""
    events = RequestEvent.objects.select_related("actor").order_by("created_at", "id")
    requests = (
        ReferenceRequest.objects.visible_to(user)
        .select_related(
            "opportunity",
            "activity_type",
            "prospect_contact_role",
            "requester",
            "assigned_manager",
            "chosen_contact__account",
            "feedback",
            *related,
        )
        .defer("chosen_contact__email", "chosen_contact__phone")
        .prefetch_related(_candidates_prefetch(), Prefetch("events", queryset=events), "offered_slots")
    )
    return get_object_or_404(requests, pk=pk)


@dataclass(frozen=True)
class ContactDetails:
    name: str
    title: str
    email: str
    phone: str


def released_contact_details(request: ReferenceRequest) -> ContactDetails | None:
    """The chosen contact's email and phone — only once the request is approved."""
    if not request.contact_details_released:
        return None
    row = (
        Contact.objects.filter(pk=request.chosen_contact_id)
        .values("first_name", "last_name", "title", "email", "phone")
        .first()
    )
    if row is None:
        return None
    return ContactDetails(f"{row['first_name']} {row['last_name']}", row["title"], row["email"], row["phone"])


def contacts_released_to(user) -> QuerySet[ReferenceRequest]:
    """The ids (`chosen_contact_id`) of the contacts whose email and phone `user` may read: the
    chosen contact of each approved request they made — `contact_details_released`, set-based, for
    a list of contacts (`Exists(...filter(chosen_contact_id=OuterRef("pk")))`)."""
    return (
        ReferenceRequest.objects.visible_to(user)
        .filter(requester=user, status__in=APPROVED_STATUSES, chosen_contact__isnull=False)
        .values("chosen_contact_id")
    )


def request_for_feedback(*, user, pk: int) -> ReferenceRequest:
    return get_object_or_404(ReferenceRequest.objects.visible_to(user).filter(requester=user), pk=pk)


# --- Opportunities --------------------------------------------------------------------------


def _open_requests_count() -> Subquery:
    open_requests = (
        ReferenceRequest.objects.filter(opportunity=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("opportunity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(open_requests), 0)


def my_opportunities(*, user, outcome: str = "open", q: str = "") -> QuerySet[Opportunity]:
    """Deals `user` owns or is on the team of, soonest closing first, with open request counts."""
    deals = Opportunity.objects.visible_to(user)
    if outcome in Opportunity.Outcome.values:
        deals = deals.filter(outcome=outcome)
    if q.strip():
        deals = deals.filter(Q(prospect_name__icontains=q.strip()) | Q(external_id__iexact=q.strip()))
    return (
        deals.select_related("industry", "country", "size_band")
        .annotate(open_requests=_open_requests_count())
        .order_by("close_date", "id")
    )


def opportunity_detail(*, user, pk: int) -> Opportunity:
    """One of `user`'s deals with its products; 404 for anyone else's."""
    deals = (
        Opportunity.objects.visible_to(user)
        .select_related("industry", "country__region", "size_band", "owner")
        .prefetch_related("products")
    )
    return get_object_or_404(deals, pk=pk)


def opportunity_for_search(*, user, pk: int) -> Opportunity:
    """One of `user`'s deals as the search ranks for it and names it (its taxonomies and products);
    404 for anyone else's. Fewer joins than `opportunity_detail`: planning them cost more than
    running them on every search page."""
    deals = (
        Opportunity.objects.visible_to(user)
        .select_related("industry", "country", "size_band")
        .prefetch_related(Prefetch("products", queryset=Product.objects.only("pk")))
    )
    return get_object_or_404(deals, pk=pk)


def open_opportunities_for_choice(*, user, limit: int = 200) -> list[Opportunity]:
    """The open deals a request form offers, soonest closing first."""
    return list(
        Opportunity.objects.visible_to(user)
        .filter(outcome=Opportunity.Outcome.OPEN)
        .only("id", "prospect_name", "close_date")
        .order_by("close_date", "id")[:limit]
    )


# --- Nominations ----------------------------------------------------------------------------


def my_nominations(*, user) -> QuerySet[Nomination]:
    """The nominations `user` made, newest first, with account, contact and activity types."""
    return (
        Nomination.objects.visible_to(user)
        .filter(nominated_by=user)
        .select_related("account", "contact")
        .defer("contact__email", "contact__phone", "account__reference_story")
        .prefetch_related("activity_types")
        .order_by("-created_at", "-id")
    )


def accounts_to_nominate(*, user, q: str, limit: int = 20) -> list[Account]:
    """Customer accounts whose name contains `q`, for picking whom to nominate."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    return list(
        Account.objects.visible_to(user)
        .exclude(status=ReferenceStatus.DEFECTED)
        .filter(name__icontains=q)
        .select_related("industry", "country")
        .only("id", "name", "status", "industry__name", "country__name")
        .order_by("name", "id")[:limit]
    )


def account_for_nomination(*, user, pk: int) -> Account:
    accounts = (
        Account.objects.visible_to(user)
        .exclude(status=ReferenceStatus.DEFECTED)
        .select_related("industry", "country")
    )
    return get_object_or_404(accounts.defer("reference_story"), pk=pk)


def contacts_for_nomination(account: Account) -> QuerySet[Contact]:
    """The account's people who are not references yet (no email or phone loaded)."""
    return (
        Contact.objects.filter(account=account)
        .exclude(status__in=USABLE_STATUSES)
        .only("id", "first_name", "last_name", "title", "status")
        .order_by("last_name", "first_name")
    )


# --- Requests naming an account or a contact (the managers' account and contact pages) -------

HISTORY_ROWS = 25


def _latest_requests(ids) -> list[ReferenceRequest]:
    rows = (
        ReferenceRequest.objects.filter(pk__in=ids)
        .select_related("activity_type", "requester", "opportunity", "chosen_contact")
        .order_by("-created_at")
    )
    return list(rows[:HISTORY_ROWS])


def requests_involving_account(account: Account) -> list[ReferenceRequest]:
    """The latest requests that chose or proposed a contact of `account`."""
    return _latest_requests(
        ReferenceRequest.objects.filter(
            Q(chosen_contact__account=account) | Q(candidates__contact__account=account)
        ).values("pk")
    )


def requests_involving_contact(contact: Contact) -> list[ReferenceRequest]:
    """The latest requests that chose or proposed `contact`."""
    involving = Q(chosen_contact=contact) | Q(candidates__contact=contact)
    return _latest_requests(ReferenceRequest.objects.filter(involving).values("pk"))
