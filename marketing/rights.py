"""Whether the accounts an asset names permit it: one definition, read row by row (the publish
guard) and set-based (the expiry job), so both always agree.

An asset needs, from every account it names, the permission its kind maps to
(`marketing.statuses.NEEDED_PERMISSION`) granted and not past its expiry on the day asked about.
An asset naming no account needs nothing.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q

from marketing.models import AccountPermission, Asset
from marketing.statuses import NEEDED_PERMISSION, PermissionKind, kinds_needing
from references.models import Account


def granted_accounts(permission: str, on: date):
    """The ids of accounts whose `permission` is in force on `on` (a subquery)."""
    return AccountPermission.objects.in_force(on).filter(kind=permission).values("account_id")


def lacking_permission(on: date) -> Q:
    """Assets naming an account that has not granted what their kind needs, in force on `on`."""
    lacking = Q(pk__in=[])
    for permission in PermissionKind.values:
        kinds = kinds_needing(permission)
        if not kinds:
            continue
        named = Asset.accounts.through.objects.filter(asset_id=OuterRef("pk")).exclude(
            account_id__in=granted_accounts(permission, on)
        )
        lacking |= Q(kind__in=kinds) & Exists(named)
    return lacking


def accounts_lacking(asset: Asset, on: date):
    """The accounts `asset` names whose needed permission is not in force on `on` (for the
    refusal's message: the same subquery `lacking_permission` asks)."""
    needed = NEEDED_PERMISSION[asset.kind]
    return Account.objects.filter(assets=asset).exclude(pk__in=granted_accounts(needed, on)).order_by("name")


def is_permitted(asset: Asset, on: date) -> bool:
    """Row-wise `lacking_permission`, asked of the database with the same expression."""
    return not Asset.objects.filter(pk=asset.pk).filter(lacking_permission(on)).exists()


def last_day_permitted(asset: Asset) -> date | None:
    """The last day the asset may stay published: its review-by day or the earliest expiry of a
    permission it needs, whichever comes first (None: no end). Reads `accounts` and their
    `permissions` as prefetched (`ENDS_PREFETCH`)."""
    needed = NEEDED_PERMISSION[asset.kind]
    days = [asset.review_by] if asset.review_by else []
    for account in asset.accounts.all():
        days += [p.expires_on for p in account.permissions.all() if p.kind == needed and p.expires_on]
    return min(days, default=None)


ENDS_PREFETCH = ("accounts__permissions",)
