"""Faceted search over the content library, for marketing (every status) and sales reps (what
`Asset.objects.visible_to` lets them see): words, facets, disjunctive counts, a loaded page.

Like the reference search (`matching`): within a facet any ticked value matches, across facets all
must, and every word must appear (in the title, summary, quote or an account's name). A facet's
counts apply every filter but its own, so a reader sees what ticking one more value would add.
The library is small next to the catalogue (hundreds or thousands of rows), so this runs in SQL:

1. the facet counts, every facet at once (one UNION ALL of GROUP BYs, labels joined);
2. the rows, loaded for the list (`asset_rows`: the use count annotated, accounts and products
   prefetched — two more queries), paged by the caller (`portals.shared.paging.paginate`).

The number of queries does not grow with the rows or the values ticked.
"""

from dataclasses import dataclass, fields
from functools import reduce
from operator import and_
from urllib.parse import urlencode

from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast

from core.facets import FacetGroup, FacetValue
from marketing.models import Asset
from marketing.querysets import works_the_library
from marketing.statuses import AssetKind, AssetStatus, UsageRights
from references.models import Account, Industry, Product, UseCase


@dataclass(frozen=True)
class AssetFacet:
    key: str  # the URL parameter and the AssetFilters attribute
    label: str
    field: str  # the Asset field (a choice) or many-to-many relation it reads
    choices: type | None = None  # the TextChoices of a choice field; None for a relation
    model: type | None = None  # the related model of a relation, for its labels
    keepers_only: bool = False  # shown to the library's keepers only


FACETS: tuple[AssetFacet, ...] = (
    AssetFacet("kind", "Kind", "kind", choices=AssetKind),
    AssetFacet("status", "Status", "status", choices=AssetStatus, keepers_only=True),
    AssetFacet("rights", "Usage rights", "usage_rights", choices=UsageRights),
    AssetFacet("industry", "Industry", "industries", model=Industry),
    AssetFacet("product", "Product", "products", model=Product),
    AssetFacet("use_case", "Use case", "use_cases", model=UseCase),
    AssetFacet("account", "Customer", "accounts", model=Account),
)
FACET_BY_KEY = {facet.key: facet for facet in FACETS}


@dataclass(frozen=True)
class AssetFilters:
    """What restricts the library's rows: all the words, any value within a facet, every facet."""

    q: str = ""
    kind: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    rights: tuple[str, ...] = ()
    industry: tuple[int, ...] = ()
    product: tuple[int, ...] = ()
    use_case: tuple[int, ...] = ()
    account: tuple[int, ...] = ()

    def query_string(self) -> str:
        """These filters as the library page's query string."""
        params = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}
        return urlencode(params, doseq=True)

    def active(self) -> list[AssetFacet]:
        return [FACET_BY_KEY[f.name] for f in fields(self) if f.name != "q" and getattr(self, f.name)]


@dataclass
class AssetSearch:
    rows: QuerySet  # the matching assets, loaded for the list, in the list's order (not yet paged)
    facets: list[FacetGroup]
    total: int


def facets_for(user) -> tuple[AssetFacet, ...]:
    """The facets `user` filters by: a sales rep sees published assets only, so no status."""
    keeper = works_the_library(user)
    return tuple(facet for facet in FACETS if keeper or not facet.keepers_only)


def search_assets(*, user, filters: AssetFilters, published_only: bool = False) -> AssetSearch:
    """The assets `user` may see that match `filters`, with every facet's counts (see above);
    `published_only` for the sales library, which offers content to use, whoever opens it."""
    shown = facets_for(user)
    visible = Asset.objects.visible_to(user)
    base = _with_words(visible.published() if published_only else visible, filters.q)
    conditions = _conditions(filters)
    counts, labels = _facet_counts(base, conditions, filters, shown)
    matching = base.filter(*conditions.values())
    groups = [_group(facet, counts, labels, getattr(filters, facet.key)) for facet in shown]
    rows = asset_rows(matching, keeper=works_the_library(user))
    return AssetSearch(rows=rows, facets=groups, total=_total(counts["kind"], filters.kind))


def filter_assets(assets: QuerySet, filters: AssetFilters) -> QuerySet:
    """`assets` narrowed by `filters` (words and facets), for reads other than the library page."""
    assets = _with_words(assets, filters.q)
    return assets.filter(*_conditions(filters).values())


def asset_rows(assets: QuerySet, *, keeper: bool) -> QuerySet:
    """Assets as the library's list shows them: use count, customers and products loaded."""
    order = ("-updated_at", "-id") if keeper else ("-published_at", "-id")
    return (
        assets.annotate(use_count=Count("uses", distinct=True))
        .prefetch_related(
            Prefetch("accounts", queryset=Account.objects.only("pk", "name").order_by("name")),
            Prefetch("products", queryset=Product.objects.order_by("name")),
        )
        .order_by(*order)
    )


