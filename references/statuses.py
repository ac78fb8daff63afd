"""Reference statuses of accounts and contacts, and the sets of them that rules read.

Sets are tuples in a fixed order, so the SQL built from them is the same in every process.

Kept apart from models.py so querysets, services and SQL builders name statuses without
importing the models (and the models import the querysets).
"""

from django.db import models
from django.db.models import Q


class ReferenceStatus(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    ACTIVE = "active", "Active"
    RESTING = "resting", "Resting"
    PAUSED = "paused", "Paused"
    AT_RISK = "at_risk", "At risk"
    RETIRED = "retired", "Retired"
    DEFECTED = "defected", "Defected"


# A reference in one of these may be offered and used (resting ones wait for a free slot).
USABLE_STATUSES = (ReferenceStatus.ACTIVE, ReferenceStatus.RESTING)


def valid_status(field: str = "status") -> Q:
    """The check constraint of a reference status column."""
    return Q(**{f"{field}__in": ReferenceStatus.values})
