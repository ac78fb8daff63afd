"""The reference catalogue: customer accounts, their contacts, taxonomies, deals and activities.

One module per part (taxonomies, accounts, contacts, deals); everything is importable from here.
Rules that must always hold live on the models as database constraints, so bad rows are refused
by the database itself and not only by forms.
"""

from references.models.accounts import Account, AccountNote, NoteKind
from references.models.consent import ConsentEntry, ConsentMethod, ConsentSubject
from references.models.contacts import (
    BlackoutPeriod,
    Contact,
    ParticipationPreferences,
    PreferredChannel,
    StatusChange,
    Willingness,
)
from references.models.deals import CurrencyRate, DealOutcome, DealStage, Opportunity, ReferenceActivity
from references.models.taxonomies import (
    ActivityType,
    Competitor,
    Country,
    Industry,
    Persona,
    Product,
    Region,
    SizeBand,
    Taxonomy,
    UseCase,
)
from references.statuses import ReferenceStatus

__all__ = [
    "Account",
    "AccountNote",
    "ActivityType",
    "BlackoutPeriod",
    "Competitor",
    "ConsentEntry",
    "ConsentMethod",
    "ConsentSubject",
    "Contact",
    "Country",
    "CurrencyRate",
    "DealOutcome",
    "DealStage",
    "Industry",
    "NoteKind",
    "Opportunity",
    "ParticipationPreferences",
    "Persona",
    "PreferredChannel",
    "Product",
    "ReferenceActivity",
    "ReferenceStatus",
    "Region",
    "SizeBand",
    "StatusChange",
    "Taxonomy",
    "UseCase",
    "Willingness",
]
