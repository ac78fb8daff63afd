"""The request state machine, as one declarative table.

Each row says: from which status an action leads to which status, who may take it, the guard that
must pass, the effect on the request's fields, how the tasks of the status being left end, and the
notifications the move causes. `workflows.services.request_transition` is the only code that
applies a row; the buttons on every page come from `available_transitions`, so what a user sees
is exactly what the service will accept.

Tasks follow statuses: leaving a status closes the request's open tasks (as `close_tasks_as`),
entering a status opens the first workflow step bound to it (see workflows.tasking). A row whose
target is its source (reassign, reschedule) leaves the tasks alone.
"""

from collections.abc import Iterable

from core.roles import Role, has_role
from references.models import Contact
from requests_app.models import ReferenceRequest
from requests_app.statuses import OPEN_STATUSES, RequestStatus
from workflows import asks
from workflows import guards as g
from workflows.machine import RESUME, Actor, Needs, Transition
from workflows.models import NoticeKind, Task

S = RequestStatus
N = NoticeKind
SKIPPED = Task.Status.SKIPPED


def _rows(sources: Iterable[str], action: str, target: str | None, roles: set[Actor], **options):
    """One row per source status; `target=None` keeps the status (a self-transition)."""
    return [Transition(s, action, target or s, frozenset(roles), **options) for s in sources]


M, OWN, R, SYS, CUST = Actor.MANAGER, Actor.ACCOUNT_OWNER, Actor.REQUESTER, Actor.SYSTEM, Actor.CUSTOMER
# Where the program decides on a request: it can approve it with a contact or decline it.
TRIAGE = (S.SUBMITTED, S.IN_REVIEW)
BEFORE_SCHEDULED = tuple(s for s in OPEN_STATUSES if s != S.SCHEDULED)

