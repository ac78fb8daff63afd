"""Writes of a sales rep's records: a request's own rows, feedback, nominations (deals: `requests_app.deals`).

Every function validates before it writes, writes in one transaction, and refuses with
`core.errors.InvalidInput(field=…)` naming the input at fault, so forms and the API show the
message next to the right field. A request's life belongs to the workflow, above this app:
`workflows.services.request_submit` writes the request here (`request_create`) and opens its
workflow in the same transaction; cancelling and the close after feedback are transitions.
"""

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.dates import a_year_after
from core.errors import Conflict, InvalidInput, NotAllowed
from core.roles import Role, has_role
from core.text import REASON_MAX_LENGTH
from references.models import (
    Account,
    ActivityType,
    Contact,
    Opportunity,
    ParticipationPreferences,
    Persona,
)
from references.statuses import USABLE_STATUSES, ReferenceStatus
from requests_app.history import request_event_write
from requests_app.models import (
    Nomination,
    ReferenceRequest,
    RequestCandidate,
    RequestFeedback,
    RequestStatus,
)
from requests_app.statuses import FEEDBACK_STATUSES, OPEN_STATUSES

MAX_CANDIDATES = 3


class DuplicateRequest(InvalidInput):
    """The same contact is already requested for the same deal by a request still open."""

    def __init__(self, message: str, *, existing: ReferenceRequest, field: str | None = None):
        super().__init__(message, field=field)
        self.existing = existing


# --- Submitting a request -------------------------------------------------------------------


def request_create(
    *,
    requester: User,
    opportunity: Opportunity | None = None,
    campaign: str = "",
    activity_type: ActivityType,
    contacts: Sequence[Contact | int],
    needed_by: date,
    prospect_contact_role: Persona | None = None,
    notes: str = "",
) -> ReferenceRequest:
    """Write a submitted request for up to three contacts, in order of preference.

    A request serves either a deal (`opportunity`) or a campaign (`campaign`, its name: a press
    interview, an analyst briefing… asked by marketing or a manager), never both, never neither.
    The deal's row is locked first, so two submissions for the same deal at the same moment run
    one after the other and the second sees the first (no duplicate open request). Writes the
    request, its candidates and the "submitted" history row; the caller's transaction opens the
    workflow (`workflows.services.request_submit`).
    """
    campaign = _check_purpose(requester, opportunity, campaign)
    contact_ids = _candidate_ids(contacts)
    _check_needed_by(needed_by)
    if activity_type is None or not activity_type.is_active:
        raise InvalidInput("Choose an activity type.", field="activity_type")
    with transaction.atomic():
        deal = _lock_visible_open_deal(requester, opportunity) if not campaign else None
        chosen = _offerable_contacts(contact_ids)
        _check_willing(chosen, activity_type)
        _check_not_requested(chosen, deal, campaign)
        request = ReferenceRequest.objects.create(
            requester=requester,
            opportunity=deal,
            campaign=campaign,
            activity_type=activity_type,
            needed_by=needed_by,
            prospect_contact_role=prospect_contact_role,
            notes=(notes or "").strip(),
        )
        RequestCandidate.objects.bulk_create(
            RequestCandidate(request=request, contact=contact, preference=rank)
            for rank, contact in enumerate(chosen, start=1)
        )
        request_event_write(
            request=request,
            actor=requester,
            action="submit",
            to_status=RequestStatus.SUBMITTED,
            note=request.notes,
        )
    return request


CAMPAIGN_MAX_LENGTH = ReferenceRequest._meta.get_field("campaign").max_length
CAMPAIGN_ROLES = (Role.MARKETING, Role.MANAGER)


def _check_purpose(requester: User, opportunity: Opportunity | None, campaign: str) -> str:
    """The request's purpose: a deal or a campaign's name, exactly one; returns the name cleaned."""
    campaign = (campaign or "").strip()
    if opportunity is not None and campaign:
        raise InvalidInput("A request is for a deal or for a campaign, not both.", field="campaign")
    if opportunity is not None:
        return ""
    if not campaign:
        raise InvalidInput("Choose the deal the reference is for, or name the campaign.", field="opportunity")
    if len(campaign) > CAMPAIGN_MAX_LENGTH:
        raise InvalidInput(f"Keep the campaign's name to {CAMPAIGN_MAX_LENGTH} characters.", field="campaign")
    if not any(has_role(requester, role) for role in CAMPAIGN_ROLES):
        raise InvalidInput("Campaign requests are made by marketing or the reference team.", field="campaign")
    return campaign


