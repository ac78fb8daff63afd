"""Reads for reference search: one results page, its facet counts, and ranked candidates.

A results page is at most four queries, whatever its size:

1. the catalogue's labels and the match weights (one UNION ALL over the small taxonomy tables);
2. the page itself: graded, scored and keyset-paginated over the search index;
3. every facet's counts and the total, in one statement (a UNION ALL of grouped counts);
4. the live catalogue rows of the page's contacts — re-checked with `offerable()`, so a contact who
   opted out a second ago never shows even if the index has not caught up — or, when nothing
   matched, the counts with each single criterion dropped ("3 matches if you drop Region").

Facet counts are disjunctive: a facet's counts apply every filter except its own, so a rep sees
what ticking one more value of that facet would add. Contact email and phone are never read here.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

import pycountry
from django.db import connection

from matching.facets import FACETS, FacetSpec, count_member
from matching.indexing import WINDOW_DAYS
from matching.models import FacetCount, MatchWeights, ReferenceEntry, SearchDocument
from matching.scoring import Explanation, Target, Weights, explain, max_score, score_sql
from matching.sql import Dialect
from references.models import (
    ActivityType,
    Competitor,
    Contact,
    Country,
    Industry,
    Opportunity,
    Persona,
    Product,
    Region,
    SizeBand,
    UseCase,
)

PAGE_SIZE = 20
NO_TARGET = Target()


_FACET_BY_KEY = {spec.key: spec for spec in FACETS}


@dataclass(frozen=True)
class Filters:
    """What restricts the results: any of the values within a facet, every facet, all the words."""

    q: str = ""
    industry: tuple[int, ...] = ()
    product: tuple[int, ...] = ()
    use_case: tuple[int, ...] = ()
    competitor: tuple[int, ...] = ()
    region: tuple[int, ...] = ()
    country: tuple[int, ...] = ()
    size: tuple[int, ...] = ()
    persona: tuple[int, ...] = ()
    language: tuple[str, ...] = ()
    activity: tuple[int, ...] = ()
    # Not facets: restrict to / leave out particular contacts (detail pages, alternatives).
    contacts: tuple[int, ...] = ()
    exclude_contacts: tuple[int, ...] = ()

    def active_facets(self) -> list[FacetSpec]:
        return [spec for spec in FACETS if getattr(self, spec.key)]

    def without(self, key: str) -> "Filters":
        return replace(self, **{key: "" if key == "q" else ()})


@dataclass(frozen=True)
class Cursor:
    """Where a page ends, in the order (resting, score descending, contact id)."""

    resting: bool
    score: int
    contact_id: int

    _FORMAT = re.compile(r"^([01])\.(-?\d{1,9})\.(\d{1,18})$")

    def __str__(self) -> str:
        return f"{int(self.resting)}.{self.score}.{self.contact_id}"

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        """The cursor of a `after` parameter; None (first page) for anything malformed."""
        match = cls._FORMAT.match(text or "")
        if not match:
            return None
        return cls(resting=match[1] == "1", score=int(match[2]), contact_id=int(match[3]))


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceCard:
    """One result as a rep sees it. There is deliberately no email or phone here."""

    contact_id: int
    name: str
    title: str
    account_id: int
    account_name: str
    customer_since: date | None
    industry: str
    region: str
    country: str
    size_band: str
    persona: str
    language: str
    products: tuple[str, ...]
    use_cases: tuple[str, ...]
    competitors: tuple[str, ...]
    activity_types: tuple[tuple[int, str], ...]
    used_this_quarter: int
    last_activity_on: date | None
    resting: bool
    available_from: date | None
    score: int
    score_percent: int
    explanation: Explanation
    story: str = ""

    @property
    def activity_type_ids(self) -> tuple[int, ...]:
        return tuple(type_id for type_id, _name in self.activity_types)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    key: str
    label: str
    values: tuple[FacetValue, ...]

    @property
    def selected(self) -> tuple[FacetValue, ...]:
        return tuple(v for v in self.values if v.selected)


@dataclass(frozen=True)
class Relaxation:
    """How many results there would be without one criterion."""

    key: str  # a facet key, or "q" for the words
    label: str
    count: int


@dataclass
class SearchPage:
    cards: list[ReferenceCard]
    total: int
    facets: list[FacetGroup]
    next_cursor: Cursor | None
    relaxations: list[Relaxation] = field(default_factory=list)
    target: Target = field(default_factory=Target)
    target_labels: list[tuple[str, str]] = field(default_factory=list)
    persona_choices: list[tuple[int, str]] = field(default_factory=list)


def search_references(
    *,
    filters: Filters,
    target: Target = NO_TARGET,
    after: Cursor | None = None,
    page_size: int = PAGE_SIZE,
    with_facets: bool = True,
) -> SearchPage:
    """One page of references matching `filters`, ranked against `target` (see module doc)."""
    dialect = Dialect.current()
    catalogue = load_catalogue()
    target = catalogue.complete(target)
    rows = _result_rows(dialect, filters, target, catalogue, after=after, limit=page_size + 1)
    more = len(rows) > page_size
    rows = rows[:page_size]
    facets, total = ([], None)
    if with_facets:
        counts, total = _facet_counts(dialect, filters)
        facets = _facet_groups(counts, filters, catalogue)
    relaxations = []
    if not rows and after is None and (filters.active_facets() or filters.q):
        relaxations = _relaxations(dialect, filters)
        total = 0
    cards = _cards(rows, target, catalogue, with_text=bool(filters.q)) if rows else []
    last = rows[-1] if rows else None
    return SearchPage(
        cards=cards,
        total=total if total is not None else len(cards),
        facets=facets,
        next_cursor=Cursor(bool(last["resting"]), int(last["score"]), int(last["contact_id"]))
        if more
        else None,
        relaxations=relaxations,
        target=target,
        target_labels=catalogue.describe(target),
        persona_choices=catalogue.choices("persona"),
    )


def _cursor_after(row: dict) -> Cursor:
    return Cursor(bool(row["resting"]), int(row["score"]), int(row["contact_id"]))


def rank_candidates(
    *,
    target: Target,
    filters: Filters = Filters(),
    exclude_contact_ids: Iterable[int] = (),
    limit: int = 10,
) -> list[ReferenceCard]:
    """The best `limit` offerable references for `target` (available before resting), e.g. the
    alternatives to propose for a request. Three queries; no facet counts."""
    filters = replace(
        filters, exclude_contacts=tuple(sorted({*filters.exclude_contacts, *exclude_contact_ids}))
    )
    return search_references(filters=filters, target=target, page_size=limit, with_facets=False).cards


def reference_detail(*, contact_id: int, target: Target = NO_TARGET) -> ReferenceCard | None:
    """One offerable reference with its story, graded against `target`; None if not offerable."""
    dialect = Dialect.current()
    catalogue = load_catalogue()
    target = catalogue.complete(target)
    rows = _result_rows(dialect, Filters(contacts=(int(contact_id),)), target, catalogue, after=None, limit=1)
    cards = _cards(rows, target, catalogue, with_text=False, with_story=True)
    return cards[0] if cards else None


def target_for_opportunity(opportunity: Opportunity | None, *, persona_id: int | None = None) -> Target:
    """The deal as a scoring target (needs the opportunity's products prefetched)."""
    if opportunity is None:
        return Target(persona_id=persona_id)
    return Target(
        industry_id=opportunity.industry_id,
        product_ids=tuple(sorted(p.pk for p in opportunity.products.all())),
        country_id=opportunity.country_id,
        size_band_id=opportunity.size_band_id,
        persona_id=persona_id,
    )


def target_from_filters(filters: Filters, *, persona_id: int | None = None) -> Target:
    """Without a deal, the single values the rep filtered on are what they want."""

    def single(values: tuple) -> int | None:
        return values[0] if len(values) == 1 else None

    return Target(
        industry_id=single(filters.industry),
        product_ids=filters.product,
        region_id=single(filters.region),
        country_id=single(filters.country),
        size_band_id=single(filters.size),
        persona_id=persona_id or single(filters.persona),
    )


def criteria_for_request(reference_request) -> tuple[Target, Filters]:
    """What a reference request asks for: its deal as the target, and contacts willing to do its
    activity type. Load `opportunity` with its products prefetched to save a query."""
    target = target_for_opportunity(
        reference_request.opportunity, persona_id=reference_request.prospect_contact_role_id
    )
    return target, Filters(activity=(reference_request.activity_type_id,))


# --- The catalogue's labels and the weights (query 1) ---------------------------------------

_TAXONOMIES = (
    ("industry", Industry, "0"),
    ("product", Product, "0"),
    ("use_case", UseCase, "0"),
    ("competitor", Competitor, "0"),
    ("region", Region, "0"),
    ("country", Country, "region_id"),
    ("size", SizeBand, "0"),
    ("persona", Persona, "0"),
    ("activity", ActivityType, "0"),
)


@dataclass
class Catalogue:
    """Taxonomy names and orders, countries' regions, and the weights: what a page needs."""

    names: dict[str, dict[int, str]]
    ordered: dict[str, list[int]]
    active: dict[str, set[int]]
    country_region: dict[int, int]
    weights: Weights

    def label(self, kind: str, value) -> str:
        if kind == "language":
            return language_name(str(value))
        names = self.names[kind]
        if value in names:
            return names[value]
        return names.get(int(value), "—") if str(value).isdigit() else "—"

    def neighbours(self, kind: str, value: int | None) -> tuple[int, ...]:
        """The values next to `value` in the taxonomy's order (the "close" size band or persona)."""
        order = self.ordered.get(kind, [])
        if value not in order:
            return ()
        at = order.index(value)
        return tuple(order[i] for i in (at - 1, at + 1) if 0 <= i < len(order))

    def choices(self, kind: str) -> list[tuple[int, str]]:
        """The active values of a taxonomy, in order, as (id, name)."""
        return [(pk, self.names[kind][pk]) for pk in self.ordered.get(kind, []) if pk in self.active[kind]]

    def complete(self, target: Target) -> Target:
        """Fill the target's region from its country."""
        if target.region_id is None and target.country_id is not None:
            return replace(target, region_id=self.country_region.get(target.country_id))
        return target

    def describe(self, target: Target) -> list[tuple[str, str]]:
        """(criterion, value) pairs of the target, for "Ranked for: …"."""
        described = []
        if target.industry_id:
            described.append(("Industry", self.label("industry", target.industry_id)))
        if target.product_ids:
            described.append(("Product", ", ".join(self.label("product", p) for p in target.product_ids)))
        if target.region_id:
            described.append(("Region", self.label("region", target.region_id)))
        if target.size_band_id:
            described.append(("Size", self.label("size", target.size_band_id)))
        if target.persona_id:
            described.append(("Persona", self.label("persona", target.persona_id)))
        return described


def load_catalogue() -> Catalogue:
    """Query 1: every taxonomy row and the weights row, in one statement."""
    quote = connection.ops.quote_name
    members = [
        f"SELECT '{kind}', id, name, sort_order, {extra}, is_active FROM {quote(model._meta.db_table)}"
        for kind, model, extra in _TAXONOMIES
    ]
    weights_table = quote(MatchWeights._meta.db_table)
    members += [
        f"SELECT 'weight', 0, '{name}', {column}, 0, 1 = 1 FROM {weights_table} WHERE id = 1"
        for name, column in [*((n, n) for n in Weights.FIELDS), ("default_cap", "default_cap_per_quarter")]
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(members))
        rows = tuple(cursor.fetchall())
    return _parsed_catalogue(rows)


@lru_cache(maxsize=4)
def _parsed_catalogue(rows: tuple) -> Catalogue:
    """The catalogue of these rows; read every time, parsed only when they changed."""
    names: dict[str, dict[int, str]] = {kind: {} for kind, _m, _e in _TAXONOMIES}
    sortable: dict[str, list[tuple]] = {kind: [] for kind, _m, _e in _TAXONOMIES}
    active: dict[str, set[int]] = {kind: set() for kind, _m, _e in _TAXONOMIES}
    country_region, weight_values = {}, {}
    for kind, pk, name, sort_order, extra, is_active in rows:
        if kind == "weight":
            weight_values[name] = int(sort_order)
            continue
        names[kind][pk] = name
        sortable[kind].append((sort_order, name, pk))
        if is_active:
            active[kind].add(pk)
        if kind == "country":
            country_region[pk] = extra
    ordered = {kind: [pk for _s, _n, pk in sorted(items)] for kind, items in sortable.items()}
    weights = Weights(**weight_values) if weight_values else Weights()
    return Catalogue(names, ordered, active, country_region, weights)


@lru_cache(maxsize=256)
def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    return language.name if language else code


# --- The page (query 2) ---------------------------------------------------------------------

_ENTRY_COLUMNS = (
    "contact_id",
    "account_id",
    "resting",
    "nps",
    "used_in_window",
    "oldest_in_window",
    "last_activity_on",
    "industry_id",
    "region_id",
    "country_id",
    "size_band_id",
    "persona_id",
    "language",
    "product_ids",
    "use_case_ids",
    "competitor_ids",
    "activity_type_ids",
)


def _tables() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(ReferenceEntry._meta.db_table), quote(SearchDocument._meta.db_table)


def _conditions(
    dialect: Dialect, filters: Filters, alias: str, *, skip: str | None = None
) -> tuple[str, list]:
    """The facet filters (all but `skip`) and contact restrictions on rows of `alias`."""
    clauses, params = [], []
    for spec in filters.active_facets():
        if spec.key == skip:
            continue
        values = getattr(filters, spec.key)
        if spec.many:
            sql, sql_params = dialect.ids_overlap(f"{alias}.{spec.column}", values)
        else:
            sql = f"{alias}.{spec.column} IN ({', '.join(['%s'] * len(values))})"
            sql_params = list(values)
        clauses.append(sql)
        params.extend(sql_params)
    if filters.contacts:
        clauses.append(f"{alias}.contact_id IN ({', '.join(['%s'] * len(filters.contacts))})")
        params.extend(filters.contacts)
    if filters.exclude_contacts:
        clauses.append(f"{alias}.contact_id NOT IN ({', '.join(['%s'] * len(filters.exclude_contacts))})")
        params.extend(filters.exclude_contacts)
    return " AND ".join(clauses) or "1 = 1", params


def _source(dialect: Dialect, filters: Filters, *, ranked: bool = False) -> tuple[str, list]:
    """FROM for the index rows `e`; with words, joined to the matching documents `d` (and their
    relevance `d.rank`, computed once per account rather than once per contact)."""
    entries, documents = _tables()
    if not filters.q:
        return f"{entries} e", []
    match, match_params = dialect.text_match("x", filters.q)
    rank, rank_params = dialect.text_rank("x", filters.q) if ranked else ("0", [])
    # Fenced, so PostgreSQL does not merge it into the join and rank each account's document
    # once per contact instead of once.
    matching = f"SELECT x.account_id, {rank} AS rank FROM {documents} x WHERE {match} {dialect.fence()}"
    return f"{entries} e JOIN ({matching}) d ON d.account_id = e.account_id", [*rank_params, *match_params]


def _result_rows(
    dialect: Dialect,
    filters: Filters,
    target: Target,
    catalogue: Catalogue,
    *,
    after: Cursor | None,
    limit: int,
) -> list[dict]:
    source, source_params = _source(dialect, filters, ranked=True)
    where, where_params = _conditions(dialect, filters, "e")
    scored = score_sql(
        dialect,
        target,
        catalogue.weights,
        alias="e",
        size_neighbours=catalogue.neighbours("size", target.size_band_id),
        persona_neighbours=catalogue.neighbours("persona", target.persona_id),
        text_rank=("d.rank", []) if filters.q else None,
    )
    # Rank on the narrow key (grades, score, id) of every matching row; read the rest of the
    # row only for the page: sorting wide rows is what makes a broad search slow.
    columns = ", ".join(["e.contact_id", "e.resting", "e.nps", *scored.columns])
    graded = f"SELECT {columns} FROM {source} WHERE {where}"
    keyset, keyset_params = "", []
    if after is not None:
        keyset = (
            "WHERE s.resting > %s OR (s.resting = %s AND "
            "(s.score < %s OR (s.score = %s AND s.contact_id > %s)))"
        )
        keyset_params = [after.resting, after.resting, after.score, after.score, after.contact_id]
    page = (
        f"SELECT * FROM (SELECT g.*, {scored.score} AS score FROM ({graded}) g) s {keyset} "
        "ORDER BY s.resting, s.score DESC, s.contact_id LIMIT %s"
    )
    entries, _documents = _tables()
    details = ", ".join(f"r.{c}" for c in _ENTRY_COLUMNS if c not in ("contact_id", "resting", "nps"))
    sql = (
        f"SELECT p.*, {details} FROM ({page}) p JOIN {entries} r ON r.contact_id = p.contact_id "
        "ORDER BY p.resting, p.score DESC, p.contact_id"
    )
    params = [*scored.params, *source_params, *where_params, *keyset_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- Facet counts (query 3) -----------------------------------------------------------------


def _facet_counts(dialect: Dialect, filters: Filters) -> tuple[dict[str, dict[str, int]], int]:
    """Every facet's counts (each without its own filter) and the total, in one statement."""
    source, source_params = _source(dialect, filters)
    restrict, restrict_params = _conditions(dialect, Filters(**_restrictions(filters)), "e")
    facets = _facets_only(filters)
    hits_where, hits_params = _conditions(dialect, facets, "b")
    active = {spec.key for spec in filters.active_facets()}
    # Without words or contact restrictions, a facet no other filter narrows has the whole
    # index's counts, kept in FacetCount: read, not counted.
    whole_index = not (filters.q or filters.contacts or filters.exclude_contacts)
    members, params, counted = [], [], False
    for spec in FACETS:
        others = active - {spec.key}
        if whole_index and not others:
            members.append(_stored_counts(spec.key))
            continue
        counted = True
        if spec.key in active:
            # Counted over `base` with the other facets' filters, its own left out.
            where, where_params = _conditions(dialect, facets, "b", skip=spec.key)
            members.append(count_member(dialect, spec, "base", where))
            params.extend(where_params)
        else:
            members.append(count_member(dialect, spec, "hits", "1 = 1"))
    if whole_index and not active:
        members.append(_stored_counts(FacetCount.TOTAL))
    else:
        members.append(_hits_total())
        counted = True
    sql = " UNION ALL ".join(members)
    if counted:
        # `base`: the rows the words (and contact restrictions) allow; `hits`: those every facet
        # filter allows too, computed once for all the facets nobody filters on and the total.
        narrowed = bool(filters.q or active or filters.contacts)
        sql = (
            f"WITH base AS {dialect.materialized(bool(filters.q))} "
            f"(SELECT e.* FROM {source} WHERE {restrict}), "
            f"hits AS {dialect.materialized(narrowed)} (SELECT b.* FROM base b WHERE {hits_where}) {sql}"
        )
        params = [*source_params, *restrict_params, *hits_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {spec.key: {} for spec in FACETS}
    total = 0
    for facet, value, n in rows:
        if facet == FacetCount.TOTAL:
            total = int(n)
        else:
            counts[facet][str(value)] = int(n)
    return counts, total


def _stored_counts(facet: str) -> str:
    table = connection.ops.quote_name(FacetCount._meta.db_table)
    return f"SELECT facet, CAST(value AS TEXT), count FROM {table} WHERE facet = '{facet}'"


def _hits_total() -> str:
    return f"SELECT '{FacetCount.TOTAL}', CAST(NULL AS TEXT), COUNT(*) FROM hits b"


def _restrictions(filters: Filters) -> dict:
    return {"contacts": filters.contacts, "exclude_contacts": filters.exclude_contacts}


def _facets_only(filters: Filters) -> Filters:
    return replace(filters, q="", contacts=(), exclude_contacts=())


def _facet_groups(
    counts: dict[str, dict[str, int]], filters: Filters, catalogue: Catalogue
) -> list[FacetGroup]:
    groups = []
    for spec in FACETS:
        selected = {str(v) for v in getattr(filters, spec.key)}
        values = set(counts[spec.key]) | selected
        if spec.taxonomy:
            order = {str(pk): i for i, pk in enumerate(catalogue.ordered.get(spec.taxonomy, []))}
            ordered = sorted(values, key=lambda v, order=order: (order.get(v, len(order)), v))
        else:
            ordered = sorted(values, key=lambda v: (-counts[spec.key].get(v, 0), v))
        kind = spec.taxonomy or "language"
        facet_values = tuple(
            FacetValue(
                value=v,
                label=catalogue.label(kind, v),
                count=counts[spec.key].get(v, 0),
                selected=v in selected,
            )
            for v in ordered
        )
        groups.append(FacetGroup(key=spec.key, label=spec.label, values=facet_values))
    return groups


# --- Live rows of the page, or what to relax (query 4) --------------------------------------


def _relaxations(dialect: Dialect, filters: Filters) -> list[Relaxation]:
    """Counts with each single criterion dropped, best first, for an empty result."""
    members, params, labels = [], [], {}
    candidates = [spec.key for spec in filters.active_facets()] + (["q"] if filters.q else [])
    for key in candidates:
        relaxed = filters.without(key)
        source, source_params = _source(dialect, relaxed)
        where, where_params = _conditions(dialect, relaxed, "e")
        members.append(f"SELECT '{key}', COUNT(*) FROM {source} WHERE {where}")
        params.extend([*source_params, *where_params])
        labels[key] = _FACET_BY_KEY[key].label if key in _FACET_BY_KEY else f"the words “{filters.q}”"
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(members), params)
        rows = cursor.fetchall()
    found = [Relaxation(key=key, label=labels[key], count=int(n)) for key, n in rows if n]
    return sorted(found, key=lambda r: (-r.count, r.label))


def _cards(
    rows: list[dict], target: Target, catalogue: Catalogue, *, with_text: bool, with_story: bool = False
) -> list[ReferenceCard]:
    live = _live_contacts([int(row["contact_id"]) for row in rows], with_story)
    best = max_score(target, catalogue.weights, with_text=with_text) or 1
    cards = []
    for row in rows:
        contact = live.get(row["contact_id"])
        if contact is not None:
            cards.append(_card(row, contact, target, catalogue, best, with_story))
    return cards


_LIVE_FIELDS = ("pk", "first_name", "last_name", "title", "account__name", "account__customer_since")


def _live_contacts(ids: list[int], with_story: bool) -> dict[int, dict]:
    """Name, title and account of the contacts among `ids` who are offerable right now."""
    if not ids:
        return {}
    sql, compiled, slots = _live_contacts_sql(len(ids), with_story)
    params = list(compiled)
    for slot, contact_id in zip(slots, ids, strict=True):
        params[slot] = contact_id
    fields = (*_LIVE_FIELDS, "account__reference_story") if with_story else _LIVE_FIELDS
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: dict(zip(fields, row, strict=True)) for row in cursor.fetchall()}


@lru_cache(maxsize=64)
def _live_contacts_sql(count: int, with_story: bool) -> tuple[str, tuple, tuple[int, ...]]:
    """`ContactQuerySet.offerable()` for `count` ids, compiled once (SQL, parameters, and the
    positions of the ids among them): compiling it for every page cost more than running it."""
    sentinels = [-(n + 1) for n in range(count)]
    fields = (*_LIVE_FIELDS, "account__reference_story") if with_story else _LIVE_FIELDS
    query = Contact.objects.offerable().filter(pk__in=sentinels).order_by().values_list(*fields)
    sql, params = query.query.sql_with_params()
    slots = tuple(params.index(sentinel) for sentinel in sentinels)
    return sql, tuple(params), slots


def _card(row: dict, contact: dict, target: Target, catalogue: Catalogue, best: int, with_story: bool):
    label = catalogue.label
    resting = bool(row["resting"])
    oldest = _as_date(row["oldest_in_window"])
    available_from = oldest + timedelta(days=WINDOW_DAYS) if resting and oldest else None
    activity_ids = _ids(row["activity_type_ids"])
    return ReferenceCard(
        contact_id=contact["pk"],
        name=f"{contact['first_name']} {contact['last_name']}",
        title=contact["title"],
        account_id=int(row["account_id"]),
        account_name=contact["account__name"],
        customer_since=contact["account__customer_since"],
        industry=label("industry", row["industry_id"]),
        region=label("region", row["region_id"]),
        country=label("country", row["country_id"]),
        size_band=label("size", row["size_band_id"]),
        persona=label("persona", row["persona_id"]),
        language=label("language", row["language"]),
        products=tuple(label("product", p) for p in _ids(row["product_ids"])),
        use_cases=tuple(label("use_case", u) for u in _ids(row["use_case_ids"])),
        competitors=tuple(label("competitor", c) for c in _ids(row["competitor_ids"])),
        activity_types=tuple((a, label("activity", a)) for a in activity_ids),
        used_this_quarter=int(row["used_in_window"]),
        last_activity_on=_as_date(row["last_activity_on"]),
        resting=resting,
        available_from=available_from,
        score=int(row["score"]),
        score_percent=min(100, round(100 * int(row["score"]) / best)),
        explanation=explain(row, target, available_from=available_from),
        story=contact["account__reference_story"] if with_story else "",
    )


def _ids(value) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return sorted(int(v) for v in value)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
