"""A nomination's moves: submitted → qualifying (the owner's consent asked as a task) → accepted
(the contact made a reference, with recruitment tasks) or declined with a reason.

Every move is one transaction: the nomination row is locked, the page's `expected_status`
compared, the guard checked, then the status changed by a conditional UPDATE on the status read,
so whoever acts second gets `Conflict` naming who acted first (HTTP 409). Lock order: the
nomination, then the contact, then its account (as for requests). Notices are rows written in
the same transaction (`workflows/nomination_notices.py`).
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from core.roles import Role, has_role
from core.text import REASON_MAX_LENGTH
from references.models import Account, Contact, Persona
from references.services import contact_change_status, contact_create
from references.statuses import USABLE_STATUSES, ReferenceStatus
from requests_app import services as requests_services
from requests_app.models import Nomination
from requests_app.statuses import CONSENT_CLEARED
from workflows.calendar import calendar_for
from workflows.models import SlaUnit, StepRole, Task
from workflows.nomination_notices import (
    tell_consent_answered,
    tell_consent_asked,
    tell_decided,
    tell_submitted,
)

S = Nomination.Status
C = Nomination.Consent
CONSENT_TASK = "Consent to the nomination of {name}"
CONSENT_DAYS = 3
# The recruitment of a new reference: (title, business days), for the manager who accepted it.
RECRUITMENT = (
    ("Welcome {name} to the reference program", 2),
    ("Record {name}'s participation preferences", 5),
    ("Record {name}'s consent to act as a reference", 5),
)


def nomination_submit(*, nominator: User, **fields) -> Nomination:
    """A colleague's nomination (`requests_app.services.nomination_submit`), and the managers told."""
    with transaction.atomic():
        nomination = requests_services.nomination_submit(nominator=nominator, **fields)
        tell_submitted(nomination)
    return nomination


def _locked(nomination_id: int, expected_status: str | None) -> Nomination:
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("account__owner", "contact", "decided_by")
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None:
        raise InvalidInput("This nomination no longer exists.")
    if expected_status and nomination.status != expected_status:
        _conflict(nomination)
    return nomination


def _conflict(nomination: Nomination) -> None:
    who = (
        nomination.decided_by.get_full_name() or nomination.decided_by.username
        if nomination.decided_by
        else ""
    )
    by = f" by {who}" if who else ""
    raise Conflict(f"This nomination is already {nomination.get_status_display().lower()}{by}.")


def _move(nomination: Nomination, to_status: str, **values) -> None:
    """The conditional UPDATE: only from the status read under the lock."""
    moved = Nomination.objects.filter(pk=nomination.pk, status=nomination.status).update(
        status=to_status, updated_at=timezone.now(), **values
    )
    if not moved:
        _conflict(Nomination.objects.select_related("decided_by").get(pk=nomination.pk))
    for name, value in {"status": to_status, **values}.items():
        setattr(nomination, name, value)


def _close_tasks(
    nomination: Nomination, *, outcome: str, actor: User | None, now: datetime, **filters
) -> int:
    return Task.objects.filter(nomination=nomination, status=Task.Status.OPEN, **filters).update(
        status=outcome, completed_at=now, completed_by=actor
    )


def _open_task(
    nomination: Nomination, *, title: str, role: str, assignee: User | None, days: int, now
) -> Task:
    due = calendar_for(assignee).add(now, days, SlaUnit.BUSINESS_DAYS)
    task, _created = Task.objects.get_or_create(
        nomination=nomination,
        title=title[:200],
        status=Task.Status.OPEN,
        defaults={"assignee": assignee, "assignee_role": role, "due_at": due},
    )
    return task


def _require_manager(actor: User) -> None:
    if not has_role(actor, Role.MANAGER):
        raise NotAllowed("Only a reference manager can do this.")


# --- qualify ---------------------------------------------------------------------------------


def nomination_qualify(
    *, nomination_id: int, actor: User, account: Account | None = None, expected_status: str | None = None
) -> Nomination:
    """Start qualifying: the account settled (a volunteer's may be picked now) and its owner's
    consent asked as a task on their list (not needed when the account has no owner)."""
    _require_manager(actor)
    with transaction.atomic():
        nomination = _locked(nomination_id, expected_status)
        if nomination.status != S.SUBMITTED:
            _conflict(nomination)
        account = _settled_account(nomination, account)
        owner = account.owner if account.owner_id and account.owner.is_active else None
        now = timezone.now()
        _move(
            nomination,
            S.QUALIFYING,
            account=account,
            owner_consent=C.ASKED if owner else C.NOT_NEEDED,
        )
        if owner is not None:
            title = CONSENT_TASK.format(name=nomination.person_name)
            _open_task(
                nomination,
                title=title,
                role=StepRole.ACCOUNT_OWNER,
                assignee=owner,
                days=CONSENT_DAYS,
                now=now,
            )
            tell_consent_asked(nomination, owner, actor)
    return nomination


def _settled_account(nomination: Nomination, account: Account | None) -> Account:
    if account is not None and nomination.account_id not in (None, account.pk) and not nomination.is_public:
        raise InvalidInput("A colleague's nomination keeps the account it was made for.", field="account")
    account = account or nomination.account
    if account is None:
        raise InvalidInput("Choose the volunteer's account before qualifying.", field="account")
    if account.status == ReferenceStatus.DEFECTED:
        raise InvalidInput(f"{account} has left us and cannot be a reference.", field="account")
    return Account.objects.select_related("owner").get(pk=account.pk)


# --- the owner's consent -----------------------------------------------------------------------