def _candidate_ids(contacts: Sequence[Contact | int]) -> list[int]:
    ids = []
    for contact in contacts or ():
        try:
            ids.append(int(contact.pk if isinstance(contact, Contact) else contact))
        except (TypeError, ValueError):
            raise InvalidInput("Choose references from the search results.", field="contacts") from None
    if not ids:
        raise InvalidInput("Choose at least one reference.", field="contacts")
    if len(ids) > MAX_CANDIDATES:
        raise InvalidInput(f"Choose at most {MAX_CANDIDATES} references.", field="contacts")
    if len(set(ids)) != len(ids):
        raise InvalidInput("Choose each reference only once.", field="contacts")
    return ids


NEEDED_BY_TOO_FAR = "Needed by must be within a year from today."


def _check_needed_by(needed_by: date | None) -> None:
    if needed_by is None:
        raise InvalidInput("Say by when you need the reference.", field="needed_by")
    if needed_by <= timezone.localdate():
        raise InvalidInput("The needed-by date must be in the future.", field="needed_by")
    if needed_by > a_year_after(timezone.localdate()):  # a typo ("2099"), not a plan
        raise InvalidInput(NEEDED_BY_TOO_FAR, field="needed_by")


def _lock_visible_open_deal(requester: User, opportunity: Opportunity | None) -> Opportunity:
    if opportunity is None:
        raise InvalidInput("Choose the deal the reference is for.", field="opportunity")
    if not Opportunity.objects.visible_to(requester).filter(pk=opportunity.pk).exists():
        raise InvalidInput("You can only request references for your own deals.", field="opportunity")
    deal = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if deal.outcome != Opportunity.Outcome.OPEN:
        raise InvalidInput(f"{deal} is already {deal.get_outcome_display().lower()}.", field="opportunity")
    return deal


def _offerable_contacts(contact_ids: list[int]) -> list[Contact]:
    found = Contact.objects.offerable().select_related("account").in_bulk(contact_ids)
    if len(found) != len(contact_ids):
        raise InvalidInput(
            "One of the chosen references is not available any more; search again.", field="contacts"
        )
    return [found[pk] for pk in contact_ids]


def _check_willing(contacts: list[Contact], activity_type: ActivityType) -> None:
    through = ParticipationPreferences.activity_types.through
    willing = set(
        through.objects.filter(
            participationpreferences__contact__in=[c.pk for c in contacts], activitytype=activity_type
        ).values_list("participationpreferences__contact_id", flat=True)
    )
    unwilling = [c for c in contacts if c.pk not in willing]
    if unwilling:
        names = ", ".join(c.full_name for c in unwilling)
        raise InvalidInput(f"{names} does not do {activity_type.name.lower()}s.", field="activity_type")


def _check_not_requested(contacts: list[Contact], deal: Opportunity | None, campaign: str = "") -> None:
    """The same contact asked twice for one deal (or one campaign) by requests still open."""
    purpose = {"request__opportunity": deal} if deal is not None else {"request__campaign__iexact": campaign}
    clash = (
        RequestCandidate.objects.filter(contact__in=contacts, request__status__in=OPEN_STATUSES, **purpose)
        .select_related("request", "contact")
        .order_by("request_id")
        .first()
    )
    if clash is not None:
        raise DuplicateRequest(
            f"{clash.contact.full_name} is already requested for {deal or clash.request.campaign} in request "
            f"#{clash.request_id}, which is still open.",
            existing=clash.request,
            field="contacts",
        )


# --- Feedback -------------------------------------------------------------------------------


def feedback_record(
    *,
    request: ReferenceRequest,
    actor: User,
    took_place: bool,
    helpfulness: int | None = None,
    would_use_again: bool | None = None,
    outcome_note: str = "",
) -> RequestFeedback:
    """The requester's feedback once the activity is done; given once per request.

    Locks the request row; `feedback.request` is the locked request (the workflow closes a
    completed one next: `workflows.services.feedback_submit`).
    """
    if took_place and helpfulness is None:
        raise InvalidInput("Say how helpful the reference was.", field="helpfulness")
    if helpfulness is not None and not 1 <= int(helpfulness) <= 5:
        raise InvalidInput("Helpfulness goes from 1 to 5.", field="helpfulness")
    with transaction.atomic():
        locked = ReferenceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.requester_id != actor.pk:
            raise NotAllowed("Only the requester gives feedback on a request.")
        if locked.status not in FEEDBACK_STATUSES:
            raise Conflict(f"Feedback is asked for once the activity is done; {locked} is not there yet.")
        if RequestFeedback.objects.filter(request=locked).exists():
            raise Conflict("You already gave feedback on this request.")
        feedback = RequestFeedback.objects.create(
            request=locked,
            took_place=took_place,
            helpfulness=helpfulness if took_place else None,
            would_use_again=would_use_again,
            outcome_note=(outcome_note or "").strip(),
            submitted_by=actor,
        )
        request_event_write(request=locked, actor=actor, action="feedback", note=_feedback_summary(feedback))
    return feedback


