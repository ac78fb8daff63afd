"""The daily expiry job's service: unpublish what may no longer be shown, and warn owners ahead.

- Every published asset whose review-by day passed, or that names an account whose needed
  permission is no longer in force (`marketing.rights.lacking_permission`, the same expression the
  publish guard asks), becomes *expired*: one conditional UPDATE per reason through
  `marketing.moves.assets_move` (the workflow's writer), with an `AssetEvent` by the system, and
  its owner is told.
- Owners of published assets whose last permitted day (`last_day_permitted`) is 30 or 7 days
  away or nearer are warned, once per asset, window and day (the notification's key), so a
  re-run — or two at once — writes nothing twice, and a renewed date warns anew.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from marketing.models import Asset
from marketing.moves import assets_move
from marketing.notices import WARNINGS, tell_expired, tell_expiring
from marketing.rights import ENDS_PREFETCH, lacking_permission, last_day_permitted
from marketing.statuses import AssetAction, AssetStatus

REVIEW_PASSED = "Its review-by date passed."
PERMISSION_ENDED = "A permission it needs from a customer it names is no longer in force."


@dataclass(frozen=True)
class ExpiryResult:
    expired: int
    warned: int


def _expire(due: Q, why: str, now) -> int:
    ids = Asset.objects.published().filter(due).values_list("pk", flat=True)
    moved = assets_move(
        asset_ids=ids,
        from_status=AssetStatus.PUBLISHED,
        to_status=AssetStatus.EXPIRED,
        action=AssetAction.EXPIRE,
        actor=None,
        note=why,
        now=now,
    )
    for asset in Asset.objects.filter(pk__in=moved).select_related("owner"):
        tell_expired(asset=asset, why=why)
    return len(moved)


def _why_ending(asset: Asset, ends_on: date) -> str:
    if asset.review_by == ends_on:
        return "Its review-by date comes then."
    return f"A customer's {asset.get_needed_permission_display().lower()} permission ends then."


def _warn(today: date) -> int:
    widest = max(WARNINGS)
    near = Q(review_by__lte=today + timedelta(days=widest)) | lacking_permission(
        today + timedelta(days=widest + 1)
    )
    warned = 0
    for asset in (
        Asset.objects.published().filter(near).select_related("owner").prefetch_related(*ENDS_PREFETCH)
    ):
        ends_on = last_day_permitted(asset)
        if ends_on is None or ends_on < today:
            continue
        window = min(w for w in WARNINGS if (ends_on - today).days <= w)
        warned += bool(
            tell_expiring(asset=asset, ends_on=ends_on, window=window, why=_why_ending(asset, ends_on))
        )
    return warned


def assets_expire_for_account(account_id: int, *, today: date | None = None) -> int:
    """Unpublish at once the account's assets a permission change left uncovered (the caller's
    transaction: the change and its consequence commit together)."""
    today = today or timezone.localdate()
    theirs = Q(pk__in=Asset.objects.filter(accounts=account_id).values("pk"))
    return _expire(theirs & lacking_permission(today), PERMISSION_ENDED, timezone.now())


def assets_expire(*, today: date | None = None) -> ExpiryResult:
    """Unpublish what has passed its end and warn about what nears it (see the module)."""
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        expired = _expire(Q(review_by__lt=today), REVIEW_PASSED, now)
        expired += _expire(lacking_permission(today), PERMISSION_ENDED, now)
        warned = _warn(today)
    return ExpiryResult(expired=expired, warned=warned)
