"""What a search asks for: the filters (facets, words, contacts) and where a page ends."""

import re
from dataclasses import dataclass, replace

from matching.facets import FACETS, FacetSpec


@dataclass(frozen=True)
class Filters:
    """What restricts the results: any of the values within a facet, every facet, all the words."""

    q: str = ""
    industry: tuple[int, ...] = ()
    product: tuple[int, ...] = ()
    use_case: tuple[int, ...] = ()
    competitor: tuple[int, ...] = ()
    region: tuple[int, ...] = ()
    country: tuple[int, ...] = ()
    size: tuple[int, ...] = ()
    persona: tuple[int, ...] = ()
    language: tuple[str, ...] = ()
    activity: tuple[int, ...] = ()
    # Not facets: restrict to / leave out particular contacts (detail pages, alternatives).
    contacts: tuple[int, ...] = ()
    exclude_contacts: tuple[int, ...] = ()

    def active_facets(self) -> list[FacetSpec]:
        return [spec for spec in FACETS if getattr(self, spec.key)]

    def without(self, key: str) -> "Filters":
        return replace(self, **{key: "" if key == "q" else ()})


@dataclass(frozen=True)
class Cursor:
    """Where a page ends, in the order (resting, score descending, contact id)."""

    resting: bool
    score: int
    contact_id: int

    _FORMAT = re.compile(r"^([01])\.(-?\d{1,9})\.(\d{1,18})$")

    def __str__(self) -> str:
        return f"{int(self.resting)}.{self.score}.{self.contact_id}"

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        """The cursor of a `after` parameter; None (first page) for anything malformed."""
        match = cls._FORMAT.match(text or "")
        if not match:
            return None
        return cls(resting=match[1] == "1", score=int(match[2]), contact_id=int(match[3]))