# --- Filters ----------------------------------------------------------------------------------


def _with_words(assets: QuerySet, q: str) -> QuerySet:
    """Assets holding every word of `q` in their title, summary, quote or a customer's name."""
    for word in q.split():
        named = Asset.accounts.through.objects.filter(asset=OuterRef("pk"), account__name__icontains=word)
        assets = assets.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(quote_text__icontains=word)
            | Exists(named)
        )
    return assets


def _conditions(filters: AssetFilters) -> dict[str, Q]:
    return {facet.key: _facet_condition(facet, getattr(filters, facet.key)) for facet in filters.active()}


def _facet_condition(facet: AssetFacet, values: tuple) -> Q:
    if facet.choices is not None:
        return Q(**{f"{facet.field}__in": values})
    linked = _through(facet).objects.filter(asset=OuterRef("pk"), **{f"{_column(facet)}__in": values})
    return Q(Exists(linked))


def _through(facet: AssetFacet):
    return getattr(Asset, facet.field).through


def _column(facet: AssetFacet) -> str:
    """The through table's column naming the related row (e.g. `product_id`)."""
    return f"{facet.model._meta.model_name}_id"


# --- Counts -----------------------------------------------------------------------------------


def _facet_counts(base, conditions: dict[str, Q], filters: AssetFilters, shown) -> tuple[dict, dict]:
    """Per facet, value → count over the assets matching every filter but the facet's own, and
    the labels of related values; plus a zero row for each ticked value (so it keeps its label
    when nothing has it). One query."""
    parts = []
    for facet in shown:
        others = [condition for key, condition in conditions.items() if key != facet.key]
        scope = base.filter(reduce(and_, others)) if others else base
        parts.append(_count_part(facet, scope))
        picked = getattr(filters, facet.key)
        if picked and facet.model is not None:
            parts.append(_picked_part(facet, picked))
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    counts: dict[str, dict[str, int]] = {facet.key: {} for facet in shown}
    labels: dict[str, dict[str, str]] = {facet.key: {} for facet in shown}
    for key, value, label, count in rows:
        value = str(value)
        counts[key][value] = max(counts[key].get(value, 0), int(count))
        labels[key][value] = label
    return counts, labels


def _count_part(facet: AssetFacet, scope: QuerySet) -> QuerySet:
    if facet.choices is not None:
        grouped = scope.order_by().values(value=Cast(F(facet.field), CharField()))
        label = Value("", output_field=CharField())
        count = Count("pk")
    else:
        column = _column(facet)
        grouped = (
            _through(facet)
            .objects.filter(asset__in=scope.order_by().values("pk"))
            .order_by()
            .values(value=Cast(F(column), CharField()))
        )
        label = Cast(F(f"{facet.model._meta.model_name}__name"), CharField())
        count = Count("asset_id")
    grouped = grouped.annotate(facet=Value(facet.key, output_field=CharField()), label=label, n=count)
    return grouped.values_list("facet", "value", "label", "n")


def _picked_part(facet: AssetFacet, picked: tuple[int, ...]) -> QuerySet:
    return (
        facet.model.objects.filter(pk__in=picked)
        .order_by()
        .annotate(
            facet=Value(facet.key, output_field=CharField()),
            value=Cast(F("pk"), CharField()),
            label=Cast(F("name"), CharField()),
            n=Value(0, output_field=IntegerField()),
        )
        .values_list("facet", "value", "label", "n")
    )


def _total(kinds: dict[str, int], picked: tuple[str, ...]) -> int:
    """How many assets match: every asset has one kind, and the kind's counts apply every other
    filter, so the ticked kinds' counts (all of them when none is ticked) add up to the total."""
    return sum(count for kind, count in kinds.items() if not picked or kind in picked)


def _group(facet: AssetFacet, counts: dict, labels: dict, picked: tuple) -> FacetGroup:
    selected = {str(v) for v in picked}
    mine = counts.get(facet.key, {})
    if facet.choices is not None:
        names = dict(facet.choices.choices)
        ordered = [v for v in facet.choices.values if v in mine or v in selected]
    else:
        names = labels.get(facet.key, {})
        ordered = sorted(set(mine) | selected, key=lambda v: (-mine.get(v, 0), names.get(v, ""), v))
    values = tuple(
        FacetValue(value=v, label=names.get(v, v), count=mine.get(v, 0), selected=v in selected)
        for v in ordered
    )
    return FacetGroup(key=facet.key, label=facet.label, values=values)
