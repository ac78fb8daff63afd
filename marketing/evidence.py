"""Evidence instead of a call: when every reference a sales search finds is at a limit, the
published assets the rep may use that fit the same criteria (its industries, products and use
cases), case studies first — "No reference is free until 12 March — these 3 case studies match".

The search page decides whether every match is held (it has the cards' live availability) and
calls `evidence_offer`, one query.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Value, When

from marketing.models import Asset
from marketing.search import AssetFilters, filter_assets
from marketing.statuses import AssetKind

# How many assets the offer shows.
OFFERED = 3


@dataclass(frozen=True)
class EvidenceOffer:
    assets: list[Asset]
    free_from: date | None  # the first day a matching reference is free; None: no day known
    filters: AssetFilters  # the criteria, for a link to the whole library search

    @property
    def noun(self) -> str:
        """What the assets are, in the plural: "case studies" when they all are, else "assets"."""
        kinds = {asset.kind for asset in self.assets}
        if kinds == {AssetKind.CASE_STUDY}:
            return "case studies" if len(self.assets) > 1 else "case study"
        return "assets" if len(self.assets) > 1 else "asset"


def evidence_offer(
    *,
    user,
    free_from: date | None,
    industry: tuple[int, ...] = (),
    product: tuple[int, ...] = (),
    use_case: tuple[int, ...] = (),
) -> EvidenceOffer | None:
    """The assets to offer a rep whose every matching reference is held until `free_from`;
    None when none fits."""
    filters = AssetFilters(industry=industry, product=product, use_case=use_case)
    case_studies_first = Case(
        When(kind=AssetKind.CASE_STUDY, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    assets = list(
        filter_assets(Asset.objects.visible_to(user).published(), filters)
        .annotate(first=case_studies_first)
        .only("pk", "title", "kind", "summary")
        .order_by("first", "-published_at", "-pk")[:OFFERED]
    )
    if not assets:
        return None
    return EvidenceOffer(assets=assets, free_from=free_from, filters=filters)
