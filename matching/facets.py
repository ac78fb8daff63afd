"""The facets of reference search: which index column each one reads, and how to count it.

Shared by the search form, the engine (`matching.engine`) and the pages that show the counts.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FacetSpec:
    key: str  # the URL parameter and the Filters attribute
    label: str
    column: str  # in the search index and its snapshot
    many: bool  # an id list (product, use case…) rather than one value
    taxonomy: str | None  # kind of label; None for languages


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("industry", "Industry", "industry_id", False, "industry"),
    FacetSpec("product", "Product", "product_ids", True, "product"),
    FacetSpec("use_case", "Use case", "use_case_ids", True, "use_case"),
    FacetSpec("competitor", "Competitor displaced", "competitor_ids", True, "competitor"),
    FacetSpec("region", "Region", "region_id", False, "region"),
    FacetSpec("country", "Country", "country_id", False, "country"),
    FacetSpec("size", "Company size", "size_band_id", False, "size"),
    FacetSpec("persona", "Persona", "persona_id", False, "persona"),
    FacetSpec("language", "Language", "language", False, None),
    FacetSpec("activity", "Willing to do", "activity_type_ids", True, "activity"),
)
