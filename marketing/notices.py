"""What the content library tells an asset's owner: that it will expire (30 and 7 days before),
and that it was unpublished. Registered from `MarketingConfig.ready()`."""

from datetime import date

from core.dates import day_text
from core.links import url_or
from marketing.models import Asset
from notifications.kinds import Delivery, Kind, register
from notifications.message import Message
from notifications.services import notify

ASSET_EXPIRING = Kind(
    "asset_expiring", "A published asset of yours expires soon (owners)", default=Delivery.BOTH
)
ASSET_EXPIRED = Kind(
    "asset_expired", "A published asset of yours was unpublished (owners)", default=Delivery.BOTH
)

# How many days before an asset's end its owner is told, widest first.
WARNINGS = (30, 7)


def register_kinds() -> None:
    register([ASSET_EXPIRING, ASSET_EXPIRED])


def _link(asset: Asset) -> str:
    return url_or("content:asset", "/content/", asset.pk)


def tell_expiring(*, asset: Asset, ends_on: date, window: int, why: str) -> int:
    """Warn the owner once per asset, window and end day (a new end day warns again)."""
    return notify(
        kind=ASSET_EXPIRING.code,
        key=f"asset-expiring:{asset.pk}:{ends_on.isoformat()}:{window}",
        message=Message(
            title=f"“{asset.title}” will be unpublished after {day_text(ends_on)}",
            body=f"{why} Renew it before then, or it leaves the library.",
            link=_link(asset),
        ),
        users=[asset.owner],
    )


def tell_expired(*, asset: Asset, why: str) -> int:
    """Tell the owner their asset was unpublished, once per expiry (keyed by when it happened)."""
    return notify(
        kind=ASSET_EXPIRED.code,
        key=f"asset-expired:{asset.pk}:{asset.status_changed_at.isoformat()}",
        message=Message(title=f"“{asset.title}” was unpublished", body=why, link=_link(asset)),
        users=[asset.owner],
    )
