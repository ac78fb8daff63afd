"""The insights pages, in the order of their tabs: each a slug, a title and a builder that turns a
`Segment` (and the reader) into key figures and tables. The first is the one at /insights/."""

from collections.abc import Callable
from dataclasses import dataclass

from portals.insights.tables import SectionView


@dataclass(frozen=True)
class Section:
    """`options`: a form of the section's own GET parameters (beside the segment's), shown in the
    filter form; its `options()` gives the keyword arguments `build` takes after the reader."""

    slug: str
    title: str
    build: Callable[..., SectionView]  # (segment, reader, **options) -> the page's figures
    summary: str = ""
    options: type | None = None


SECTIONS: dict[str, Section] = {}
# The order of the tabs (whatever the order the modules are imported in).
TAB_ORDER = ("revenue", "fulfilment", "utilization", "supply", "goals")


def register(section: Section) -> None:
    SECTIONS[section.slug] = section
    ordered = sorted(SECTIONS.values(), key=lambda each: TAB_ORDER.index(each.slug))
    SECTIONS.clear()
    SECTIONS.update((each.slug, each) for each in ordered)


def first_slug() -> str:
    return next(iter(SECTIONS))


# Each module registers its section when imported.
from portals.insights import (  # noqa: E402, F401
    fulfilment,
    goals,
    revenue,
    supply,
    utilization,
)
