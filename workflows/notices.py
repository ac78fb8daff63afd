"""The notifications of request events: their kinds, who hears about each, and what they read.

The workflow registers its kinds with the notifications app (`register_kinds`, from
WorkflowsConfig.ready()) and writes through its public `notify`; notifications knows nothing of
requests' workflow. One composer per NoticeKind returns groups of (staff users, contacts,
message), because staff and customers are sent to different pages. `event.request` is the
request as the transition left it (a declined owner approval has already cleared the contact).
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import User
from django.utils import timezone

from core.dates import day_text, moment_text
from core.links import url_or
from core.roles import Role, users_with_role
from notifications.kinds import Delivery, Kind, register
from notifications.message import Message
from notifications.services import notify
from requests_app.models import ReferenceRequest, RequestEvent
from workflows.customer_notices import ask_message, feedback_message, scheduled_message
from workflows.models import NoticeKind as N
from workflows.zones import zone_of

Group = tuple[list, list, Message]

# Kinds of notification the workflow raises: one per NoticeKind of a request's history, and the
# reminders of tasks (workflows.reminders).
_QUIET = {N.REQUEST_ASSIGNED: Delivery.IN_APP, N.INFO_PROVIDED: Delivery.IN_APP}
REQUEST_EVENT_KINDS = tuple(Kind(k.value, k.label, default=_QUIET.get(k, Delivery.BOTH)) for k in N)
TASK_DUE_SOON = Kind("task_due_soon", "Task due soon (to the assignee)", default=Delivery.IN_APP)
TASK_OVERDUE = Kind("task_overdue", "Task overdue (to the assignee)")
# The one reminder of an ask the customer has not answered (workflows.ask_reminders).
ASK_REMINDER = Kind(
    "customer_ask_reminder", "Ask not answered yet (to the contact)", default=Delivery.EMAIL, choosable=False
)


def register_kinds() -> None:
    register([*REQUEST_EVENT_KINDS, TASK_DUE_SOON, TASK_OVERDUE, ASK_REMINDER])


def managers() -> list[User]:
    return list(users_with_role(Role.MANAGER))


def _name(user: User | None) -> str:
    if user is None:
        return "The program"
    return user.get_full_name() or user.get_username()


class _Facts:
    """The words every message about one request uses."""

    def __init__(self, event: RequestEvent):
        request: ReferenceRequest = event.request
        self.event, self.request = event, request
        self.number = f"#{request.pk}"
        self.what = request.activity_type.name.lower()
        self.deal = request.opportunity.prospect_name if request.opportunity_id else request.campaign
        self.needed = day_text(request.needed_by)
        self.contact = request.chosen_contact
        self.account = self.contact.account if self.contact else None
        self.note = event.note

    @property
    def manager_link(self) -> str:
        return url_or("manage:request", url_or("manage:home", "/"), self.request.pk)

    @property
    def requester_link(self) -> str:
        if not self.request.opportunity_id and self.request.campaign:
            return url_or("content:campaign", url_or("content:home", "/"), self.request.pk)
        return url_or("sales:request", url_or("sales:home", "/"), self.request.pk)

    @property
    def owner_link(self) -> str:
        return url_or("sales:approval", url_or("sales:home", "/"), self.request.pk)

    @property
    def program(self) -> list[User]:
        """The manager looking after the request, or every reference manager if none yet."""
        assigned = self.request.assigned_manager
        return [assigned] if assigned and assigned.is_active else managers()

    @property
    def owner(self) -> list[User]:
        return [self.account.owner] if self.account else []

    @property
    def answerer(self) -> str:
        """Who answered for the account: its owner, or a manager standing in for them (told by
        the action, since a decline has already cleared the contact and its account)."""
        if self.event.action.endswith("_for_owner"):
            return f"{_name(self.event.actor)}, on behalf of the account owner,"
        return "The account owner"

    @property
    def scheduled(self) -> str:
        moment = self.request.scheduled_for
        return moment_text(moment, with_zone=True) if moment else "a date to be agreed"

    def with_note(self, text: str) -> str:
        return f"{text}\n\n{self.note}" if self.note else text


def _submitted(f: _Facts) -> list[Group]:
    body = f"{_name(f.request.requester)} needs a {f.what} for {f.deal} by {f.needed}."
    if f.request.notes:
        body += f"\n\n{f.request.notes}"
    return [(managers(), [], Message(f"New request {f.number}: {f.what} for {f.deal}", body, f.manager_link))]


def _assigned(f: _Facts) -> list[Group]:
    title = f"Request {f.number} is yours: {f.what} for {f.deal}"
    return [
        (
            [f.request.assigned_manager],
            [],
            Message(title, f.with_note(f"Needed by {f.needed}."), f.manager_link),
        )
    ]


def _approval_needed(f: _Facts) -> list[Group]:
    body = (
        f"{_name(f.event.actor)} proposes {f.contact.full_name} ({f.contact.title or 'no title'}) of your "
        f"account {f.account.name} for a {f.what} with {f.deal}, needed by {f.needed}. "
        "Please approve or decline."
    )
    title = f"Approval needed: {f.contact.full_name} of {f.account.name} for {f.deal}"
    return [(f.owner, [], Message(title, f.with_note(body), f.owner_link))]


def _to_requester(title: str, body: str) -> Callable[[_Facts], list[Group]]:
    def compose(f: _Facts) -> list[Group]:
        text = f.with_note(body.format(f=f))
        return [([f.request.requester], [], Message(title.format(f=f), text, f.requester_link))]

    return compose


def _to_program(title: str, body: str) -> Callable[[_Facts], list[Group]]:
    def compose(f: _Facts) -> list[Group]:
        text = f.with_note(body.format(f=f))
        return [(f.program, [], Message(title.format(f=f), text, f.manager_link))]

    return compose


def _customer_asked(f: _Facts) -> list[Group]:
    return [([], [f.contact], ask_message(f.request, f.contact))]


def _slot_lines(f: _Facts, reader: User | None) -> str:
    """The offered times, in the reader's zone (with its abbreviation)."""
    with timezone.override(zone_of(reader)):
        return "\n".join(
            f"- {moment_text(slot.starts_at, with_zone=True)} ({slot.minutes} minutes)"
            for slot in f.request.offered_slots.all()
        )


