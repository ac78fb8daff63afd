"""The parts the request state machine is made of: who acts, what one row of the table is, and
what a guard or an effect is handed. The table itself is workflows/transitions.py, the guards and
effects workflows/guards.py, and the one function that applies a row workflows/services.py.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import User

from references.models import Contact
from requests_app.models import ReferenceRequest
from workflows.models import Task


class Actor(StrEnum):
    """How a user relates to one request; a user may hold several relations at once."""

    MANAGER = "manager"
    ACCOUNT_OWNER = "account_owner"
    REQUESTER = "requester"
    SYSTEM = "system"
    # The request's chosen contact, acting from the customer portal (never a staff user).
    CUSTOMER = "customer"


class Needs(StrEnum):
    """The input an action's form asks for (beyond the optional note)."""

    NOTHING = "nothing"
    NOTE = "note"
    CONTACT = "contact"
    SCHEDULE = "schedule"
    ASSIGNEE = "assignee"
    ACTIVITY = "activity"
    SLOTS = "slots"


# The target of "provide info": the status the request was paused from.
RESUME = "resume"


@dataclass
class TransitionContext:
    """What a guard and an effect see: the locked request, the row, who acts and what they sent.

    A guard leaves the values it cleaned in `cleaned` for the effect."""

    request: ReferenceRequest
    transition: "Transition"
    actor: User | None
    relations: frozenset[Actor]
    note: str
    payload: dict[str, Any]
    now: datetime
    cleaned: dict[str, Any] = field(default_factory=dict)
    # The customer contact acting from the portal (then `actor` is None).
    customer: Contact | None = None


# A guard raises a domain error when the move must not happen; an effect returns the request
# fields the move sets (and may write related rows in the same transaction).
Guard = Callable[[TransitionContext], None]
Effect = Callable[[TransitionContext], dict[str, Any]]


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[Actor]
    label: str
    done: str  # past tense, for history and "already approved by X"
    guard: Guard | None = None
    effect: Effect | None = None
    close_tasks_as: str = Task.Status.DONE
    notifications: tuple[str, ...] = ()
    needs: Needs = Needs.NOTHING
    style: str = ""
    # Relations that may not take the action even when they hold one of `roles` (the account
    # owner approves as the owner, never "on behalf of" themselves).
    not_for: frozenset[Actor] = frozenset()

    def open_to(self, relations: frozenset[Actor]) -> bool:
        return bool(self.roles & relations) and not self.not_for & relations

    @property
    def note_required(self) -> bool:
        return self.needs is Needs.NOTE

    @property
    def moves_tasks(self) -> bool:
        return self.target != self.source
