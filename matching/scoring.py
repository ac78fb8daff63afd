"""The match score: what it compares, its SQL, and the sentence a rep reads.

Each criterion the deal gives (industry, products, region, size, the prospect contact's persona)
is graded per reference in SQL: 2 = match, 1 = close (the next size band or persona), 0 = miss.
The score is Σ weight × grade, plus availability (free slots / cap) and health (NPS), plus
free-text relevance when the search has words — all integers, so keyset pagination on
(resting, score, contact) is exact. The explanation is built from the same grades, so what the rep
reads is what ranked the result.
"""

from dataclasses import dataclass
from datetime import date

from core.dates import day_text
from matching.models import MatchWeights
from matching.sql import SearchDialect


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
GRADE_COLUMNS = tuple(column for column, _attr, _label in CRITERIA)


@dataclass(frozen=True)
class ScoreSQL:
    """The SELECT items of the graded inner query and the score over them."""

    columns: list[str]
    params: list
    score: str


def score_sql(
    dialect: SearchDialect,
    target: Target,
    weights: Weights,
    *,
    alias: str,
    usage: str,
    size_neighbours: tuple[int, ...] = (),
    persona_neighbours: tuple[int, ...] = (),
    text_rank: tuple[str, list] | None = None,
) -> ScoreSQL:
    """SQL for the grades, cap, free slots and text points of each row of `alias`, and the score.

    `usage` is the alias of the row of limits.ContactUsage LEFT JOINed to each entry: its
    `slots_left` (the burnout-limits job's count under the tightest limit) gives the free slots;
    no row means nothing used. `score` refers to the columns by name, so it goes one query level
    above `columns`.
    """
    columns, params = [], []

    def add(sql: str, sql_params: list) -> None:
        columns.append(sql)
        params.extend(sql_params)

    e = alias
    add(*_graded(f"{e}.industry_id", target.industry_id, (), "g_industry"))
    if target.product_ids:
        overlap, overlap_params = dialect.ids_overlap(f"{e}.product_ids", target.product_ids)
        add(f"CASE WHEN {overlap} THEN 2 ELSE 0 END AS g_product", overlap_params)
    else:
        add("0 AS g_product", [])
    add(*_graded(f"{e}.region_id", target.region_id, (), "g_region"))
    add(*_graded(f"{e}.size_band_id", target.size_band_id, size_neighbours, "g_size"))
    add(*_graded(f"{e}.persona_id", target.persona_id, persona_neighbours, "g_persona"))
    # The contact's own cap wins when lower than the program's (limits.LimitPolicy.contact_max).
    cap = dialect.least(f"COALESCE({e}.own_cap, %s)", "%s")
    add(f"{cap} AS cap", [weights.default_cap] * 2)
    free = dialect.greatest(dialect.least(f"COALESCE({usage}.slots_left, {cap})", cap), "0")
    add(f"{free} AS free", [weights.default_cap] * 4)
    if text_rank:
        rank_sql, rank_params = text_rank
        add(f"CAST({2 * weights.text} * {rank_sql} AS INTEGER) AS t_points", rank_params)
    else:
        add("0 AS t_points", [])
    w = weights
    score = (
        f"{w.industry} * g_industry + {w.product} * g_product + {w.region} * g_region "
        f"+ {w.size} * g_size + {w.persona} * g_persona "
        f"+ CASE WHEN cap > 0 THEN ({2 * w.availability} * free) / cap ELSE 0 END "
        f"+ ({2 * w.nps} * COALESCE(nps, 0)) / 10 + t_points"
    )
    return ScoreSQL(columns=columns, params=params, score=score)


def _graded(column: str, wanted: int | None, neighbours: tuple[int, ...], name: str) -> tuple[str, list]:
    """2 when `column` is `wanted`, 1 when it is one of its `neighbours`, else 0."""
    if not wanted:
        return f"0 AS {name}", []
    if not neighbours:
        return f"CASE WHEN {column} = %s THEN 2 ELSE 0 END AS {name}", [wanted]
    marks = ", ".join(["%s"] * len(neighbours))
    sql = f"CASE WHEN {column} = %s THEN 2 WHEN {column} IN ({marks}) THEN 1 ELSE 0 END AS {name}"
    return sql, [wanted, *neighbours]


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
    "Industry ✓ Product ✓ Region ✗ · 2 of 4 slots free this quarter · NPS 9"."""

    criteria: tuple[Criterion, ...] = ()
    free: int = 0
    cap: int = 0
    nps: int | None = None
    resting: bool = False
    available_from: date | None = None
    text_points: int = 0

    @property
    def availability(self) -> str:
        when = f" · available from {day_text(self.available_from)}" if self.available_from else ""
        if self.resting:
            return f"Resting{when}"
        return f"{self.free} of {self.cap} slots free this quarter{when}"

    def __str__(self) -> str:
        pieces = []
        if self.criteria:
            pieces.append(" ".join(str(c) for c in self.criteria))
        pieces.append(self.availability)
        if self.nps is not None:
            pieces.append(f"NPS {self.nps}")
        return " · ".join(pieces)


def explain(row: dict, target: Target, *, available_from: date | None) -> Explanation:
    """The explanation of one graded result row (see `score_sql`)."""
    criteria = tuple(
        Criterion(label, int(row[column])) for column, attr, label in CRITERIA if getattr(target, attr)
    )
    return Explanation(
        criteria=criteria,
        free=int(row["free"]),
        cap=int(row["cap"]),
        nps=row["nps"],
        resting=bool(row["resting"]),
        available_from=available_from,
        text_points=int(row["t_points"]),
    )
