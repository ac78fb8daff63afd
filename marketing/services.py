"""Writing assets: create and edit a draft (its file through the storage API). Status moves are
`workflows/content_approval.py`'s (through `marketing.moves`); permissions are
`marketing/permissions.py`'s."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from marketing.models import Asset, AssetEvent
from marketing.querysets import works_the_library
from marketing.statuses import AssetAction, AssetKind, AssetStatus
from marketing.uploads import CheckedUpload, stored_forget, upload_check, upload_store
from references.models import Account, Contact, Industry, Product, UseCase

ASSET_FOLDER = "assets"


@dataclass
class AssetData:
    """What an asset's form says about it (everything but its status and file)."""

    title: str
    kind: str
    owner: User
    usage_rights: str
    summary: str = ""
    quote_text: str = ""
    link_url: str = ""
    review_by: date | None = None
    accounts: list[Account] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    industries: list[Industry] = field(default_factory=list)
    use_cases: list[UseCase] = field(default_factory=list)


def _validate(data: AssetData, *, has_file: bool) -> None:
    if data.kind == AssetKind.QUOTE and not data.quote_text.strip():
        raise InvalidInput("A quote needs the customer's words.", field="quote_text")
    if data.kind == AssetKind.VIDEO and not (data.link_url or has_file):
        raise InvalidInput("A video needs a link or an uploaded file.", field="link_url")
    if data.review_by and data.review_by < timezone.localdate():
        raise InvalidInput("The review-by date has passed; choose a day from today on.", field="review_by")
    if not works_the_library(data.owner):
        raise InvalidInput("The owner must be a marketing user or a reference manager.", field="owner")
    accounts = {a.pk for a in data.accounts}
    if any(c.account_id not in accounts for c in data.contacts):
        raise InvalidInput("Each contact must work at one of the asset's accounts.", field="contacts")


def _require_keeper(actor: User) -> None:
    if not works_the_library(actor):
        raise NotAllowed("Only marketing and reference managers keep the content library.")


def _save(asset: Asset, data: AssetData, checked: CheckedUpload | None) -> str:
    """Write the row, its relations and its file; returns the name the file was stored under."""
    for name in ("title", "kind", "owner", "usage_rights", "summary", "quote_text", "link_url", "review_by"):
        setattr(asset, name, getattr(data, name))
    stored = ""
    if checked:
        stored = upload_store(checked, ASSET_FOLDER)
        asset.file = stored
        asset.file_name, asset.file_content_type, asset.file_size = (
            checked.name,
            checked.content_type,
            checked.size,
        )
    asset.save()
    for name in ("accounts", "contacts", "products", "industries", "use_cases"):
        getattr(asset, name).set(getattr(data, name))
    return stored


def _write(asset: Asset, data: AssetData, upload: UploadedFile | None, event: AssetEvent) -> Asset:
    """Validate everything first, then the row, the file and the event in one transaction; a
    file stored by a transaction that then fails is deleted again."""
    checked = upload_check(upload) if upload else None
    _validate(data, has_file=bool(checked or asset.file))
    old_file, stored = asset.file.name if asset.file else "", ""
    try:
        with transaction.atomic():
            if asset.pk:
                locked = Asset.objects.select_for_update().get(pk=asset.pk)
                if locked.status != AssetStatus.DRAFT:
                    raise Conflict("Only a draft is edited: send the asset back to draft first.")
                # The workflow's columns as they are now, not as the page read them.
                asset.status, asset.published_at = locked.status, locked.published_at
                asset.status_changed_at = locked.status_changed_at
            stored = _save(asset, data, checked)
            event.asset = asset
            event.save()
            if stored and old_file:
                transaction.on_commit(lambda: stored_forget(old_file))
    except BaseException:
        stored_forget(stored)
        raise
    return asset


def asset_create(*, actor: User, data: AssetData, upload: UploadedFile | None = None) -> Asset:
    """A new draft asset, with its file (checked, then stored) and a "created" event."""
    _require_keeper(actor)
    event = AssetEvent(actor=actor, action=AssetAction.CREATE, to_status=AssetStatus.DRAFT)
    return _write(Asset(status=AssetStatus.DRAFT), data, upload, event)


def asset_update(
    *, actor: User, asset: Asset, data: AssetData, upload: UploadedFile | None = None, note: str = ""
) -> Asset:
    """Change a draft (a new file replaces the old one, deleted once the change is committed)."""
    _require_keeper(actor)
    event = AssetEvent(
        actor=actor,
        action=AssetAction.EDIT,
        from_status=AssetStatus.DRAFT,
        to_status=AssetStatus.DRAFT,
        note=note,
    )
    return _write(asset, data, upload, event)