def nomination_consent(
    *, nomination_id: int, actor: User, give: bool, note: str = "", on_behalf: bool = False
) -> Nomination:
    """The account owner gives or refuses consent (a refusal says why); a reference manager may
    answer "on behalf of" an absent owner, which the note records. Closes the consent task."""
    note = (note or "").strip()
    with transaction.atomic():
        nomination = _locked(nomination_id, None)
        is_owner = nomination.account is not None and nomination.account.owner_id == actor.pk
        if on_behalf:
            _require_manager(actor)
        elif not is_owner:
            raise NotAllowed("Only the account's owner answers this; a manager may answer on their behalf.")
        if nomination.status != S.QUALIFYING or nomination.owner_consent != C.ASKED:
            raise Conflict(
                f"The consent was already answered ({nomination.get_owner_consent_display().lower()})."
            )
        if not give and not note:
            raise InvalidInput("Say why you refuse, so the program can tell the nominator.", field="note")
        if len(note) > REASON_MAX_LENGTH:
            raise InvalidInput(f"Keep the note to {REASON_MAX_LENGTH:,} characters.", field="note")
        if on_behalf:
            owner = nomination.account.owner
            note = f"On behalf of {owner.get_full_name() or owner.username}. {note}".strip()
        now = timezone.now()
        answered = Nomination.objects.filter(pk=nomination.pk, owner_consent=C.ASKED).update(
            owner_consent=C.GIVEN if give else C.REFUSED,
            owner_consent_by=actor,
            owner_consent_at=now,
            owner_consent_note=note,
            updated_at=now,
        )
        if not answered:
            raise Conflict("The consent was already answered.")
        nomination.refresh_from_db()
        _close_tasks(
            nomination, outcome=Task.Status.DONE, actor=actor, now=now, assignee_role=StepRole.ACCOUNT_OWNER
        )
        tell_consent_answered(nomination, actor)
    return nomination


# --- accept and decline -------------------------------------------------------------------------


def nomination_accept(
    *,
    nomination_id: int,
    actor: User,
    persona: Persona | None = None,
    email: str = "",
    expected_status: str | None = None,
) -> Nomination:
    """Make the nominee a reference: the existing contact (named, or found at the account by
    email) activated, or a new contact created, through the catalogue's services; then the
    recruitment tasks for the accepting manager, and the nominator told."""
    _require_manager(actor)
    with transaction.atomic():
        nomination = _locked(nomination_id, expected_status)
        if nomination.status != S.QUALIFYING:
            if nomination.status == S.SUBMITTED:
                raise InvalidInput("Qualify the nomination first: its account owner is asked.")
            _conflict(nomination)
        if nomination.owner_consent not in CONSENT_CLEARED:
            raise InvalidInput(
                "The account owner has not given consent: wait for their answer, or answer on their behalf."
            )
        contact = _reference_for(nomination, actor=actor, persona=persona, email=email)
        now = timezone.now()
        _move(nomination, S.ACCEPTED, contact=contact, decided_by=actor, decided_at=now)
        _close_tasks(nomination, outcome=Task.Status.SKIPPED, actor=actor, now=now)
        name = f"{contact.first_name} {contact.last_name}"
        for title, days in RECRUITMENT:
            _open_task(
                nomination,
                title=title.format(name=name),
                role=StepRole.MANAGER,
                assignee=actor,
                days=days,
                now=now,
            )
        tell_decided(nomination, actor)
    return nomination


def _reference_for(nomination: Nomination, *, actor: User, persona: Persona | None, email: str) -> Contact:
    contact = nomination.contact or existing_contact(nomination)
    if contact is None:
        contact = _new_contact(nomination, persona=persona, email=email)
    contact = Contact.objects.select_for_update(of=("self",)).select_related("preferences").get(pk=contact.pk)
    preferences = getattr(contact, "preferences", None)
    if preferences is not None and preferences.opted_out:
        raise InvalidInput(f"{contact} has opted out of the program; only they can opt in again.")
    if contact.status not in USABLE_STATUSES:
        contact = contact_change_status(
            contact=contact,
            to_status=ReferenceStatus.ACTIVE,
            reason=f"Nomination #{nomination.pk} accepted.",
            actor=actor,
        )
    return contact


def existing_contact(nomination: Nomination) -> Contact | None:
    """The catalogue's contact at the nomination's account with the nominee's email, if any."""
    if nomination.account_id is None or not nomination.contact_email:
        return None
    return (
        Contact.objects.filter(account_id=nomination.account_id, email__iexact=nomination.contact_email)
        .order_by("pk")
        .first()
    )


def _new_contact(nomination: Nomination, *, persona: Persona | None, email: str) -> Contact:
    email = (email or nomination.contact_email).strip()
    if persona is None:
        raise InvalidInput("Choose the new reference's persona.", field="persona")
    if not email:
        raise InvalidInput("Give the new reference's email.", field="email")
    first, _, last = nomination.contact_name.strip().partition(" ")
    return contact_create(
        account=nomination.account,
        first_name=first,
        last_name=last or "—",
        title=nomination.contact_title,
        persona=persona,
        email=email,
        preferences={"activity_types": list(nomination.activity_types.all())},
    )


def nomination_decline(
    *, nomination_id: int, actor: User, reason: str, expected_status: str | None = None
) -> Nomination:
    """Decline a pending nomination with the reason its nominator reads on their list."""
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the nomination is declined: the nominator reads it.", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(f"Keep the reason to {REASON_MAX_LENGTH:,} characters.", field="reason")
    with transaction.atomic():
        nomination = _locked(nomination_id, expected_status)
        if not nomination.is_pending:
            _conflict(nomination)
        now = timezone.now()
        _move(nomination, S.REJECTED, decision_note=reason, decided_by=actor, decided_at=now)
        _close_tasks(nomination, outcome=Task.Status.SKIPPED, actor=actor, now=now)
        tell_decided(nomination, actor)
    return nomination