def _customer_accepted(f: _Facts) -> list[Group]:
    who = f.event.actor_contact.full_name if f.event.actor_contact_id else "The customer"
    title = f"{who} accepted request {f.number} and offered times"
    body = f"{who} will do the {f.what} for {f.deal}. Times offered:\n"
    manager = f.request.assigned_manager
    return [
        (f.program, [], Message(title, f.with_note(body + _slot_lines(f, manager)), f.manager_link)),
        (
            [f.request.requester],
            [],
            Message(title, f.with_note(body + _slot_lines(f, f.request.requester)), f.requester_link),
        ),
    ]


def _customer_declined(f: _Facts) -> list[Group]:
    if f.event.action == "decline_ask":  # the customer, in the portal (the contact is cleared since)
        who = f.event.actor_contact.full_name if f.event.actor_contact_id else "The customer"
        title, body = f"{who} declined request {f.number}", f"{who} declined the {f.what} for {f.deal}."
    else:  # a manager records the customer's answer
        title = f"The customer declined request {f.number}"
        body = f"{_name(f.event.actor)} recorded that the contact declined the {f.what} for {f.deal}."
    return [
        (f.program, [], Message(title, f.with_note(body), f.manager_link)),
        ([f.request.requester], [], Message(title, f.with_note(body), f.requester_link)),
    ]