# fmt: off
TABLE: tuple[Transition, ...] = (
    *_rows([S.SUBMITTED], "claim", S.IN_REVIEW, {M}, label="Claim", done="claimed", effect=g.assign_actor),
    *_rows(
        OPEN_STATUSES, "reassign", None, {M}, label="Reassign", done="reassigned",
        guard=g.assignee_is_manager, effect=g.assign_manager, needs=Needs.ASSIGNEE,
        notifications=(N.REQUEST_ASSIGNED,),
    ),
    *_rows(
        TRIAGE, "approve", S.AWAITING_OWNER, {M}, label="Approve with contact", done="approved",
        guard=g.contact_available, effect=g.choose_contact, needs=Needs.CONTACT, style="primary",
        notifications=(N.APPROVAL_NEEDED,),
    ),
    *_rows(
        TRIAGE, "decline", S.DECLINED, {M}, label="Decline", done="declined", needs=Needs.NOTE,
        close_tasks_as=SKIPPED, style="danger", notifications=(N.REQUEST_DECLINED,),
    ),
    *_rows(
        TRIAGE, "ask_info", S.NEEDS_INFO, {M}, label="Ask requester for info",
        done="sent back for information", effect=g.remember_resume, needs=Needs.NOTE,
        close_tasks_as=SKIPPED, notifications=(N.NEEDS_INFO,),
    ),
    *_rows(
        [S.NEEDS_INFO], "provide_info", RESUME, {R, M}, label="Provide the information",
        done="answered", effect=g.resume, needs=Needs.NOTE, style="primary",
        notifications=(N.INFO_PROVIDED,),
    ),
    *_rows(
        [S.AWAITING_OWNER], "owner_approve", S.CUSTOMER_ASKED, {OWN}, label="Approve",
        done="approved for the account", guard=g.chosen_contact_available,
        effect=asks.issue_verification_code, style="primary",
        notifications=(N.REQUEST_APPROVED, N.CUSTOMER_ASKED),
    ),
    # When the owner cannot answer (away, gone, never signed in), a manager approves or declines
    # for them, with a reason; the history names the owner (or reassigns the account's owner).
    *_rows(
        [S.AWAITING_OWNER], "approve_for_owner", S.CUSTOMER_ASKED, {M}, not_for=frozenset({OWN}),
        label="Approve on behalf of the owner", done="approved on behalf of the account owner",
        guard=g.approval_for_owner, effect=asks.issue_verification_code, needs=Needs.NOTE,
        style="primary", notifications=(N.REQUEST_APPROVED, N.CUSTOMER_ASKED),
    ),
    *_rows(
        [S.AWAITING_OWNER], "owner_decline", S.IN_REVIEW, {OWN}, label="Decline",
        done="declined for the account", effect=g.clear_contact, needs=Needs.NOTE,
        close_tasks_as=SKIPPED, style="danger", notifications=(N.OWNER_DECLINED,),
    ),
    *_rows(
        [S.AWAITING_OWNER], "decline_for_owner", S.IN_REVIEW, {M}, not_for=frozenset({OWN}),
        label="Decline on behalf of the owner", done="declined on behalf of the account owner",
        guard=g.on_behalf_of_owner, effect=g.clear_contact, needs=Needs.NOTE,
        close_tasks_as=SKIPPED, style="danger", notifications=(N.OWNER_DECLINED,),
    ),
    *_rows(
        [S.CUSTOMER_ASKED], "schedule", S.SCHEDULED, {M}, label="Schedule", done="scheduled",
        guard=g.schedule_given, effect=g.set_schedule, needs=Needs.SCHEDULE, style="primary",
        notifications=(N.REQUEST_SCHEDULED,),
    ),
    *_rows(
        [S.CUSTOMER_ASKED], "customer_decline", S.IN_REVIEW, {M}, label="Customer declined",
        done="marked as declined by the customer", effect=g.clear_contact, needs=Needs.NOTE,
        close_tasks_as=SKIPPED, notifications=(N.CUSTOMER_DECLINED,),
    ),
    # The customer answers the ask in their portal: accepts by offering times (the manager then
    # schedules one of them) or declines, with or without a reason.
    *_rows(
        [S.CUSTOMER_ASKED], "accept_ask", None, {CUST}, label="Accept and offer times",
        done="accepted and offered times", guard=asks.slots_given, effect=asks.store_slots,
        needs=Needs.SLOTS, style="primary", notifications=(N.CUSTOMER_ACCEPTED,),
    ),
    *_rows(
        [S.CUSTOMER_ASKED], "decline_ask", S.IN_REVIEW, {CUST}, label="Decline", done="declined the ask",
        effect=g.clear_contact, close_tasks_as=SKIPPED, style="danger",
        notifications=(N.CUSTOMER_DECLINED,),
    ),
    *_rows(
        [S.SCHEDULED], "reschedule", None, {M}, label="Reschedule", done="rescheduled",
        guard=g.schedule_given, effect=g.set_schedule, needs=Needs.SCHEDULE,
        notifications=(N.REQUEST_SCHEDULED,),
    ),
    *_rows(
        [S.CUSTOMER_ASKED, S.SCHEDULED], "record_activity", S.COMPLETED, {M, R},
        label="Record the activity", done="recorded as done", guard=g.activity_details,
        effect=g.record_activity, needs=Needs.ACTIVITY, style="primary",
        notifications=(N.FEEDBACK_REQUESTED,),
    ),
    *_rows(
        [S.COMPLETED], "close", S.CLOSED, {M, R, SYS}, label="Close", done="closed",
        guard=g.feedback_or_manager,
    ),
    *_rows(
        BEFORE_SCHEDULED, "cancel", S.CANCELLED, {R, M}, label="Cancel request", done="cancelled",
        needs=Needs.NOTE, close_tasks_as=SKIPPED, style="danger",
        notifications=(N.REQUEST_CANCELLED,),
    ),
    *_rows(
        [S.SCHEDULED], "cancel", S.CANCELLED, {M}, label="Cancel request", done="cancelled",
        needs=Needs.NOTE, close_tasks_as=SKIPPED, style="danger",
        notifications=(N.REQUEST_CANCELLED,),
    ),
    *_rows(
        BEFORE_SCHEDULED, "expire", S.EXPIRED, {SYS}, label="Expire", done="expired",
        guard=g.past_needed_by, close_tasks_as=SKIPPED, notifications=(N.REQUEST_EXPIRED,),
    ),
)
# fmt: on

_BY_KEY = {(t.source, t.action): t for t in TABLE}
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TABLE))
_FIRST_ROW = {t.action: t for t in reversed(TABLE)}


