"""Builders for the content library: assets (through the service, then moved along the usual path
by the workflow's writer), permissions, and small files of each type for the upload tests."""

import io
import zipfile
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketing.demo import PATH
from marketing.models import AccountPermission, Asset
from marketing.moves import assets_move
from marketing.permissions import permission_set
from marketing.services import AssetData, asset_create
from marketing.statuses import (
    NEEDED_PERMISSION,
    AssetAction,
    AssetKind,
    AssetStatus,
    PermissionState,
    UsageRights,
)


def make_asset(
    owner,
    *,
    accounts=(),
    status: str = AssetStatus.DRAFT,
    kind: str = AssetKind.CASE_STUDY,
    title: str = "Aurora case study",
    usage_rights: str = UsageRights.PUBLIC,
    review_by: date | None = None,
    upload=None,
    approver=None,
    **fields,
) -> Asset:
    """An asset in `status`, reached the usual way (a published one needs its permissions: use
    `grant_needed` first, or the move is written regardless by the writer, as the demo does)."""
    data = AssetData(
        title=title,
        kind=kind,
        owner=owner,
        usage_rights=usage_rights,
        review_by=review_by or timezone.localdate() + timedelta(days=365),
        accounts=list(accounts),
        quote_text=fields.pop("quote_text", "It just works." if kind == AssetKind.QUOTE else ""),
        link_url=fields.pop("link_url", "https://videos.example.com/1" if kind == AssetKind.VIDEO else ""),
        **fields,
    )
    asset = asset_create(actor=owner, data=data, upload=upload)
    for action, source, target, note in PATH[status]:
        actor = owner
        if action == AssetAction.PUBLISH:
            actor = approver or owner
        elif action == AssetAction.EXPIRE:
            actor = None
        assets_move(
            asset_ids=[asset.pk], from_status=source, to_status=target, action=action, actor=actor, note=note
        )
    asset.refresh_from_db()
    return asset


def grant(account, kind: str, actor, *, expires_on: date | None = None, state=PermissionState.GRANTED):
    return permission_set(
        actor=actor,
        account=account,
        kind=kind,
        state=state,
        expires_on=expires_on,
        source_note="Signed release.",
    )


def grant_needed(account, asset_kind: str, actor, **options) -> AccountPermission:
    return grant(account, NEEDED_PERMISSION[asset_kind], actor, **options)


# --- Files ---------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_bytes(folder: str = "ppt/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # fixed dates: the same bytes in every process
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=(2020, 1, 1, 0, 0, 0)), "<Types/>")
        archive.writestr(zipfile.ZipInfo(f"{folder}document.xml", date_time=(2020, 1, 1, 0, 0, 0)), "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
