"""The insights pages, in the order of their tabs: each a slug, a title and a builder that turns a
`Segment` (and the reader) into key figures and tables. The first is the one at /insights/."""

from collections.abc import Callable
from dataclasses import dataclass

from insights.segments import Segment
from portals.insights.tables import SectionView


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    build: Callable[[Segment, object], SectionView]
    summary: str = ""


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    SECTIONS[section.slug] = section


def first_slug() -> str:
    return next(iter(SECTIONS))


# The tabs, in order: each module registers its section when imported (isort would sort them).
# isort: off
from portals.insights import revenue  # noqa: E402, F401
from portals.insights import utilization  # noqa: E402, F401
# isort: on
