"""The only writer of an asset's status: a conditional UPDATE on the status read, and one
`AssetEvent` per asset moved, in one transaction.

The approval table and its checks (who may take which action, guards) are
`workflows/content_approval.py`, which moves one asset through here; the expiry job
(`marketing/expiry.py`) moves many at once, as the system, through the same function (the
marketing app sits below workflows, so the writer lives here and the table above calls down).
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from marketing.models import Asset, AssetEvent
from marketing.statuses import AssetStatus


def assets_move(
    *,
    asset_ids: Iterable[int],
    from_status: str,
    to_status: str,
    action: str,
    actor: User | None,
    note: str = "",
    now: datetime | None = None,
) -> list[int]:
    """Move the assets among `asset_ids` that are still in `from_status` to `to_status`, writing
    their events; returns the ids moved (those whose status changed meanwhile are left alone, so
    a second run or a racing user moves nothing twice)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Asset.objects.filter(pk__in=list(asset_ids), status=from_status)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return []
        fields = {"status": to_status, "status_changed_at": now, "updated_at": now}
        if to_status == AssetStatus.PUBLISHED:
            fields["published_at"] = now
        Asset.objects.filter(pk__in=ids, status=from_status).update(**fields)
        AssetEvent.objects.bulk_create(
            AssetEvent(
                asset_id=pk,
                actor=actor,
                action=action,
                from_status=from_status,
                to_status=to_status,
                note=note,
                created_at=now,
            )
            for pk in ids
        )
    return ids
