"""A search over one in-memory snapshot (matching/snapshot.py): filter, count, rank, page.

Every step is a numpy operation over whole columns — filters and facet counts over packed
bitmaps (one bit per reference for each facet value: a filter ORs a few, a count is the popcount
of an AND), integer arithmetic for scores, a partial sort for the page — so nothing loops over
references in Python. The rules are the search's:

- within a facet any selected value matches, across facets all must, and a search's words all must
  (matching/text.py); `contacts` / `exclude_contacts` restrict further;
- facet counts are disjunctive: a facet's counts apply every filter but its own;
- the score is the sum of the criteria's grades × weights, the free slots' share of the cap, the
  NPS and the text points (matching/scoring.py); the order is (resting last, score descending,
  contact id), and a page continues after a `Cursor` in that order.
"""

from dataclasses import dataclass

import numpy as np

from matching.bitmaps import all_of, count_of, counts_within, facet_mask, packed, rows_of, whole_counts
from matching.catalogue import Catalogue
from matching.facets import FACETS
from matching.filters import Cursor, Filters
from matching.scoring import Target
from matching.snapshot import LISTS, NO_CAP, NO_NPS, NO_USAGE, Snapshot
from matching.text import RANK_DAMPING, query_terms

_FACET_BY_KEY = {spec.key: spec for spec in FACETS}
# The sort key packs (resting, score descending, contact id) into one int64.
_SCORE_BIAS = 1 << 27
_CONTACT_BITS = 32
_MAX_CONTACT = 1 << _CONTACT_BITS


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
        spec.key: facet_mask(snapshot, spec, getattr(filters, spec.key)) for spec in filters.active_facets()
    }
    hits = all_of(base, masks.values())
    counts = _facet_counts(snapshot, filters, base, masks, hits) if with_facets else {}
    rows = _page(snapshot, rows_of(snapshot, hits), raw_of_document, target, catalogue, after, limit)
    relaxations = []
    if not rows and after is None and (masks or filters.q):
        relaxations = _relaxations(snapshot, filters, base, masks)
    return Found(rows=rows, counts=counts, total=count_of(hits), relaxations=relaxations)


def prepare(snapshot: Snapshot) -> None:
    """Build what every search of `snapshot` shares (each facet's bitmaps and whole-index counts)
    before it is served, so the first search after a swap is as fast as the others."""
    for spec in FACETS:
        whole_counts(snapshot, spec)


# --- Filters ----------------------------------------------------------------------------------


def _base(snapshot: Snapshot, filters: Filters) -> tuple[np.ndarray, np.ndarray | None]:
    """The rows the words and the contact restrictions allow (packed bits), and each document's
    text weight."""
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
        base &= np.isin(contact_id, _ids_array(filters.contacts))
    if filters.exclude_contacts:
        base &= ~np.isin(contact_id, _ids_array(filters.exclude_contacts))
    return packed(base), raw_of_document


def _ids_array(ids) -> np.ndarray:
    """Contact ids as an array; one no contact can have stands for any too large for it."""
    return np.array([i if 0 <= i < _MAX_CONTACT else -1 for i in ids], np.int64)


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


# --- Counts -----------------------------------------------------------------------------------


def _facet_counts(snapshot: Snapshot, filters: Filters, base, masks: dict, hits) -> dict[str, dict[str, int]]:
    """Every facet's counts: a filtered facet's without its own filter (disjunctive counts)."""
    whole_index = not (filters.q or filters.contacts or filters.exclude_contacts)
    counts = {}
    for spec in FACETS:
        others = [mask for key, mask in masks.items() if key != spec.key]
        if whole_index and not others:
            # Nothing narrows this facet: the whole index's counts, counted once per snapshot.
            counts[spec.key] = whole_counts(snapshot, spec)
        else:
            counts[spec.key] = counts_within(
                snapshot, spec, all_of(base, others) if spec.key in masks else hits
            )
    return counts