def statuses_where(*actions: str) -> tuple[str, ...]:
    """The statuses in which one of `actions` is possible, in RequestStatus order."""
    unknown = set(actions) - set(ACTIONS)
    if unknown:
        raise ValueError(f"Not actions of the transition table: {', '.join(sorted(unknown))}")
    sources = {t.source for t in TABLE if t.action in actions}
    return tuple(status for status in RequestStatus if status in sources)


# Statuses left by an approval decision: their approval tasks are answered by approving or
# declining the request, never ticked off on a task list.
APPROVAL_STATUSES = statuses_where("approve", "owner_approve", "approve_for_owner")
# Requests the program has not decided on yet: it can approve them, or it waits for the
# requester's information before it can (the managers' inbox, "to triage").
UNDECIDED = statuses_where("approve", "provide_info")
# Requests the sweep expires once past their needed-by date.
EXPIRABLE = statuses_where("expire")

# How a request usually reaches each status from "submitted" (the demo and the tests drive
# requests along these); checked against the table below when the module loads.
USUAL_PATH: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (),
    S.IN_REVIEW: ("claim",),
    S.NEEDS_INFO: ("claim", "ask_info"),
    S.AWAITING_OWNER: ("claim", "approve"),
    S.CUSTOMER_ASKED: ("claim", "approve", "owner_approve"),
    S.SCHEDULED: ("claim", "approve", "owner_approve", "schedule"),
    S.COMPLETED: ("claim", "approve", "owner_approve", "schedule", "record_activity"),
    S.CLOSED: ("claim", "approve", "owner_approve", "schedule", "record_activity", "close"),
    S.DECLINED: ("claim", "decline"),
    S.CANCELLED: ("cancel",),
    S.EXPIRED: ("expire",),
}


def _check_usual_paths() -> None:
    for status, path in USUAL_PATH.items():
        at = S.SUBMITTED
        for action in path:
            row = _BY_KEY.get((at, action))
            if row is None:
                raise ValueError(f"USUAL_PATH to {status}: “{action}” is not possible from {at}.")
            at = row.target
        if at != status:
            raise ValueError(f"USUAL_PATH to {status} ends in {at}.")


_check_usual_paths()

# Notices recorded when a request is submitted (workflows.services.open_workflow_tasks).
SUBMIT_NOTIFICATIONS: tuple[str, ...] = (N.REQUEST_SUBMITTED,)

# History rows the services write without a status change, with their past tense.
OTHER_EVENT_WORDS = {
    "submit": "submitted",
    "escalate": "escalated",
    "feedback": "gave feedback",
    "task_done": "finished a task",
    "task_reassigned": "reassigned a task",
    "owner_changed": "handed the approval to the account's new owner",
    "customer_brief": "changed the brief the customer reads",
}


def find_transition(status: str, action: str) -> Transition | None:
    return _BY_KEY.get((status, action))


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TABLE if t.source == status]


def action_label(action: str) -> str:
    row = _FIRST_ROW.get(action)
    return row.label if row else action.replace("_", " ")


def past_tense(action: str) -> str:
    row = _FIRST_ROW.get(action)
    return row.done if row else OTHER_EVENT_WORDS.get(action, action.replace("_", " "))


def actor_relations(request: ReferenceRequest, user, customer: Contact | None = None) -> frozenset[Actor]:
    """How `user` relates to `request` (None is the system), or how `customer` — a contact acting
    from the portal — does: the customer only while they are the request's chosen contact.
    Needs chosen_contact__account loaded."""
    if customer is not None:
        if user is not None:
            raise ValueError("A move is taken by a staff user or by a customer, not both.")
        is_chosen = request.chosen_contact_id is not None and customer.pk == request.chosen_contact_id
        return frozenset({Actor.CUSTOMER}) if is_chosen else frozenset()
    if user is None:
        return frozenset({Actor.SYSTEM})
    relations = set()
    if has_role(user, Role.MANAGER):
        relations.add(Actor.MANAGER)
    if request.requester_id == user.pk:
        relations.add(Actor.REQUESTER)
    contact = request.chosen_contact
    if contact is not None and contact.account.owner_id == user.pk:
        relations.add(Actor.ACCOUNT_OWNER)
    return frozenset(relations)


def available_transitions(request: ReferenceRequest, user) -> list[Transition]:
    """The actions `user` may offer on `request` now: the buttons to show."""
    relations = actor_relations(request, user)
    return [t for t in transitions_from(request.status) if t.open_to(relations)]
