"""Shareable public links to assets: signed, unguessable, and good only while the asset may
leave the company.

A link carries the asset's id signed with the site's secret (`django.core.signing`, its own salt),
so nobody can make one for another asset. It is made only for `Asset.objects.shareable()`
(published and public) and, because rights change, checked again at every opening: an asset
that becomes internal-only, under NDA, expired or withdrawn opens for nobody, whatever links
are out there; if it becomes shareable again, so do they.
"""

from django.core import signing

from core.errors import NotAllowed
from marketing.models import Asset

SALT = "marketing.asset-share"
# How long a shared link opens at most (rights are checked at each opening in any case).
LINK_MAX_AGE_DAYS = 365


def share_token(asset: Asset) -> str:
    """The token of a public link to `asset`; refused unless it is published and public."""
    if not Asset.objects.shareable().filter(pk=asset.pk).exists():
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
    return Asset.objects.shareable().filter(pk=pk).first()
