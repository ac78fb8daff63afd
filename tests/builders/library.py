"""Builders for the content library's tests: assets in any status and rights, and their uses."""

import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from marketing.models import Asset, AssetUse
from marketing.statuses import AssetKind, AssetStatus, UsageRights

_seq = itertools.count(1)


def make_asset(
    owner,
    *,
    title: str | None = None,
    kind: str = AssetKind.CASE_STUDY,
    status: str = AssetStatus.PUBLISHED,
    rights: str = UsageRights.PUBLIC,
    accounts=(),
    products=(),
    industries=(),
    use_cases=(),
    file_bytes: bytes | None = None,
    **fields,
) -> Asset:
    """An asset as its workflow would leave it in `status` (published ones carry the day)."""
    n = next(_seq)
    asset = Asset(
        owner=owner,
        title=title or f"Asset {n}",
        kind=kind,
        status=status,
        usage_rights=rights,
        published_at=timezone.now() if status == AssetStatus.PUBLISHED else None,
        **fields,
    )
    if file_bytes is not None:
        asset.file_name = f"story-{n}.pdf"
        asset.file_content_type = "application/pdf"
        asset.file_size = len(file_bytes)
        asset.file.save(asset.file_name, ContentFile(file_bytes), save=False)
    asset.save()
    asset.accounts.set(accounts)
    asset.products.set(products)
    asset.industries.set(industries)
    asset.use_cases.set(use_cases)
    return asset


def make_use(asset: Asset, user, *, opportunity=None, campaign: str = "", how=AssetUse.How.OTHER) -> AssetUse:
    return AssetUse.objects.create(
        asset=asset,
        used_by=user,
        opportunity=opportunity,
        campaign=campaign or ("" if opportunity else "Launch"),
        how=how,
    )
