"""Burnout limits for one contact: `limit_check` answers, `limit_enforce` refuses.

A limit is a count of slots used in a rolling window of the program's `window_days` ending on the
day asked about, plus a rest period after each activity. Used slots are recorded activities whose
type counts toward limits (a one-to-many occurrence — a webinar, a case study — once per contact
and day) and approved requests not yet held (awaiting the account owner, customer asked,
scheduled), which count from today because their date is not known yet. Every applicable limit is
checked, so the strictest one wins: the program's per-contact and per-account counts, the
contact's own cap per calendar quarter, stricter rules (limits.models.LimitRule), blackout dates
and the account's health.

The evaluation is limits/live_check.py. The rules themselves — codes and their precedence,
windows, caps, which uses count — are in limits/rules.py, which the periodic job (limits.usage)
reads too to judge every contact at once in SQL; tests/limits/test_rules_agree.py checks on
random programs that the two agree.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.errors import Conflict, InvalidInput, NotAllowed
from core.roles import Role, has_role
from limits.live_check import Availability, LimitHit, evaluate
from limits.models import LimitOverride
from references.models import Account, ActivityType, Contact
from requests_app.models import ReferenceRequest

__all__ = ["Availability", "LimitHit", "limit_check", "limit_enforce"]


# --- Public services -----------------------------------------------------------------------


def limit_check(
    *,
    contact: Contact,
    activity_type: ActivityType,
    on_date: date,
    exclude_request: ReferenceRequest | None = None,
) -> Availability:
    """Can `contact` be used for an `activity_type` activity on `on_date`; if not, why and from when?

    Reads only; one query. `exclude_request` leaves out that request's own approval
    (when the account owner's approval re-checks a request the manager approved).
    """
    return evaluate(contact, contact.account, activity_type, on_date, getattr(exclude_request, "pk", None))


def _lock_contact_and_account(contact_id: int) -> Account:
    """Lock the contact row, then its account row: the fixed order every limit check takes."""
    account_id = (
        Contact.objects.select_for_update().filter(pk=contact_id).values_list("account_id", flat=True).first()
    )
    if account_id is None:
        raise InvalidInput("This contact no longer exists.", field="contact")
    return Account.objects.select_for_update().get(pk=account_id)


def limit_enforce(
    *,
    contact: Contact,
    activity_type: ActivityType,
    on_date: date,
    actor: AbstractBaseUser | None,
    override_reason: str | None = None,
    request: ReferenceRequest | None = None,
) -> Availability:
    """Refuse to use `contact` beyond a limit; call it inside the approval's transaction.

    Locks the contact and then the account row (select_for_update) before counting, so two
    approvals that would together exceed a contact's or an account's limit run one after the
    other and the second sees the first. Raises Conflict naming the limit and the date the
    contact becomes available, unless a reference manager gives `override_reason`, which is kept
    as a LimitOverride. An override given earlier for the same request (the manager's, when the
    account owner approves next) stands. Blackouts, the customer's own wish, cannot be overridden.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("limit_enforce must run inside the transaction that uses the contact.")
    account = _lock_contact_and_account(contact.pk)
    availability = evaluate(contact, account, activity_type, on_date, getattr(request, "pk", None))
    if availability.ok:
        return availability
    if not availability.overridable:
        raise Conflict(availability.message, field="contact")
    if request is not None and LimitOverride.objects.filter(request=request, contact_id=contact.pk).exists():
        return availability
    reason = (override_reason or "").strip()
    if not reason:
        raise Conflict(
            f"{availability.message} A reference manager may override it with a written reason.",
            field="contact",
        )
    if actor is None or not has_role(actor, Role.MANAGER):
        raise NotAllowed("Only a reference manager may override a limit.")
    LimitOverride.objects.create(
        contact_id=contact.pk,
        activity_type=activity_type,
        request=request,
        limit=availability.limit,
        refusal=availability.message,
        reason=reason,
        actor=actor,
    )
    return availability
