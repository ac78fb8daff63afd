"""Result cards: a ranked row of the index plus the live catalogue row of its contact.

Re-reading the page's contacts through `ContactQuerySet.offerable()` means a contact who opted out
a moment ago never shows, even before the index catches up; a search for activity types re-reads
too that the contact is still willing to do one of them (`willing`), so withdrawing a type in the
portal takes them out of that search at once. Email and phone are never read.

The availability a card shows is the burnout limits' live figure for the page's contacts
(`limits.selectors.availability_for`, a constant number of queries): the one the approval will
enforce. The index's stored usage only ranks and orders the results.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from limits.availability import Availability
from limits.selectors import availability_for
from matching.catalogue import Catalogue
from matching.scoring import Explanation, Target, explain, max_score
from references.models import Contact, ParticipationPreferences


@dataclass(frozen=True)
class ReferenceCard:
    """One result as a rep sees it. There is deliberately no email or phone here."""

    contact_id: int
    name: str
    title: str
    account_id: int
    account_name: str
    customer_since: date | None
    industry: str
    region: str
    country: str
    size_band: str
    persona: str
    language: str
    products: tuple[str, ...]
    use_cases: tuple[str, ...]
    competitors: tuple[str, ...]
    activity_types: tuple[tuple[int, str], ...]
    used_in_window: int  # the live count of the contact's own slots used in the last `window_days`
    window_days: int
    last_activity_on: date | None
    resting: bool
    available_from: date | None
    score: int
    score_percent: int
    explanation: Explanation
    story: str = ""

    @property
    def activity_type_ids(self) -> tuple[int, ...]:
        return tuple(type_id for type_id, _name in self.activity_types)


def build_cards(
    rows: list[dict],
    target: Target,
    catalogue: Catalogue,
    *,
    with_text: bool,
    with_story: bool = False,
    activity_type_id: int | None = None,
    willing: tuple[int, ...] = (),
) -> list[ReferenceCard]:
    """The cards of `rows`, their availability counted for an `activity_type_id` activity (None:
    any that uses a slot); with `willing`, only contacts still willing to do one of those types."""
    live = _live_contacts([int(row["contact_id"]) for row in rows], with_story, tuple(willing))
    best = max_score(target, catalogue.weights, with_text=with_text) or 1
    answers = availability_for(live, activity_type=activity_type_id, on_date=timezone.localdate())
    cards = []
    for row in rows:
        contact = live.get(row["contact_id"])
        if contact is not None:
            cards.append(_card(row, contact, target, catalogue, best, with_story, answers[contact["pk"]]))
    return cards


_LIVE_FIELDS = ("pk", "first_name", "last_name", "title", "account__name", "account__customer_since")


def _live_contacts(ids: list[int], with_story: bool, willing: tuple[int, ...] = ()) -> dict[int, dict]:
    """Name, title and account of the contacts among `ids` who are offerable right now (and
    willing to do one of the activity types `willing`, when given)."""
    if not ids:
        return {}
    sql, compiled, slots = _live_contacts_sql(len(ids), with_story, len(willing))
    params = list(compiled)
    for slot, value in zip(slots, [*ids, *willing], strict=True):
        params[slot] = value
    fields = (*_LIVE_FIELDS, "account__reference_story") if with_story else _LIVE_FIELDS
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: dict(zip(fields, row, strict=True)) for row in cursor.fetchall()}


@lru_cache(maxsize=64)
def _live_contacts_sql(count: int, with_story: bool, types: int = 0) -> tuple[str, tuple, tuple[int, ...]]:
    """`ContactQuerySet.offerable()` for `count` ids (and willing to do one of `types` activity
    types), compiled once (SQL, parameters, and the positions of the ids, then of the types, among
    them): compiling it for every page cost more than running it."""
    sentinels = [-(n + 1) for n in range(count)]
    type_sentinels = [-(10**12 + n) for n in range(types)]
    fields = (*_LIVE_FIELDS, "account__reference_story") if with_story else _LIVE_FIELDS
    query = Contact.objects.offerable().filter(pk__in=sentinels)
    if types:
        willing = ParticipationPreferences.activity_types.through.objects.filter(
            participationpreferences__contact=OuterRef("pk"), activitytype_id__in=type_sentinels
        )
        query = query.filter(Exists(willing))
    sql, params = query.order_by().values_list(*fields).query.sql_with_params()
    slots = tuple(params.index(sentinel) for sentinel in [*sentinels, *type_sentinels])
    return sql, tuple(params), slots


def _card(
    row: dict,
    contact: dict,
    target: Target,
    catalogue: Catalogue,
    best: int,
    with_story: bool,
    availability: Availability,
):
    label = catalogue.label
    activity_ids = _ids(row["activity_type_ids"])
    return ReferenceCard(
        contact_id=contact["pk"],
        name=f"{contact['first_name']} {contact['last_name']}",
        title=contact["title"],
        account_id=int(row["account_id"]),
        account_name=contact["account__name"],
        customer_since=contact["account__customer_since"],
        industry=label("industry", row["industry_id"]),
        region=label("region", row["region_id"]),
        country=label("country", row["country_id"]),
        size_band=label("size", row["size_band_id"]),
        persona=label("persona", row["persona_id"]),
        language=label("language", row["language"]),
        products=tuple(label("product", p) for p in _ids(row["product_ids"])),
        use_cases=tuple(label("use_case", u) for u in _ids(row["use_case_ids"])),
        competitors=tuple(label("competitor", c) for c in _ids(row["competitor_ids"])),
        activity_types=tuple((a, label("activity", a)) for a in activity_ids),
        used_in_window=availability.used,
        window_days=availability.window_days,
        last_activity_on=_as_date(row["last_activity_on"]),
        resting=not availability.ok,
        available_from=availability.frees_on,
        score=int(row["score"]),
        score_percent=min(100, round(100 * int(row["score"]) / best)),
        explanation=explain(row, target, availability=availability),
        story=contact["account__reference_story"] if with_story else "",
    )


def _ids(value) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return sorted(int(v) for v in value)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
