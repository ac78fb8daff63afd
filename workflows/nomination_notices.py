"""Who hears about a nomination, and what they read: the reference managers of a new one and of
the owner's answer, the account owner of the consent asked of them, the nominator of the
decision. Registered with the notifications app from WorkflowsConfig.ready(); each is written
under a key naming the nomination and the event, so writing twice writes once."""

from django.contrib.auth.models import User

from core.links import url_or
from core.roles import Role, users_with_role
from notifications.kinds import Delivery, Kind, register
from notifications.message import Message
from notifications.services import notify
from requests_app.models import Nomination

NOMINATION_SUBMITTED = Kind("nomination_submitted", "New nomination (to reference managers)")
NOMINATION_CONSENT_ASKED = Kind(
    "nomination_consent_asked", "Consent to a nomination asked (to the account owner)"
)
NOMINATION_CONSENT_ANSWERED = Kind(
    "nomination_consent_answered",
    "Owner answered a nomination (to reference managers)",
    default=Delivery.IN_APP,
)
NOMINATION_DECIDED = Kind("nomination_decided", "Nomination accepted or declined (to the nominator)")
KINDS = (NOMINATION_SUBMITTED, NOMINATION_CONSENT_ASKED, NOMINATION_CONSENT_ANSWERED, NOMINATION_DECIDED)


def register_nomination_kinds() -> None:
    register(KINDS)


def _where(nomination: Nomination) -> str:
    return nomination.account.name if nomination.account_id else nomination.company_name


def _manager_link(nomination: Nomination) -> str:
    return url_or("manage:nomination", url_or("manage:home", "/"), nomination.pk)


def _name(user: User | None) -> str:
    return "The program" if user is None else user.get_full_name() or user.get_username()


def _tell(
    kind: Kind, nomination: Nomination, event: str, message: Message, users, actor: User | None
) -> None:
    """One notice about `nomination`, under a key naming it and the event (written once)."""
    notify(
        kind=kind.code, key=f"nomination:{nomination.pk}:{event}", message=message, users=users, actor=actor
    )


def tell_submitted(nomination: Nomination) -> None:
    """The reference managers: a nomination waits in their queue."""
    by = "volunteered" if nomination.is_public else f"nominated by {_name(nomination.nominated_by)}"
    message = Message(
        f"New nomination: {nomination.person_name} at {_where(nomination)}",
        f"{nomination.person_name} ({_where(nomination)}) was {by}.",
        _manager_link(nomination),
    )
    _tell(
        NOMINATION_SUBMITTED,
        nomination,
        "submitted",
        message,
        users_with_role(Role.MANAGER),
        nomination.nominated_by,
    )


def tell_consent_asked(nomination: Nomination, owner: User, actor: User) -> None:
    message = Message(
        f"Your consent: {nomination.person_name} at {nomination.account.name} as a reference",
        f"{_name(actor)} asks whether {nomination.person_name} of your account {nomination.account.name} "
        "may join the reference program. Give or refuse your consent.",
        url_or("sales:nomination-consent", url_or("tasks:list", "/"), nomination.pk),
    )
    _tell(NOMINATION_CONSENT_ASKED, nomination, "consent-asked", message, [owner], actor)


def tell_consent_answered(nomination: Nomination, actor: User) -> None:
    verb = "gave" if nomination.owner_consent == Nomination.Consent.GIVEN else "refused"
    note = f" “{nomination.owner_consent_note}”" if nomination.owner_consent_note else ""
    message = Message(
        f"Owner {verb} consent: {nomination.person_name} at {nomination.account.name}",
        f"{_name(actor)} {verb} consent to the nomination of {nomination.person_name}.{note}",
        _manager_link(nomination),
    )
    event = f"consent-{nomination.owner_consent}"
    _tell(NOMINATION_CONSENT_ANSWERED, nomination, event, message, users_with_role(Role.MANAGER), actor)


def tell_decided(nomination: Nomination, actor: User) -> None:
    """The nominator (a volunteer has none to tell): accepted, or declined with the reason."""
    if nomination.nominated_by is None:
        return
    accepted = nomination.status == Nomination.Status.ACCEPTED
    where = _where(nomination)
    if accepted:
        title = f"Nomination accepted: {nomination.person_name} at {where}"
        body = f"{nomination.person_name} joins the reference program. Thank you for the nomination."
    else:
        title = f"Nomination declined: {nomination.person_name} at {where}"
        body = f"The program declined the nomination of {nomination.person_name}: {nomination.decision_note}"
    message = Message(title, body, url_or("sales:nominations", "/"))
    _tell(NOMINATION_DECIDED, nomination, nomination.status, message, [nomination.nominated_by], actor)
