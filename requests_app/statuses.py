"""The statuses of reference requests and nominations, and the sets of them that rules read.

Which action is possible in which status is the transition table's (workflows/transitions.py);
these sets say what a status means to the rest of the program. Tuples in a fixed order, so the
SQL built from them is the same in every process.
"""

from django.db import models


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    NEEDS_INFO = "needs_info", "Needs info"
    AWAITING_OWNER = "awaiting_owner", "Awaiting account owner"
    CUSTOMER_ASKED = "customer_asked", "Customer asked"
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


S = RequestStatus

# A request still wants something to happen.
OPEN_STATUSES = (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.AWAITING_OWNER, S.CUSTOMER_ASKED, S.SCHEDULED)
# Approved with a chosen contact and not yet held: the request holds one of the contact's slots
# under the burnout limits (it counts from today, its date not being known yet).
COMMITTED_STATUSES = (S.AWAITING_OWNER, S.CUSTOMER_ASKED, S.SCHEDULED)
# The requester may see the chosen contact's email and phone.
APPROVED_STATUSES = (S.CUSTOMER_ASKED, S.SCHEDULED, S.COMPLETED, S.CLOSED)
# The activity is done: the requester can tell how it went.
FEEDBACK_STATUSES = (S.COMPLETED, S.CLOSED)


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    QUALIFYING = "qualifying", "Qualifying"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Declined"


class NominationSource(models.TextChoices):
    """Who proposed the customer: a colleague from the sales portal, or the customer themselves
    on the public "become a reference" page."""

    SALES = "sales", "Sales portal"
    PUBLIC = "public", "Volunteered (public page)"


class OwnerConsent(models.TextChoices):
    """The account owner's word on a nomination of one of their accounts."""

    NOT_ASKED = "", "Not asked"
    ASKED = "asked", "Asked"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_NEEDED = "not_needed", "Not needed (no owner)"


# A nomination waiting for the program's decision.
NOMINATION_PENDING = (NominationStatus.SUBMITTED, NominationStatus.QUALIFYING)
# The owner's word that lets a nomination be accepted.
CONSENT_CLEARED = (OwnerConsent.GIVEN, OwnerConsent.NOT_NEEDED)
