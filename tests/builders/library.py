"""Builders for the library's tests: assets published (by default) and public, through the same
service and workflow writer as `tests.builders.marketing.make_asset`, and their uses."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from marketing.models import Asset, AssetUse
from marketing.statuses import AssetKind, AssetStatus, UsageRights
from tests.builders import marketing

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
    """An asset as its workflow leaves it in `status` (a PDF of `file_bytes` attached)."""
    n = next(_seq)
    upload = None
    if file_bytes is not None:
        upload = SimpleUploadedFile(f"story-{n}.pdf", file_bytes, content_type="application/pdf")
    return marketing.make_asset(
        owner,
        title=title or f"Asset {n}",
        kind=kind,
        status=status,
        usage_rights=rights,
        accounts=list(accounts),
        products=list(products),
        industries=list(industries),
        use_cases=list(use_cases),
        upload=upload,
        **fields,
    )


def make_use(asset: Asset, user, *, opportunity=None, campaign: str = "", how=AssetUse.How.OTHER) -> AssetUse:
    return AssetUse.objects.create(
        asset=asset,
        used_by=user,
        opportunity=opportunity,
        campaign=campaign or ("" if opportunity else "Launch"),
        how=how,
    )