def _listed_positions(offsets: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The positions in an id list's values of every value of `rows` (CSR gather, no loop)."""
    if not len(rows):
        return np.zeros(0, np.int64)
    starts, lengths = offsets[rows], offsets[rows + 1] - offsets[rows]
    shift = starts - np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return np.repeat(shift, lengths) + np.arange(int(lengths.sum()))


def _relaxations(snapshot: Snapshot, filters: Filters, base: np.ndarray, masks: dict) -> list[Relaxation]:
    """Counts with each single criterion dropped, best first (for an empty result)."""
    found = []
    for key in masks:
        left = count_of(all_of(base, [m for other, m in masks.items() if other != key]))
        found.append(Relaxation(key=key, label=_FACET_BY_KEY[key].label, count=left))
    if filters.q:
        without_words, _raw = _base(snapshot, filters.without("q"))
        left = count_of(all_of(without_words, masks.values()))
        found.append(Relaxation(key="q", label=f"the words “{filters.q}”", count=left))
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
    graded, steady = _graded(snapshot, rows, raw_of_document, target, catalogue)
    keys = _sort_keys(_take(snapshot["resting"], rows), graded["score"], _take(snapshot["contact_id"], rows))
    chosen = np.arange(len(rows))
    if after is not None:
        chosen = np.flatnonzero(keys > _cursor_key(after))
    if len(chosen) > limit:
        chosen = chosen[np.argpartition(keys[chosen], limit - 1)[:limit]]
    chosen = chosen[np.argsort(keys[chosen], kind="stable")]
    entries = rows[chosen]
    return _rows(snapshot, entries, [_graded_row(graded, steady, i, int(rows[i])) for i in chosen])


def _graded_row(graded: dict, steady: dict, i: int, row: int) -> dict[str, int]:
    """The grades and points of the `i`th graded row, entry `row` (0 for what was not graded)."""
    values = {name: 0 if column is None else int(column[i]) for name, column in graded.items()}
    values["cap"], values["free"] = int(steady["cap"][row]), int(steady["free"][row])
    return values


def _graded(snapshot, rows, raw_of_document, target: Target, catalogue: Catalogue) -> tuple[dict, dict]:
    """The grades, cap, free slots, text points and score of `rows` (see matching/scoring.py)."""
    weights = catalogue.weights
    size_close = catalogue.neighbours("size", target.size_band_id)
    persona_close = catalogue.neighbours("persona", target.persona_id)
    graded = {
        "g_industry": _grade(_take(snapshot["industry_id"], rows), target.industry_id, ()),
        "g_product": _product_grade(snapshot, rows, target.product_ids),
        "g_region": _grade(_take(snapshot["region_id"], rows), target.region_id, ()),
        "g_size": _grade(_take(snapshot["size_band_id"], rows), target.size_band_id, size_close),
        "g_persona": _grade(_take(snapshot["persona_id"], rows), target.persona_id, persona_close),
    }
    steady = _steady(snapshot, weights)
    score = _take(steady["points"], rows).astype(np.int64)
    for column, weight in (
        ("g_industry", weights.industry),
        ("g_product", weights.product),
        ("g_region", weights.region),
        ("g_size", weights.size),
        ("g_persona", weights.persona),
    ):
        if graded[column] is not None:
            score += weight * graded[column]
    if raw_of_document is None:
        text = None
    else:
        raw = raw_of_document[_take(snapshot["document"], rows)]
        text = (2 * weights.text * raw) // (raw + RANK_DAMPING)
        score += text
    # Ungraded criteria (None), the cap and the free slots are filled in for the page's rows only.
    return graded | {"t_points": text, "score": score}, steady


def _steady(snapshot: Snapshot, weights) -> dict[str, np.ndarray]:
    """The steady points for these weights, kept in one slot: new weights replace the old."""
    key = (weights.default_cap, weights.availability, weights.nps)
    kept = snapshot.memo.get("steady")
    if kept is None or kept[0] != key:
        kept = (key, _steady_points(snapshot, weights))
        snapshot.memo["steady"] = kept
    return kept[1]


def _steady_points(snapshot: Snapshot, weights) -> dict[str, np.ndarray]:
    """Each row's cap, free slots and the points they and the NPS give: the same for every
    search until the weights, the program's cap or the snapshot change."""
    default_cap = weights.default_cap
    own_cap = snapshot["own_cap"].astype(np.int64)
    cap = np.minimum(np.where(own_cap == NO_CAP, default_cap, own_cap), default_cap)
    slots = snapshot["slots_left"].astype(np.int64)
    free = np.maximum(np.minimum(np.where(slots == NO_USAGE, cap, slots), cap), 0)
    nps = snapshot["nps"].astype(np.int64)
    nps = np.where(nps == NO_NPS, 0, nps)
    points = (
        np.where(cap > 0, (2 * weights.availability * free) // np.maximum(cap, 1), 0)
        # Truncated toward zero, as SQL's integer division.
        + np.sign(nps) * ((2 * weights.nps * np.abs(nps)) // 10)
    )
    return {"cap": cap, "free": free, "points": points.astype(np.int32)}


def _grade(column: np.ndarray, wanted: int | None, close: tuple[int, ...]) -> np.ndarray | None:
    """2 where `column` is `wanted`, 1 where it is one of `close`, else 0; None: not graded."""
    if not wanted:
        return None
    grade = np.where(column == wanted, 2, 0)
    if close:
        grade = np.where((grade == 0) & np.isin(column, np.array(close, np.int64)), 1, grade)
    return grade.astype(np.int64)


def _product_grade(snapshot: Snapshot, rows: np.ndarray, products: tuple[int, ...]) -> np.ndarray | None:
    if not products:
        return None
    listing = np.unpackbits(facet_mask(snapshot, _FACET_BY_KEY["product"], products), count=snapshot.size)
    return np.where(_take(listing, rows), 2, 0).astype(np.int64)


def _take(column: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`column` at `rows`; the column itself when `rows` is every row (a search without filters)."""
    return column if len(rows) == len(column) else column[rows]


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


_PLAIN_COLUMNS = ("contact_id", "account_id", "resting", "industry_id", "region_id", "country_id")
_PLAIN_COLUMNS += ("size_band_id", "persona_id")


def _lengths(ends: list[int]) -> list[int]:
    return [end - start for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def _rows(snapshot: Snapshot, entries: np.ndarray, graded: list[dict[str, int]]) -> list[dict]:
    """The page's result rows as the cards read them, each column gathered at once."""
    columns = {name: snapshot[name][entries].tolist() for name in _PLAIN_COLUMNS}
    columns["nps"] = [None if v == NO_NPS else v for v in snapshot["nps"][entries].tolist()]
    columns["language"] = snapshot["languages"][snapshot["language"][entries]].tolist()
    columns["last_activity_on"] = snapshot["last_activity_on"][entries].astype(object).tolist()
    for name in LISTS:
        offsets = snapshot[f"{name}_offsets"]
        values = snapshot[f"{name}_values"][_listed_positions(offsets, entries)].tolist()
        ends = np.cumsum(offsets[entries + 1] - offsets[entries]).tolist()
        columns[name] = [values[end - length : end] for end, length in zip(ends, _lengths(ends), strict=True)]
    names = list(columns)
    return [
        dict(zip(names, values, strict=True)) | grades
        for values, grades in zip(zip(*columns.values(), strict=True), graded, strict=True)
    ]
