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


def tell_submitted(nomination: Nomination) -> None:
    """The reference managers: a nomination waits in their queue."""
    by = "volunteered" if nomination.is_public else f"nominated by {_name(nomination.nominated_by)}"
    message = Message(
        f"New nomination: {nomination.person_name} at {_where(nomination)}",
        f"{nomination.person_name} ({_where(nomination)}) was {by}.",
        _manager_link(nomination),
    )
    notify(
        kind=NOMINATION_SUBMITTED.code,
        key=f"nomination:{nomination.pk}:submitted",
        message=message,
        users=users_with_role(Role.MANAGER),
        actor=nomination.nominated_by,
    )


def tell_consent_asked(nomination: Nomination, owner: User, actor: User) -> None:
    message = Message(
        f"Your consent: {nomination.person_name} at {nomination.account.name} as a reference",
        f"{_name(actor)} asks whether {nomination.person_name} of your account {nomination.account.name} "
        "may join the reference program. Give or refuse your consent.",
        url_or("sales:nomination-consent", url_or("tasks:list", "/"), nomination.pk),
    )
    notify(
        kind=NOMINATION_CONSENT_ASKED.code,
        key=f"nomination:{nomination.pk}:consent-asked",
        message=message,
        users=[owner],
        actor=actor,
    )


def tell_consent_answered(nomination: Nomination, actor: User) -> None:
    verb = "gave" if nomination.owner_consent == Nomination.Consent.GIVEN else "refused"
    note = f" “{nomination.owner_consent_note}”" if nomination.owner_consent_note else ""
    message = Message(
        f"Owner {verb} consent: {nomination.person_name} at {nomination.account.name}",
        f"{_name(actor)} {verb} consent to the nomination of {nomination.person_name}.{note}",
        _manager_link(nomination),
    )
    notify(
        kind=NOMINATION_CONSENT_ANSWERED.code,
        key=f"nomination:{nomination.pk}:consent-{nomination.owner_consent}",
        message=message,
        users=users_with_role(Role.MANAGER),
        actor=actor,
    )


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
    notify(
        kind=NOMINATION_DECIDED.code,
        key=f"nomination:{nomination.pk}:{nomination.status}",
        message=Message(title, body, url_or("sales:nominations", "/")),
        users=[nomination.nominated_by],
        actor=actor,
    )
