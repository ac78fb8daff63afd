"""The slice of the program a figure describes: a date range and the segment filters.

Every figure reads the same `Segment`, and these filters say once what each filter means for each
kind of row, so two figures on one page never disagree about "EMEA" or "team North":

- deals (and the requests and content uses made for them): the *prospect's* industry, products
  and region; a team means deals owned by its members;
- requests: their deal's segment; the activity type asked for; a team means requests its members
  made;
- activities and contacts (the supply side): the *reference's* account's industry, products and
  region; the activity type done (for contacts: the types they are willing to do); a team means
  the accounts its members own.

Filters are subqueries (EXISTS / IN), never joins, so a deal with three products is still one row.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from insights.models import Team
from references.models import Account, Opportunity, Willingness

FILTERS = ("industry", "product", "region", "activity_type", "team")


def program_zone():
    """The zone a range's days are read in: the program's (settings.TIME_ZONE), not the reader's
    (pages run in each reader's zone), so a figure is the same number for every reader, in the
    digest and in goals."""
    return timezone.get_default_timezone()


@dataclass(frozen=True)
class Segment:
    start: date
    end: date  # inclusive
    industry: int | None = None
    product: int | None = None
    region: int | None = None
    activity_type: int | None = None
    team: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Segment":
        """The period of the same length just before this one, with the same filters."""
        return replace(self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1))

    def params(self) -> dict[str, str]:
        """The segment as query parameters (the filter form reads them back)."""
        values = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for name in FILTERS:
            if getattr(self, name) is not None:
                values[name] = str(getattr(self, name))
        return values

    @cached_property
    def _encoded(self) -> str:
        return urlencode(self.params())

    def query(self, **extra: object) -> str:
        """`start=…&end=…&industry=…` plus `extra` (None values left out; one naming a filter
        replaces it), for links. The segment's part is encoded once: a page links every row."""
        added = {key: str(value) for key, value in extra.items() if value is not None}
        if not added:
            return self._encoded
        if added.keys() & self.params().keys():
            return urlencode(self.params() | added)
        return f"{self._encoded}&{urlencode(added)}"

    def moments(self) -> tuple[datetime, datetime]:
        """The range as aware datetimes in the program's zone: [start 00:00, day after end 00:00)."""
        zone = program_zone()
        start = datetime.combine(self.start, time.min, tzinfo=zone)
        return start, datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)

    @property
    def filtered(self) -> bool:
        return any(getattr(self, name) is not None for name in FILTERS)


def _team_members(team_id: int):
    return Team.members.through.objects.filter(team_id=team_id).values("user_id")


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def _placed(segment: Segment, p: str, model, owner_key: str) -> Q:
    """Deals or accounts (prefix `p`) by industry, region, a product (through `model`'s
    products, an EXISTS) and the team of their owner."""
    q = Q()
    if segment.industry is not None:
        q &= Q(**{f"{p}industry_id": segment.industry})
    if segment.region is not None:
        q &= Q(**{f"{p}country__region_id": segment.region})
    if segment.product is not None:
        through = model.products.through.objects.filter(
            **{owner_key: OuterRef(f"{p}pk")}, product_id=segment.product
        )
        q &= Q(Exists(through))
    if segment.team is not None:
        q &= Q(**{f"{p}owner_id__in": _team_members(segment.team)})
    return q


def deal_filter(segment: Segment, path: str = "") -> Q:
    """Deals (at relation `path`) in the segment by prospect industry, products, region, team."""
    return _placed(segment, _prefix(path), Opportunity, "opportunity_id")


def request_filter(segment: Segment, path: str = "") -> Q:
    """Requests (at `path`) in the segment: their deal's segment, the activity type asked for, a
    team's requesters. With a prospect filter set, requests without a deal (campaigns) drop out."""
    p = _prefix(path)
    deal_part = Segment(
        segment.start, segment.end, industry=segment.industry, product=segment.product, region=segment.region
    )
    q = deal_filter(deal_part, f"{p}opportunity")
    if segment.activity_type is not None:
        q &= Q(**{f"{p}activity_type_id": segment.activity_type})
    if segment.team is not None:
        q &= Q(**{f"{p}requester_id__in": _team_members(segment.team)})
    return q


def account_filter(segment: Segment, path: str = "") -> Q:
    """Reference accounts (at `path`) in the segment by industry, products, region and owner team."""
    return _placed(segment, _prefix(path), Account, "account_id")


def activity_filter(segment: Segment, path: str = "") -> Q:
    """Activities (at `path`) by their reference's account segment and the type done. Dates are the
    caller's (each figure says which date it reads)."""
    p = _prefix(path)
    q = account_filter(segment, f"{p}account")
    if segment.activity_type is not None:
        q &= Q(**{f"{p}activity_type_id": segment.activity_type})
    return q


def contact_filter(segment: Segment, path: str = "") -> Q:
    """Contacts (at `path`) by their account's segment and the activity types they will do (an
    EXISTS on `Willingness`, the preferences' types with the contact on them: an index in contact
    order, no join through the preferences for every contact of the segment)."""
    p = _prefix(path)
    q = account_filter(segment, f"{p}account")
    if segment.activity_type is not None:
        willing = Willingness.objects.filter(contact=OuterRef(f"{p}pk"), activity_type=segment.activity_type)
        q &= Q(Exists(willing))
    return q
