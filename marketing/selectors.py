"""Reads for the content portal's screens, each fully loaded (templates never query)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from marketing.models import AccountPermission, Asset, AssetEvent, PermissionChange
from marketing.rights import ENDS_PREFETCH, lacking_permission
from marketing.statuses import AssetStatus, PermissionKind
from references.models import Account, Contact
from references.statuses import ReferenceStatus

# Accounts never shown on the public customer list, whatever they once granted.
NOT_LISTED = (ReferenceStatus.DEFECTED,)


def asset_page(user, pk: int) -> Asset:
    """One asset with everything its page shows (Asset.DoesNotExist outside the user's scope)."""
    return (
        Asset.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(
            *ENDS_PREFETCH,
            Prefetch("contacts", queryset=Contact.objects.select_related("account")),
            "products",
            "industries",
            "use_cases",
            Prefetch("events", queryset=AssetEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def permissions_by_kind(account: Account) -> list[tuple[str, str, AccountPermission | None]]:
    """Every permission kind with the account's row for it (None: never recorded, unknown)."""
    rows = {p.kind: p for p in account.permissions.select_related("recorded_by")}
    return [(kind, label, rows.get(kind)) for kind, label in PermissionKind.choices]


def permission_history(account: Account) -> QuerySet:
    return PermissionChange.objects.filter(account=account).select_related("actor")[:50]


def accounts_with_permissions(user, name: str = "") -> QuerySet:
    """The accounts list of the permissions pages, each with its permission rows (two queries)."""
    accounts = Account.objects.visible_to(user).only("pk", "name", "status").order_by("name", "pk")
    if name:
        accounts = accounts.filter(name__icontains=name)
    return accounts.prefetch_related(
        Prefetch("permissions", queryset=AccountPermission.objects.order_by("kind"))
    )


def _in_force(kind: str, on: date):
    return Exists(AccountPermission.objects.in_force(on).filter(account=OuterRef("pk"), kind=kind))


def customer_list(on: date) -> QuerySet:
    """The public customer list, derived live: accounts whose logo or name-drop permission is in
    force on `on` (flags `logo` and `name`), defected ones never. A withdrawn or expired grant
    takes the account off at once; there is nothing stored to go stale."""
    return (
        Account.objects.exclude(status__in=NOT_LISTED)
        .annotate(logo=_in_force(PermissionKind.LOGO, on), name_drop=_in_force(PermissionKind.NAME_DROP, on))
        .filter(Q(logo=True) | Q(name_drop=True))
        .select_related("industry", "country")
        .only("pk", "name", "industry__name", "country__name")
        .order_by("name", "pk")
    )


def recently_changed(user, limit: int = 6) -> list[Asset]:
    """The assets changed last, for the content home (until the library's list links them all)."""
    return list(Asset.objects.visible_to(user).select_related("owner").order_by("-updated_at", "-id")[:limit])


@dataclass(frozen=True)
class HomeCounts:
    by_status: list[tuple[str, str, int]]
    waiting: int
    expiring: int
    customers: int


EXPIRING_DAYS = 30


def home_counts(on: date) -> HomeCounts:
    """The content home's figures: assets per status, waiting for approval, published ones whose
    end is within 30 days (review-by, or a needed permission ending), the customer list's size."""
    counts = dict(Asset.objects.values_list("status").annotate(n=Count("pk")).order_by())
    soon = on + timedelta(days=EXPIRING_DAYS)
    expiring = (
        Asset.objects.published()
        .filter(Q(review_by__lte=soon) | lacking_permission(soon + timedelta(days=1)))
        .count()
    )
    waiting = sum(counts.get(s, 0) for s in (AssetStatus.CUSTOMER_APPROVAL, AssetStatus.LEGAL_REVIEW))
    return HomeCounts(
        by_status=[(value, label, counts.get(value, 0)) for value, label in AssetStatus.choices],
        waiting=waiting,
        expiring=expiring,
        customers=customer_list(on).count(),
    )
