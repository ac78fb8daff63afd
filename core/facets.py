"""What a faceted search shows beside its results, the same for every search (references in
`matching`, assets in `marketing`), so one piece of markup (`portals/sales/search_html.py`)
draws them all: per facet, each value with its label, its disjunctive count and whether it is
ticked."""

from dataclasses import dataclass


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
