"""Small, fast building blocks for generating demo data: weighted choices, ASCII folding, unique
company names, cached dates, money amounts, an index of deals by close date, and the taxonomy ids.

Everything takes its randomness from the caller's `random.Random`, so a seed gives the same data.
The hot paths (called millions of times at 100,000 accounts) avoid `Random.choice`/`randrange`,
which cost several times more than one `random()` call.
"""

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from itertools import accumulate
from math import exp, log
from random import Random

from references.management import demo_words as words
from references.models import ActivityType, Competitor, Country, Industry, Persona, Product, SizeBand, UseCase


class Weighted:
    """A weighted choice that costs one random number and one bisection."""

    def __init__(self, items: Sequence, weights: Sequence[float]):
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: Random):
        return self.items[bisect_right(self.cumulative, rng.random() * self.total)]


def one_of(rng: Random, items: Sequence):
    """`rng.choice(items)` at a fraction of the cost."""
    return items[int(rng.random() * len(items))]


_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "å": "a", "'": "", " ": ""})


def ascii_fold(text: str) -> str:
    """Lower-case ASCII for e-mail addresses: 'Müller' → 'muller', 'de Jong' → 'dejong'."""
    folded = text.lower().translate(_FOLD)
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()


def slug(text: str) -> str:
    """A domain label: 'Hartley & Moss Bank' → 'hartley-and-moss-bank'."""
    spaced = "".join(ch if ch.isalnum() else " " for ch in ascii_fold(text.replace("&", " and ")))
    return "-".join(spaced.split())


def money(rng: Random, low_usd: int, high_usd: int, currency: str) -> Decimal:
    """A log-uniform amount between two dollar figures, in `currency`, rounded to hundreds."""
    usd = exp(rng.uniform(log(low_usd), log(high_usd)))
    return Decimal(round(usd * words.USD_RATES[currency], -2))


class Calendar:
    """Dates and UTC timestamps by day ordinal, cached: the demo reuses a few thousand days."""

    def __init__(self):
        self._days: dict[int, date] = {}
        self._stamps: dict[tuple[int, int], datetime] = {}

    def day(self, ordinal: int) -> date:
        found = self._days.get(ordinal)
        if found is None:
            found = self._days[ordinal] = date.fromordinal(ordinal)
        return found

    def stamp(self, ordinal: int, hour: int = 10) -> datetime:
        key = (ordinal, hour)
        found = self._stamps.get(key)
        if found is None:
            found = self._stamps[key] = datetime.combine(date.fromordinal(ordinal), time(hour), UTC)
        return found


class CompanyNames:
    """Unique, plausible company names: a coined stem or founders' names, an industry word and,
    usually, the country's legal form ('Northwind Logistics GmbH', 'Hartley & Moss Bank plc')."""

    def __init__(self, rng: Random):
        self.rng = rng
        self.used: set[str] = set()  # membership only: a set's iteration order is not repeatable

    def _stem(self) -> str:
        rng = self.rng
        if rng.random() < 0.65:
            start, end = one_of(rng, words.STEM_STARTS), one_of(rng, words.STEM_ENDS)
            return start + end if end not in start.lower() else start + "field"
        first = one_of(rng, words.FOUNDER_NAMES)
        if rng.random() < 0.5:
            return first
        second = one_of(rng, words.FOUNDER_NAMES)
        return f"{first} & {second}" if second != first else first

    def make(self, industry_code: str, profile: words.CountryProfile) -> tuple[str, str]:
        """A new company name and the slug for its e-mail domain."""
        rng = self.rng
        base = name = ""
        for _attempt in range(30):
            base = f"{self._stem()} {one_of(rng, words.INDUSTRY_WORDS[industry_code])}"
            name = base
            if industry_code not in words.NO_LEGAL_FORM and rng.random() < 0.65:
                name = f"{base} {one_of(rng, profile.legal_forms)}"
            if name not in self.used:
                break
        unique, number = name, 2
        while unique in self.used:  # only once the word lists run dry, far beyond 100,000 accounts
            unique, number = f"{name} {number}", number + 1
        self.used.add(unique)
        return unique, slug(base)


class DealIndex:
    """Deals sorted by close date, per industry and overall, to find the deals an activity served:
    a reference is used in the months before a deal closes, usually for a prospect in its industry."""

    WINDOW_DAYS = 150
    SAME_INDUSTRY = 0.8

    def __init__(self, deals: list[tuple[int, int, int, int]]):
        """From (close day ordinal, deal id, industry id, owner id) tuples."""
        deals = sorted(deals)
        grouped: dict[int, list[tuple[int, int]]] = {}
        self.owner: dict[int, int] = {}
        for close, deal_id, industry_id, owner_id in deals:
            grouped.setdefault(industry_id, []).append((close, deal_id))
            self.owner[deal_id] = owner_id
        self.by_industry = {
            industry: ([close for close, _ in rows], [deal for _, deal in rows])
            for industry, rows in grouped.items()
        }
        self.overall = ([deal[0] for deal in deals], [deal[1] for deal in deals])

    def pick(self, rng: Random, industry_id: int, day: int) -> int:
        """A deal closing within the window after `day` (the nearest one if none does)."""
        closes, ids = self.overall
        if rng.random() < self.SAME_INDUSTRY and industry_id in self.by_industry:
            closes, ids = self.by_industry[industry_id]
        low = bisect_left(closes, day)
        high = bisect_right(closes, day + self.WINDOW_DAYS, low)
        if high > low:
            return ids[low + int(rng.random() * (high - low))]
        return ids[min(low, len(ids) - 1)]


@dataclass
class Taxonomies:
    """Ids (and names) of the taxonomy rows the demo draws from."""

    industries: dict[str, int]
    countries: dict[str, int]
    size_bands: list[int]
    personas: dict[str, int]
    activity_types: dict[str, int]
    products: list[tuple[int, str]]
    use_cases: list[tuple[int, str]]
    competitors: list[tuple[int, str]]

    @classmethod
    def load(cls) -> "Taxonomies":
        def active(model) -> list[tuple[int, str]]:
            rows = model.objects.filter(is_active=True).order_by("sort_order", "name")
            return list(rows.values_list("id", "name"))

        return cls(
            industries=dict(Industry.objects.values_list("naics_code", "id")),
            countries=dict(Country.objects.values_list("code", "id")),
            size_bands=list(SizeBand.objects.order_by("sort_order").values_list("id", flat=True)),
            personas=dict(Persona.objects.values_list("code", "id")),
            activity_types=dict(ActivityType.objects.values_list("code", "id")),
            products=active(Product),
            use_cases=active(UseCase),
            competitors=active(Competitor),
        )
