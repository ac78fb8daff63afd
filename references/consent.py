"""The words a contact agrees to, each with a version kept in the consent ledger.

Change a text only by giving it a new version: the ledger's entries name the version the contact
saw, so the text of every version ever shown must stay readable here (keep the old ones in
`EARLIER`). Staff who record a consent on a contact's behalf record the current version: the
manager's form shows the same words.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from references.models.consent import ConsentSubject


@dataclass(frozen=True)
class Wording:
    version: str
    text: str | Promise


PROGRAM = Wording(
    "program-2026-12",
    _(
        "I take part in the reference program: its reference managers may ask me to act as a "
        "reference for prospective customers, and keep my contact details and preferences for that. "
        "I can stop at any time."
    ),
)
ACTIVITY_TYPE = Wording(
    "activity-type-2026-12",
    _("I am willing to be asked for the activities I ticked, and not for the others."),
)

CURRENT = {ConsentSubject.PROGRAM: PROGRAM, ConsentSubject.ACTIVITY_TYPE: ACTIVITY_TYPE}
EARLIER: dict[str, Wording] = {}


def wording_of(version: str) -> Wording | None:
    """The wording of a version recorded in the ledger (None for one this code never had)."""
    known = {wording.version: wording for wording in CURRENT.values()} | EARLIER
    return known.get(version)
