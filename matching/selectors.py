"""Reads for reference search: one results page, its facet counts, and ranked candidates.

The public entry points. The search itself runs in memory over this process's snapshot of the
index (`matching.engine` over `matching.loaded`); the labels are in `matching.catalogue`, the
cards in `matching.cards`.

A results page is two queries, whatever its size, plus the live availability of its cards:

1. the catalogue's labels, the match weights and the newest snapshot's version (one UNION ALL);
   a newer version is loaded in the background and served from the next page on;
2. the live catalogue rows of the page's contacts — re-checked with `offerable()` (and, in a
   search for activity types, with the types they are willing to do now), so a contact who opted
   out or withdrew the type a second ago never shows even if the index has not caught up;

and, for the cards shown, the burnout limits' live figure (`limits.selectors.availability_for`,
a constant number of queries whatever the page size): what the card says is what an approval will
enforce; the snapshot's stored usage only ranks.

Facet counts are disjunctive: a facet's counts apply every filter except its own, so a rep sees
what ticking one more value of that facet would add. Contact email and phone are never read here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from core.facets import FacetGroup, FacetValue
from matching.cards import ReferenceCard, build_cards
from matching.catalogue import Catalogue, load_catalogue
from matching.engine import Relaxation, run_search
from matching.facets import FACETS
from matching.filters import Cursor, Filters
from matching.loaded import snapshot_for
from matching.scoring import Target
from references.models import Opportunity

# Re-exported: the search's public vocabulary.
__all__ = [
    "FACETS",
    "Cursor",
    "FacetGroup",
    "FacetValue",
    "Filters",
    "ReferenceCard",
    "Relaxation",
    "SearchPage",
    "Target",
    "criteria_for_request",
    "rank_candidates",
    "reference_detail",
    "search_references",
    "target_for_opportunity",
    "target_from_filters",
]

PAGE_SIZE = 20
NO_TARGET = Target()
NO_FILTERS = Filters()


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
    counted_for: int | None = None,
) -> SearchPage:
    """One page of references matching `filters`, ranked against `target` (see module doc), their
    availability counted for the activity type `counted_for` (default: the filters' only one)."""
    catalogue = load_catalogue()
    target = catalogue.complete(target)
    found = run_search(
        snapshot_for(catalogue.snapshot_version),
        filters,
        target,
        catalogue,
        after=after,
        limit=page_size + 1,
        with_facets=with_facets,
    )
    more = len(found.rows) > page_size
    rows = found.rows[:page_size]
    facets = _facet_groups(found.counts, filters, catalogue) if with_facets else []
    # A search for one activity type counts availability for that type, as its request would.
    activity = counted_for or _single_activity(filters)
    cards = (
        build_cards(
            rows,
            target,
            catalogue,
            with_text=bool(filters.q),
            activity_type_id=activity,
            willing=filters.activity,
        )
        if rows
        else []
    )
    last = rows[-1] if rows else None
    return SearchPage(
        cards=cards,
        total=found.total if with_facets else len(cards),
        facets=facets,
        next_cursor=_cursor_after(last) if more else None,
        relaxations=found.relaxations,
        target=target,
        target_labels=catalogue.describe(target),
        persona_choices=catalogue.choices("persona"),
    )


def _cursor_after(row: dict) -> Cursor:
    return Cursor(bool(row["resting"]), int(row["score"]), int(row["contact_id"]))


def rank_candidates(
    *,
    target: Target,
    filters: Filters = NO_FILTERS,
    exclude_contact_ids: Iterable[int] = (),
    limit: int = 10,
) -> list[ReferenceCard]:
    """The best `limit` offerable references for `target` (available before resting), e.g. the
    alternatives to propose for a request. Three queries; no facet counts."""
    filters = replace(
        filters, exclude_contacts=tuple(sorted({*filters.exclude_contacts, *exclude_contact_ids}))
    )
    return search_references(filters=filters, target=target, page_size=limit, with_facets=False).cards


def _single_activity(filters: Filters) -> int | None:
    return filters.activity[0] if len(filters.activity) == 1 else None


def reference_detail(
    *, contact_id: int, target: Target = NO_TARGET, activity_type_id: int | None = None
) -> ReferenceCard | None:
    """One offerable reference with its story, graded against `target`, its availability counted
    for `activity_type_id` as the search card that led here counts it; None if not offerable."""
    catalogue = load_catalogue()
    target = catalogue.complete(target)
    snapshot = snapshot_for(catalogue.snapshot_version)
    filters = Filters(contacts=(int(contact_id),))
    rows = run_search(snapshot, filters, target, catalogue, after=None, limit=1, with_facets=False).rows
    cards = build_cards(
        rows, target, catalogue, with_text=False, with_story=True, activity_type_id=activity_type_id
    )
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
