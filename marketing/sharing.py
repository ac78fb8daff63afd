"""Shareable public links to assets: signed, unguessable, and good only while the asset may
leave the company.

A link carries the asset's id signed with the site's secret (`django.core.signing`, its own salt),
so nobody can make one for another asset. It is made only for `Asset.objects.shareable()`
(published and public) and, because rights change, checked again at every opening: an asset
that becomes internal-only, under NDA, expired or withdrawn opens for nobody, whatever links
are out there; if it becomes shareable again, so do they. Nor does one open past the asset's
review-by day or once a permission it needs is no longer in force (`marketing.rights`), from that
moment on, not from the daily job's next run.
"""

from datetime import date

from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone

from core.errors import NotAllowed
from marketing.models import Asset
from marketing.rights import lacking_permission

SALT = "marketing.asset-share"
# How long a shared link opens at most (rights are checked at each opening in any case).
LINK_MAX_AGE_DAYS = 365


def shareable_now(on: date | None = None) -> QuerySet:
    """The assets that may leave the company today (`on`): published and public, within their
    review-by day, and every permission they need in force (the expiry job's own reasons)."""
    on = on or timezone.localdate()
    return Asset.objects.shareable().exclude(review_by__lt=on).exclude(lacking_permission(on))


def share_token(asset: Asset) -> str:
    """The token of a public link to `asset`; refused unless it may leave the company now."""
    if not shareable_now().filter(pk=asset.pk).exists():
        raise NotAllowed("Only a published, public asset may be shared by a link.")
    return signing.dumps(asset.pk, salt=SALT)


def shared_asset(token: str) -> Asset | None:
    """The asset a link's token opens: None for a forged, tampered or old token, or an asset
    that may not be shared now."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return shareable_now().filter(pk=pk).first()
