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


def register(section: Section) -> None:
    SECTIONS[section.slug] = section


def first_slug() -> str:
    return next(iter(SECTIONS))


# The tabs, in order: each module registers its section when imported.
from portals.insights import utilization  # noqa: E402, F401

# isort: split
from portals.insights import supply  # noqa: E402, F401