def _feedback_summary(feedback: RequestFeedback) -> str:
    if not feedback.took_place:
        summary = "The activity did not take place."
    else:
        summary = f"Helpfulness {feedback.helpfulness}/5."
    if feedback.would_use_again is not None:
        summary += " Would use again." if feedback.would_use_again else " Would not use again."
    return f"{summary} {feedback.outcome_note}".strip()


# --- Nominations ----------------------------------------------------------------------------


def nomination_submit(
    *,
    nominator: User,
    account: Account,
    reason: str,
    contact: Contact | None = None,
    contact_name: str = "",
    contact_title: str = "",
    contact_email: str = "",
    activity_types: Sequence[ActivityType] = (),
) -> Nomination:
    """Propose a customer (an existing contact, or a person described by name) as a reference.

    Goes to the reference managers' queue in status "submitted".
    """
    reason = (reason or "").strip()
    contact_name = (contact_name or "").strip()
    if not Account.objects.visible_to(nominator).filter(pk=account.pk).exists():
        raise InvalidInput("Choose one of the customer accounts.", field="account")
    if account.status == ReferenceStatus.DEFECTED:
        raise InvalidInput(f"{account} has left us and cannot be a reference.", field="account")
    if contact is not None and contact.account_id != account.pk:
        raise InvalidInput(f"{contact} does not work at {account}.", field="contact")
    if contact is None and not contact_name:
        raise InvalidInput("Choose a contact or give the person's name.", field="contact_name")
    if contact is not None and contact.status in USABLE_STATUSES:
        raise InvalidInput(f"{contact} is already a reference.", field="contact")
    if not reason:
        raise InvalidInput("Say why this customer would make a good reference.", field="reason")
    _check_not_nominated(account, contact, contact_name)
    with transaction.atomic():
        nomination = Nomination.objects.create(
            nominated_by=nominator,
            account=account,
            contact=contact,
            contact_name="" if contact else contact_name,
            contact_title="" if contact else (contact_title or "").strip(),
            contact_email="" if contact else (contact_email or "").strip(),
            reason=reason,
        )
        nomination.activity_types.set(activity_types)
    return nomination


def _check_not_nominated(account: Account, contact: Contact | None, contact_name: str) -> None:
    pending = Nomination.objects.filter(account=account, status__in=Nomination.PENDING)
    if contact is not None:
        pending = pending.filter(contact=contact)
    else:
        pending = pending.filter(contact__isnull=True, contact_name__iexact=contact_name)
    if pending.exists():
        raise InvalidInput("This person is already nominated and waiting for the program.", field="contact")


# --- What the customer is told ----------------------------------------------------------------


def customer_brief_set(*, request: ReferenceRequest, actor: User, brief: str) -> ReferenceRequest:
    """Set the short brief about the prospect that the asked customer reads in their portal (a
    manager's choice: otherwise the customer learns only the prospect's industry and size).
    Kept in the request's history."""
    brief = (brief or "").strip()
    if len(brief) > REASON_MAX_LENGTH:
        raise InvalidInput(
            f"Keep the brief to {REASON_MAX_LENGTH:,} characters (it has {len(brief):,}).",
            field="customer_brief",
        )
    with transaction.atomic():
        locked = ReferenceRequest.objects.select_for_update().filter(pk=request.pk).first()
        if locked is None:
            raise InvalidInput("This request no longer exists.")
        if locked.customer_brief == brief:
            return locked
        ReferenceRequest.objects.filter(pk=locked.pk).update(customer_brief=brief, updated_at=timezone.now())
        locked.customer_brief = brief
        request_event_write(
            request=locked,
            actor=actor,
            action="customer_brief",
            from_status=locked.status,
            to_status=locked.status,
            note=brief or "(no brief: the customer is told only the prospect's industry and size)",
        )
    return locked
