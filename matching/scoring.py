"""The match score: what it compares, its weights, and the sentence a rep reads.

Each criterion the deal gives (industry, products, region, size, the prospect contact's persona)
is graded per reference (by matching/engine.py, over whole columns): 2 = match, 1 = close (the
next size band or persona), 0 = miss.
The score is Σ weight × grade, plus availability (free slots / cap) and health (NPS), plus
free-text relevance when the search has words — all integers, so keyset pagination on
(resting, score, contact) is exact. The explanation is built from the same grades, so what the rep
reads is what ranked the result.
"""

from dataclasses import dataclass
from datetime import date

from limits.availability import Availability
from matching.models import MatchWeights


@dataclass(frozen=True)
class Target:
    """What the deal looks like; criteria left empty grade nobody."""

    industry_id: int | None = None
    product_ids: tuple[int, ...] = ()
    region_id: int | None = None
    country_id: int | None = None
    size_band_id: int | None = None
    persona_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.industry_id or self.product_ids or self.region_id or self.size_band_id or self.persona_id
        )


@dataclass(frozen=True)
class Weights:
    industry: int = 25
    product: int = 25
    region: int = 15
    size: int = 10
    persona: int = 10
    availability: int = 10
    nps: int = 5
    text: int = 10
    # The cap per contact comes from the burnout limits' policy (see matching/catalogue.py).
    default_cap: int = 4

    FIELDS = ("industry", "product", "region", "size", "persona", "availability", "nps", "text")

    @classmethod
    def from_row(cls, row: MatchWeights) -> "Weights":
        return cls(**{name: getattr(row, name) for name in cls.FIELDS})


# (grade column, target attribute, label) in the order the explanation reads.
CRITERIA = (
    ("g_industry", "industry_id", "Industry"),
    ("g_product", "product_ids", "Product"),
    ("g_region", "region_id", "Region"),
    ("g_size", "size_band_id", "Size"),
    ("g_persona", "persona_id", "Persona"),
)


def max_score(target: Target, weights: Weights, *, with_text: bool) -> int:
    """The score of a perfect reference for `target` (for the percentage shown)."""
    total = 2 * (weights.availability + weights.nps) + (2 * weights.text if with_text else 0)
    weight_of = {"g_industry": weights.industry, "g_product": weights.product, "g_region": weights.region}
    weight_of |= {"g_size": weights.size, "g_persona": weights.persona}
    for column, attr, _label in CRITERIA:
        if getattr(target, attr):
            total += 2 * weight_of[column]
    return total


# --- What the rep reads ---------------------------------------------------------------------

MARKS = {2: "✓", 1: "close", 0: "✗"}


@dataclass(frozen=True)
class Criterion:
    label: str
    grade: int  # 2 match, 1 close, 0 miss

    @property
    def state(self) -> str:
        return {2: "match", 1: "close", 0: "miss"}[self.grade]

    def __str__(self) -> str:
        if self.grade == 1:
            return f"{self.label} close"
        return f"{self.label} {MARKS[self.grade]}"


@dataclass(frozen=True)
class Explanation:
    """Why a reference ranks where it does, e.g.
    "Industry ✓ Product ✓ Region ✗ · 1 slot left — the account's cap of 6 in 90 days · NPS 9".

    The availability is the burnout limits' live figure (limits.availability.Availability), not
    the stored usage the ranking used: it is what an approval will enforce."""

    criteria: tuple[Criterion, ...] = ()
    free: int = 0
    cap: int = 0
    nps: int | None = None
    resting: bool = False
    available_from: date | None = None
    text_points: int = 0
    availability: str = ""

    def __str__(self) -> str:
        pieces = []
        if self.criteria:
            pieces.append(" ".join(str(c) for c in self.criteria))
        pieces.append(self.availability)
        if self.nps is not None:
            pieces.append(f"NPS {self.nps}")
        return " · ".join(pieces)


def explain(row: dict, target: Target, *, availability: Availability) -> Explanation:
    """The explanation of one graded result row (see `matching.engine`) and the contact's live figure."""
    criteria = tuple(
        Criterion(label, int(row[column])) for column, attr, label in CRITERIA if getattr(target, attr)
    )
    cap = int(row["cap"])
    return Explanation(
        criteria=criteria,
        free=cap if availability.slots is None else availability.slots,
        cap=cap,
        nps=row["nps"],
        resting=not availability.ok,
        available_from=availability.frees_on,
        text_points=int(row["t_points"]),
        availability=availability.slots_text,
    )
