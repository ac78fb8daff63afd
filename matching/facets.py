"""The facets of reference search: which index column each one reads, and how to count it.

Shared by the search (`matching.selectors`) and the index upkeep (`matching.indexing`, which keeps
the whole index's counts in `FacetCount`).
"""

from dataclasses import dataclass

from matching.sql import SearchDialect


@dataclass(frozen=True)
class FacetSpec:
    key: str  # the URL parameter and the Filters attribute
    label: str
    column: str  # in the search index
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


def count_member(dialect: SearchDialect, spec: FacetSpec, relation: str, where: str) -> str:
    """One facet's `(facet, value, count)` rows over `relation` (a table or CTE of index rows,
    aliased `b`) that satisfy `where`."""
    if spec.many:
        ids = dialect.ids_of_rows(spec.column, relation, where)
        value = "CAST(u.v AS TEXT)"
        return f"SELECT '{spec.key}' AS facet, {value} AS value, COUNT(*) AS n FROM ({ids}) u GROUP BY u.v"
    return (
        f"SELECT '{spec.key}', CAST(b.{spec.column} AS TEXT), COUNT(*) FROM {relation} b "
        f"WHERE {where} GROUP BY b.{spec.column}"
    )
