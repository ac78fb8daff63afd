"""A search over one in-memory snapshot (matching/snapshot.py): filter, count, rank, page.

Every step is a numpy operation over whole columns — boolean masks for filters, `bincount` for
facet counts, integer arithmetic for scores, a partial sort for the page — so its cost grows with
the matched rows at C speed rather than with Python loops. The rules are the search's:

- within a facet any selected value matches, across facets all must, and a search's words all must
  (matching/text.py); `contacts` / `exclude_contacts` restrict further;
- facet counts are disjunctive: a facet's counts apply every filter but its own;
- the score is the sum of the criteria's grades × weights, the free slots' share of the cap, the
  NPS and the text points (matching/scoring.py); the order is (resting last, score descending,
  contact id), and a page continues after a `Cursor` in that order.
"""

from dataclasses import dataclass

import numpy as np

from matching.catalogue import Catalogue
from matching.facets import FACETS, FacetSpec
from matching.filters import Cursor, Filters
from matching.scoring import Target
from matching.snapshot import NO_CAP, NO_NPS, NO_USAGE, Snapshot
from matching.text import RANK_DAMPING, query_terms

_FACET_BY_KEY = {spec.key: spec for spec in FACETS}
# The sort key packs (resting, score descending, contact id) into one int64.
_SCORE_BIAS = 1 << 27
_CONTACT_BITS = 32


@dataclass(frozen=True)
class Relaxation:
    """How many results there would be without one criterion."""

    key: str  # a facet key, or "q" for the words
    label: str
    count: int


@dataclass
class Found:
    rows: list[dict]  # the page (up to `limit` rows), best first
    counts: dict[str, dict[str, int]]  # facet key → value (as text) → count; empty without facets
    total: int
    relaxations: list[Relaxation]


def run_search(
    snapshot: Snapshot,
    filters: Filters,
    target: Target,
    catalogue: Catalogue,
    *,
    after: Cursor | None,
    limit: int,
    with_facets: bool,
) -> Found:
    base, raw_of_document = _base(snapshot, filters)
    masks = {
        spec.key: _facet_mask(snapshot, spec, getattr(filters, spec.key)) for spec in filters.active_facets()
    }
    hits = _all(base, masks.values())
    counts: dict[str, dict[str, int]] = {}
    if with_facets:
        for spec in FACETS:
            scope = (
                _all(base, [m for key, m in masks.items() if key != spec.key]) if spec.key in masks else hits
            )
            counts[spec.key] = _counts(snapshot, spec, scope)
    rows = _page(snapshot, np.flatnonzero(hits), raw_of_document, target, catalogue, after, limit)
    relaxations = []
    if not rows and after is None and (masks or filters.q):
        relaxations = _relaxations(snapshot, filters, base, masks)
    return Found(rows=rows, counts=counts, total=int(np.count_nonzero(hits)), relaxations=relaxations)


# --- Filters ----------------------------------------------------------------------------------


def _base(snapshot: Snapshot, filters: Filters) -> tuple[np.ndarray, np.ndarray | None]:
    """The rows the words and the contact restrictions allow, and each document's text weight."""
    base = np.ones(snapshot.size, bool)
    raw_of_document = None
    if filters.q:
        documents, raw = _text_match(snapshot, query_terms(filters.q))
        raw_of_document = np.zeros(len(snapshot["document_account"]), np.int64)
        raw_of_document[documents] = raw
        matched = np.zeros(len(raw_of_document), bool)
        matched[documents] = True
        base = matched[snapshot["document"]]
    contact_id = snapshot["contact_id"]
    if filters.contacts:
        base &= np.isin(contact_id, np.array(filters.contacts, np.int64))
    if filters.exclude_contacts:
        base &= ~np.isin(contact_id, np.array(filters.exclude_contacts, np.int64))
    return base, raw_of_document


