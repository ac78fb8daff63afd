"""The content approval workflow: an asset's moves as one table, and the one function that
applies a row (`asset_transition`).

draft → customer approval → legal review → published → expired, or withdrawn from any status
but withdrawn; sent back to draft from customer approval, legal review or expired (to revise and
approve again). The buttons on the asset's page come from `available_actions`, which reads the
same table the POST is checked against.

Who: the library's keepers (marketing users and reference managers, `works_the_library`) take
every action but `expire`, which only the system takes (the daily job, `marketing/expiry.py`,
moving many assets at once through the same writer, `marketing.moves.assets_move`).
- Customer approval is recorded by staff with a note saying how the customer approved (an
  email, a signed release…).
- Legal review is approved by a keeper other than the asset's owner and other than whoever sent
  it for customer approval: a second pair of eyes, not a legal department RMS does not model.
- Publishing also needs, from every account the asset names, the permission its kind maps to
  (`marketing.statuses.NEEDED_PERMISSION`) in force today, and a review-by day not passed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from marketing.models import Asset, AssetEvent
from marketing.moves import assets_move
from marketing.querysets import works_the_library
from marketing.rights import accounts_lacking, lacking_permission
from marketing.statuses import AssetAction, AssetStatus

S, A = AssetStatus, AssetAction
Guard = Callable[[Asset, User | None], None]


def _second_pair_of_eyes(asset: Asset, actor: User | None) -> None:
    submitted = AssetEvent.objects.filter(asset=asset, action=A.SUBMIT).order_by("-created_at", "-id").first()
    if actor is not None and actor.pk in {asset.owner_id, submitted and submitted.actor_id}:
        raise NotAllowed(
            "Legal review is approved by someone other than the asset's owner and whoever sent it "
            "for approval: ask another marketing user or a reference manager."
        )


def _publishable(asset: Asset, actor: User | None) -> None:
    today = timezone.localdate()
    if asset.review_by and asset.review_by < today:
        raise InvalidInput("Its review-by date has passed: send it back to draft and set a new one.")
    if Asset.objects.filter(pk=asset.pk).filter(lacking_permission(today)).exists():
        names = ", ".join(a.name for a in accounts_lacking(asset, today)[:5])
        raise InvalidInput(
            f"A {asset.get_kind_display().lower()} needs each customer's "
            f"{asset.get_needed_permission_display().lower()} permission in force; not granted by: {names}. "
            "Record the permission first."
        )


def _legal_approval(asset: Asset, actor: User | None) -> None:
    _second_pair_of_eyes(asset, actor)
    _publishable(asset, actor)


@dataclass(frozen=True)
class AssetTransition:
    source: str
    action: str
    target: str
    label: str
    done: str  # past tense, for "already … by X"
    note_required: bool = False
    note_label: str = "Note"
    guard: Guard | None = None
    system_only: bool = False
    style: str = ""


def _rows(sources, action, target, label, done, **options) -> list[AssetTransition]:
    return [AssetTransition(s, action, target, label, done, **options) for s in sources]


# fmt: off
TABLE: tuple[AssetTransition, ...] = (
    *_rows([S.DRAFT], A.SUBMIT, S.CUSTOMER_APPROVAL, "Send for customer approval", "sent for approval",
           style="primary"),
    *_rows([S.CUSTOMER_APPROVAL], A.CUSTOMER_APPROVED, S.LEGAL_REVIEW, "Record the customer's approval",
           "recorded the customer's approval", note_required=True,
           note_label="How the customer approved (email, signed release…)", style="primary"),
    *_rows([S.LEGAL_REVIEW], A.PUBLISH, S.PUBLISHED, "Approve legal review and publish", "published",
           guard=_legal_approval, style="primary"),
    *_rows([S.CUSTOMER_APPROVAL, S.LEGAL_REVIEW, S.EXPIRED], A.SEND_BACK, S.DRAFT, "Send back to draft",
           "sent back to draft", note_required=True, note_label="What must change"),
    *_rows([S.DRAFT, S.CUSTOMER_APPROVAL, S.LEGAL_REVIEW, S.PUBLISHED, S.EXPIRED], A.WITHDRAW, S.WITHDRAWN,
           "Withdraw", "withdrawn", note_required=True, note_label="Why it is withdrawn", style="danger"),
    *_rows([S.PUBLISHED], A.EXPIRE, S.EXPIRED, "Expire", "expired", system_only=True),
)
# fmt: on
ACTIONS = frozenset(row.action for row in TABLE)


def find_transition(status: str, action: str) -> AssetTransition | None:
    return next((row for row in TABLE if row.source == status and row.action == action), None)


def may_take(row: AssetTransition, actor: User | None) -> bool:
    """The system takes the system's rows; a keeper of the library takes every other."""
    if row.system_only:
        return actor is None
    return actor is not None and works_the_library(actor)


def available_actions(asset: Asset, user: User) -> list[AssetTransition]:
    """The buttons `user` sees on `asset`'s page: the rows the POST would accept (before guards)."""
    return [row for row in TABLE if row.source == asset.status and may_take(row, user)]


def _conflict(asset: Asset, action: str) -> Conflict:
    last = asset.events.select_related("actor").order_by("-created_at", "-id").first()
    who = (last.actor.get_full_name() or last.actor.username) if last and last.actor else "the system"
    return Conflict(
        f"This asset is {asset.get_status_display().lower()} now ({who} acted last): "
        f"“{action.replace('_', ' ')}” no longer applies. The page shows it as it is."
    )


def asset_transition(
    *, asset_id: int, action: str, actor: User | None, note: str = "", expected_status: str | None = None
) -> Asset:
    """Apply one row of the table to an asset: lock it, check the status it has (and the one the
    user's page showed), who acts, the note and the guard, then move it with a conditional UPDATE
    on the status read and write its `AssetEvent` — one transaction. Conflict (409) when someone
    acted first, NotAllowed (403) for the wrong person, InvalidInput (400) for a refused move."""
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action “{action}”.", field="action")
    note = (note or "").strip()
    with transaction.atomic():
        asset = Asset.objects.select_for_update().select_related("owner").get(pk=asset_id)
        row = find_transition(asset.status, action)
        if row is None or (expected_status and expected_status != asset.status):
            raise _conflict(asset, action)
        if not may_take(row, actor):
            raise NotAllowed("Only marketing and reference managers move an asset through its approval.")
        if row.note_required and not note:
            raise InvalidInput(f"{row.note_label}: write it in the note.", field="note")
        if row.guard:
            row.guard(asset, actor)
        moved = assets_move(
            asset_ids=[asset.pk],
            from_status=asset.status,
            to_status=row.target,
            action=action,
            actor=actor,
            note=note,
        )
        if not moved:
            raise _conflict(asset, action)
        asset.refresh_from_db()
    return asset
