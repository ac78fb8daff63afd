"""Chainable queryset methods for the catalogue: who may see what starts here.

Who "may be offered" as a reference is defined once, as named conditions (`OFFERABLE`): search,
the index, requests and the approval guard all read them — `ContactQuerySet.offerable()` filters
by all of them, and `ContactQuerySet.offerable_refusal()` tells, for one contact, which one it fails
(the database evaluates the same conditions).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, Q, Value, When

from references.statuses import USABLE_STATUSES
from references.visibility import is_program_staff, runs_the_program

# An account that may be used as a reference: never defected, at risk, retired or paused.
USABLE_ACCOUNT = {"status__in": USABLE_STATUSES, "at_risk": False}


@dataclass(frozen=True)
class Offerable:
    """One condition a contact must meet to be offered: a filter on contacts, and what to tell
    when a contact fails it."""

    name: str
    condition: Q
    refusal: Callable[[Any], str]  # the contact (with its account) -> the message


def _account_refusal(contact) -> str:
    account = contact.account
    at_risk = ", at risk" if account.at_risk else ""
    return f"{account.name} cannot be used as a reference ({account.get_status_display().lower()}{at_risk})."


# In the order a refusal names them.
OFFERABLE = (
    Offerable(
        "taking_part",
        Q(preferences__opted_out=False),  # and has preferences at all
        lambda contact: f"{contact.full_name} has opted out of the reference program.",
    ),
    Offerable(
        "approachable",
        Q(preferences__paused_by_contact=False),
        lambda contact: f"{contact.full_name} has asked not to be approached for now.",
    ),
    Offerable(
        "account_usable",
        Q(**{f"account__{lookup}": value for lookup, value in USABLE_ACCOUNT.items()}),
        _account_refusal,
    ),
    Offerable(
        "usable",
        Q(status__in=USABLE_STATUSES),  # active, or resting until a slot is free
        lambda contact: (
            f"{contact.full_name} is {contact.get_status_display().lower()}, not an active reference."
        ),
    ),
)


class AccountQuerySet(models.QuerySet):
    def usable_as_reference(self) -> "AccountQuerySet":
        """Accounts that may be offered: never defected, at risk, retired or paused."""
        return self.filter(**USABLE_ACCOUNT)

    def visible_to(self, user) -> "AccountQuerySet":
        """Program staff see every account; others none."""
        return self if is_program_staff(user) else self.none()


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ContactQuerySet":
        """Program staff see every contact's row; their email and phone are a column rule
        (`references.visibility.sees_contact_details`), not a row rule."""
        return self if is_program_staff(user) else self.none()

    def offerable(self) -> "ContactQuerySet":
        """Contacts that search may offer: active or resting, not opted out or self-paused,
        at an account that is itself usable (every condition of `OFFERABLE`)."""
        return self.filter(*(offerable.condition for offerable in OFFERABLE))

    def offerable_refusal(self, contact) -> str:
        """Why `contact` may not be offered, naming the first condition of `offerable()` it fails
        ("" when it may). One query: the database evaluates each condition on the contact's row."""
        met = {
            offerable.name: Case(When(offerable.condition, then=Value(True)), default=Value(False))
            for offerable in OFFERABLE
        }
        row = self.filter(pk=contact.pk).annotate(**met).values(*met).first()
        if row is None:
            return f"{contact.full_name} is no longer in the catalogue."
        failed = [offerable for offerable in OFFERABLE if not row[offerable.name]]
        return failed[0].refusal(contact) if failed else ""


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OpportunityQuerySet":
        """A rep sees the deals they own or are on the team of; managers see all."""
        if runs_the_program(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(team=user)).distinct()


class ProgramRecordQuerySet(models.QuerySet):
    """The program's own records about customers — account notes, status history, activities,
    participation preferences, blackout dates: reference managers (and administrators) only."""

    def visible_to(self, user) -> "ProgramRecordQuerySet":
        return self if runs_the_program(user) else self.none()