def _scheduled(f: _Facts) -> list[Group]:
    # The time in each reader's own zone: the requester's calendar, the contact's record.
    with timezone.override(zone_of(f.request.requester)):
        staff_title = f"Scheduled: {f.what} on {f.scheduled}"
    return [
        (
            [f.request.requester],
            [],
            Message(staff_title, f"With {f.contact.full_name} for {f.deal}.", f.requester_link),
        ),
        ([], [f.contact], scheduled_message(f.request, f.contact)),
    ]


def _cancelled(f: _Facts) -> list[Group]:
    title = f"Request {f.number} cancelled"
    body = f.with_note(f"The {f.what} for {f.deal} is no longer needed.")
    return [
        (f.program, [], Message(title, body, f.manager_link)),
        (f.owner, [], Message(title, body, f.owner_link)),
    ]


def _feedback(f: _Facts) -> list[Group]:
    groups: list[Group] = [
        (
            [f.request.requester],
            [],
            Message(f"How did the {f.what} for {f.deal} go?", "Please give your feedback.", f.requester_link),
        )
    ]
    if f.contact is not None:
        groups.append(([], [f.contact], feedback_message(f.request, f.contact)))
    return groups


def _escalation(f: _Facts) -> list[Group]:
    title = f"Escalated: request {f.number} waits for the account owner"
    return [(managers(), [], Message(title, f.with_note(f"{f.what} for {f.deal}."), f.manager_link))]


COMPOSERS: dict[str, Callable[[_Facts], list[Group]]] = {
    N.REQUEST_SUBMITTED: _submitted,
    N.REQUEST_ASSIGNED: _assigned,
    N.APPROVAL_NEEDED: _approval_needed,
    N.REQUEST_APPROVED: _to_requester(
        "Request {f.number} approved: {f.contact.full_name} of {f.account.name}",
        "{f.answerer} approved; the program is now asking {f.contact.full_name} for the {f.what}.",
    ),
    N.REQUEST_DECLINED: _to_requester(
        "Request {f.number} declined", "The {f.what} for {f.deal} was declined."
    ),
    N.NEEDS_INFO: _to_requester(
        "Request {f.number}: more information needed", "The program needs more information to continue."
    ),
    N.REQUEST_EXPIRED: _to_requester(
        "Request {f.number} expired", "The {f.what} for {f.deal} was not scheduled by {f.needed}."
    ),
    N.OWNER_DECLINED: _to_program(
        "{f.answerer} declined request {f.number}",
        "Choose another contact for the {f.what} for {f.deal}.",
    ),
    N.INFO_PROVIDED: _to_program(
        "Request {f.number}: information provided", "The requester answered about the {f.what} for {f.deal}."
    ),
    N.CUSTOMER_ASKED: _customer_asked,
    N.CUSTOMER_ACCEPTED: _customer_accepted,
    N.CUSTOMER_DECLINED: _customer_declined,
    N.REQUEST_SCHEDULED: _scheduled,
    N.REQUEST_CANCELLED: _cancelled,
    N.FEEDBACK_REQUESTED: _feedback,
    N.ESCALATION: _escalation,
}


def notify_request_event(*, event: RequestEvent, kinds: Iterable[str]) -> None:
    """The notifications a request history row causes (one call per row), in its transaction.

    Called by workflows.services.record_notices with the request as the transition left it.
    """
    for kind in kinds:
        for users, contacts, message in compose(kind, event):
            notify(
                kind=kind,
                key=f"event:{event.pk}:{kind}",
                message=message,
                users=users,
                contacts=contacts,
                actor=event.actor,
                event=event,
                request=event.request,
            )


def compose(kind: str, event: RequestEvent) -> list[Group]:
    """The recipients and messages of one notice kind on one history row ([] if none apply)."""
    composer = COMPOSERS.get(kind)
    facts = _Facts(event)
    if composer is None:
        return []
    if kind in (N.CUSTOMER_ASKED, N.REQUEST_SCHEDULED, N.APPROVAL_NEEDED) and facts.contact is None:
        return []
    return composer(facts)