def _text_match(snapshot: Snapshot, terms: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The documents holding every term (sorted rows) and the sum of the terms' weights in each."""
    if not terms:
        return np.zeros(0, np.int32), np.zeros(0, np.int64)
    documents, raw = None, None
    for term in terms:
        posted, posted_raw = _postings(snapshot, term)
        if documents is None:
            documents, raw = posted, posted_raw.astype(np.int64)
            continue
        documents, mine, theirs = np.intersect1d(documents, posted, assume_unique=True, return_indices=True)
        raw = raw[mine] + posted_raw[theirs]
    return documents, raw


def _postings(snapshot: Snapshot, term: str) -> tuple[np.ndarray, np.ndarray]:
    terms = snapshot["terms"]
    at = int(np.searchsorted(terms, term))
    if at >= len(terms) or terms[at] != term:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    start, end = snapshot["term_offsets"][at], snapshot["term_offsets"][at + 1]
    return snapshot["post_document"][start:end], snapshot["post_raw"][start:end]


def _facet_mask(snapshot: Snapshot, spec: FacetSpec, values: tuple) -> np.ndarray:
    """The rows having any of `values` in the facet."""
    if spec.many:
        return _rows_listing(snapshot, spec.column, values)
    if spec.key == "language":
        wanted = {str(v) for v in values}
        codes = [code for code, name in enumerate(snapshot["languages"].tolist()) if name in wanted]
        return np.isin(snapshot["language"], np.array(codes, np.int16))
    return np.isin(snapshot[spec.column], np.array(values, np.int64))


def _rows_listing(snapshot: Snapshot, column: str, values) -> np.ndarray:
    """The rows whose id list `column` shares a value with `values`."""
    mask = np.zeros(snapshot.size, bool)
    listed = np.isin(snapshot[f"{column}_values"], np.array(values, np.int64))
    mask[snapshot.rows_of[column][listed]] = True
    return mask


def _all(base: np.ndarray, masks) -> np.ndarray:
    result = base.copy()
    for mask in masks:
        result &= mask
    return result


# --- Counts -----------------------------------------------------------------------------------


def _counts(snapshot: Snapshot, spec: FacetSpec, scope: np.ndarray) -> dict[str, int]:
    if spec.many:
        values = snapshot[f"{spec.column}_values"][scope[snapshot.rows_of[spec.column]]]
    elif spec.key == "language":
        values = snapshot["language"][scope]
    else:
        values = snapshot[spec.column][scope]
    if not len(values):
        return {}
    tally = np.bincount(values)
    present = np.flatnonzero(tally)
    if spec.key == "language":
        names = snapshot["languages"][present].tolist()
    else:
        names = [str(v) for v in present.tolist()]
    return dict(zip(names, tally[present].tolist(), strict=True))


def _relaxations(snapshot: Snapshot, filters: Filters, base: np.ndarray, masks: dict) -> list[Relaxation]:
    """Counts with each single criterion dropped, best first (for an empty result)."""
    found = []
    for key in masks:
        count = int(np.count_nonzero(_all(base, [m for other, m in masks.items() if other != key])))
        found.append(Relaxation(key=key, label=_FACET_BY_KEY[key].label, count=count))
    if filters.q:
        without_words, _raw = _base(snapshot, filters.without("q"))
        count = int(np.count_nonzero(_all(without_words, masks.values())))
        found.append(Relaxation(key="q", label=f"the words “{filters.q}”", count=count))
    return sorted((r for r in found if r.count), key=lambda r: (-r.count, r.label))


# --- Ranking and the page ---------------------------------------------------------------------


def _page(
    snapshot: Snapshot,
    rows: np.ndarray,
    raw_of_document: np.ndarray | None,
    target: Target,
    catalogue: Catalogue,
    after: Cursor | None,
    limit: int,
) -> list[dict]:
    if not len(rows):
        return []
    graded = _graded(snapshot, rows, raw_of_document, target, catalogue)
    keys = _sort_keys(snapshot["resting"][rows], graded["score"], snapshot["contact_id"][rows])
    chosen = np.arange(len(rows))
    if after is not None:
        chosen = np.flatnonzero(keys > _cursor_key(after))
    if len(chosen) > limit:
        chosen = chosen[np.argpartition(keys[chosen], limit - 1)[:limit]]
    chosen = chosen[np.argsort(keys[chosen], kind="stable")]
    return [
        _row(snapshot, int(rows[i]), {name: int(values[i]) for name, values in graded.items()})
        for i in chosen
    ]


def _graded(snapshot, rows, raw_of_document, target: Target, catalogue: Catalogue) -> dict[str, np.ndarray]:
    """The grades, cap, free slots, text points and score of `rows` (see matching/scoring.py)."""
    weights = catalogue.weights
    size_close = catalogue.neighbours("size", target.size_band_id)
    persona_close = catalogue.neighbours("persona", target.persona_id)
    graded = {
        "g_industry": _grade(snapshot["industry_id"][rows], target.industry_id, ()),
        "g_product": _product_grade(snapshot, rows, target.product_ids),
        "g_region": _grade(snapshot["region_id"][rows], target.region_id, ()),
        "g_size": _grade(snapshot["size_band_id"][rows], target.size_band_id, size_close),
        "g_persona": _grade(snapshot["persona_id"][rows], target.persona_id, persona_close),
    }
    default_cap = weights.default_cap
    own_cap = snapshot["own_cap"][rows].astype(np.int64)
    cap = np.minimum(np.where(own_cap == NO_CAP, default_cap, own_cap), default_cap)
    slots = snapshot["slots_left"][rows].astype(np.int64)
    free = np.maximum(np.minimum(np.where(slots == NO_USAGE, cap, slots), cap), 0)
    nps = snapshot["nps"][rows].astype(np.int64)
    nps = np.where(nps == NO_NPS, 0, nps)
    if raw_of_document is None:
        text = np.zeros(len(rows), np.int64)
    else:
        raw = raw_of_document[snapshot["document"][rows]]
        text = (2 * weights.text * raw) // (raw + RANK_DAMPING)
    w = weights
    score = (
        w.industry * graded["g_industry"]
        + w.product * graded["g_product"]
        + w.region * graded["g_region"]
        + w.size * graded["g_size"]
        + w.persona * graded["g_persona"]
        + np.where(cap > 0, (2 * w.availability * free) // np.maximum(cap, 1), 0)
        # Truncated toward zero, as SQL's integer division.
        + np.sign(nps) * ((2 * w.nps * np.abs(nps)) // 10)
        + text
    )
    return graded | {"cap": cap, "free": free, "t_points": text, "score": score}


def _grade(column: np.ndarray, wanted: int | None, close: tuple[int, ...]) -> np.ndarray:
    """2 where `column` is `wanted`, 1 where it is one of `close`, else 0."""
    if not wanted:
        return np.zeros(len(column), np.int64)
    grade = np.where(column == wanted, 2, 0)
    if close:
        grade = np.where((grade == 0) & np.isin(column, np.array(close, np.int64)), 1, grade)
    return grade.astype(np.int64)


def _product_grade(snapshot: Snapshot, rows: np.ndarray, products: tuple[int, ...]) -> np.ndarray:
    if not products:
        return np.zeros(len(rows), np.int64)
    return np.where(_rows_listing(snapshot, "product_ids", products)[rows], 2, 0).astype(np.int64)


def _sort_keys(resting: np.ndarray, score: np.ndarray, contact_id: np.ndarray) -> np.ndarray:
    return (
        (resting.astype(np.int64) << (_CONTACT_BITS + 28))
        | ((_SCORE_BIAS - score) << _CONTACT_BITS)
        | contact_id.astype(np.int64)
    )


def _cursor_key(cursor: Cursor) -> int:
    score = min(max(cursor.score, -_SCORE_BIAS + 1), _SCORE_BIAS - 1)
    contact = min(max(cursor.contact_id, 0), (1 << _CONTACT_BITS) - 1)
    return (int(cursor.resting) << (_CONTACT_BITS + 28)) | ((_SCORE_BIAS - score) << _CONTACT_BITS) | contact


def _row(snapshot: Snapshot, row: int, graded: dict[str, int]) -> dict:
    """One result row as the cards read it."""
    nps = int(snapshot["nps"][row])
    return {
        "contact_id": int(snapshot["contact_id"][row]),
        "account_id": int(snapshot["account_id"][row]),
        "resting": bool(snapshot["resting"][row]),
        "nps": None if nps == NO_NPS else nps,
        "industry_id": int(snapshot["industry_id"][row]),
        "region_id": int(snapshot["region_id"][row]),
        "country_id": int(snapshot["country_id"][row]),
        "size_band_id": int(snapshot["size_band_id"][row]),
        "persona_id": int(snapshot["persona_id"][row]),
        "language": snapshot.language_code(row),
        "last_activity_on": snapshot.last_activity(row),
        "product_ids": snapshot.id_list("product_ids", row),
        "use_case_ids": snapshot.id_list("use_case_ids", row),
        "competitor_ids": snapshot.id_list("competitor_ids", row),
        "activity_type_ids": snapshot.id_list("activity_type_ids", row),
        **graded,
    }
