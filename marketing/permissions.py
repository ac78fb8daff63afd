"""Recording what a customer account permits marketing (logo, name drop, quote, case study,
press): one row per account and kind, changed here only, each change kept as a
`PermissionChange`. Everything that reads a permission asks `in_force()` live, so a change takes
effect at once: the customer list, the publish guard, and the account's published assets a
withdrawn permission no longer covers (expired in the same transaction); the daily job catches
permissions that simply ran out.
"""

from datetime import date

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.errors import InvalidInput
from marketing.expiry import assets_expire_for_account
from marketing.models import AccountPermission, PermissionChange
from marketing.services import _require_keeper
from marketing.statuses import PermissionKind, PermissionState
from marketing.uploads import stored_forget, upload_check, upload_store
from references.models import Account

PERMISSION_FOLDER = "permissions"


def _validate_choices(state: str, kind: str) -> None:
    if kind not in PermissionKind.values:
        raise InvalidInput("Choose a permission from the list.", field="kind")
    if state not in PermissionState.values:
        raise InvalidInput("Choose granted, denied or unknown.", field="state")


def _validate_source(state: str, source_note: str, has_file: bool) -> None:
    if state != PermissionState.UNKNOWN and not (source_note.strip() or has_file):
        raise InvalidInput(
            "Say where the answer came from: attach the agreement or write a note.", field="source_note"
        )


def permission_set(
    *,
    actor: User,
    account: Account,
    kind: str,
    state: str,
    expires_on: date | None = None,
    source_note: str = "",
    source_file: UploadedFile | None = None,
) -> AccountPermission:
    """Set one permission of an account (creating its row), keep the change in its history, and
    return it. The agreement file is checked before anything is written and deleted again if the
    transaction fails."""
    _require_keeper(actor)
    _validate_choices(state, kind)
    checked = upload_check(source_file, field="source_file") if source_file else None
    stored = ""
    try:
        with transaction.atomic():
            permission, _ = AccountPermission.objects.select_for_update().get_or_create(
                account=account, kind=kind
            )
            _validate_source(state, source_note, bool(checked or permission.source_file))
            before = permission.state
            if checked:
                stored = upload_store(checked, PERMISSION_FOLDER)
                permission.source_file = stored
            permission.state, permission.expires_on = state, expires_on
            permission.source_note, permission.recorded_by = source_note.strip(), actor
            permission.save()
            PermissionChange.objects.create(
                account=account,
                kind=kind,
                from_state=before,
                to_state=state,
                expires_on=expires_on,
                note=source_note.strip(),
                actor=actor,
            )
            # A denied or withdrawn permission takes what needed it out of use now, not tonight.
            assets_expire_for_account(account.pk)
    except BaseException:
        stored_forget(stored)
        raise
    return permission
