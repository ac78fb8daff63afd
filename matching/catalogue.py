"""The catalogue's labels and the match weights, read in one query for every search page."""

import copy
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pycountry
from django.db import connection

from limits.models import LimitPolicy
from matching.models import MatchWeights, SearchSnapshot
from matching.scoring import Target, Weights
from references.models import (
    ActivityType,
    Competitor,
    Country,
    Industry,
    Persona,
    Product,
    Region,
    SizeBand,
    UseCase,
)

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
    # The newest published search snapshot, (id, digest); (0, "") when none is.
    snapshot_version: tuple[int, str] = field(default=(0, ""))

    def label(self, kind: str, value) -> str:
        if kind == "language":
            return language_name(str(value))
        names = self.names[kind]
        if value in names:
            return names[value]
        # Facet values come as ids in text (the counts' keys, the parsed filters): matched as text.
        return self._names_by_text(kind).get(str(value), "—")

    def _names_by_text(self, kind: str) -> dict[str, str]:
        cache = self.__dict__.setdefault("_by_text", {})
        if kind not in cache:
            cache[kind] = {str(pk): name for pk, name in self.names[kind].items()}
        return cache[kind]

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
    """Query 1: every taxonomy row, the weights row, the program's cap per contact and the newest
    search snapshot's version, in one statement."""
    quote = connection.ops.quote_name
    members = [
        f"SELECT '{kind}', id, name, sort_order, {extra}, is_active FROM {quote(model._meta.db_table)}"
        for kind, model, extra in _TAXONOMIES
    ]
    weights_table = quote(MatchWeights._meta.db_table)
    members += [
        f"SELECT 'weight', 0, '{name}', {name}, 0, 1 = 1 FROM {weights_table} WHERE id = 1"
        for name in Weights.FIELDS
    ]
    # The cap per contact is the burnout limits' (limits.LimitPolicy), not a setting of search.
    policy_table = quote(LimitPolicy._meta.db_table)
    members.append(
        f"SELECT 'weight', 0, 'default_cap', contact_max, 0, 1 = 1 FROM {policy_table} WHERE id = 1"
    )
    snapshots = quote(SearchSnapshot._meta.db_table)
    members.append(
        f"SELECT 'snapshot', id, digest, 0, 0, 1 = 1 FROM {snapshots} "
        f"WHERE id = (SELECT MAX(id) FROM {snapshots})"
    )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(members))
        rows = cursor.fetchall()
    version = next(((pk, name) for kind, pk, name, *_rest in rows if kind == "snapshot"), (0, ""))
    catalogue = _parsed_catalogue(tuple(row for row in rows if row[0] != "snapshot"))
    # A shallow copy keeps the parsed catalogue's label caches, shared by every page.
    catalogue = copy.copy(catalogue)
    catalogue.snapshot_version = version
    return catalogue


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
