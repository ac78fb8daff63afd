"""The sales search pages the benchmarks measure, and how they are fetched and replayed.

Shared by bench/search.py (each page alone) and bench/load.py (many at once). Needs Django set up
(bench/environment.py). A row is the query string of one sales search page; the search arguments,
the page's statements and the deep page's cursor are all derived from it the way the view does.
"""

import os
import platform
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from bench.environment import HOST
from matching.forms import SearchForm
from matching.models import SearchDocument
from matching.selectors import search_references
from portals.sales.views.search import _deal_and_target
from references.models import ActivityType, Opportunity, Persona, Region

DEMO_USER = "sales"
DEEP_PAGE = 50
SEARCH_URL = reverse("sales:search")
# PostgreSQL's English stop words longer than three letters: full-text search ignores them.
STOP_WORDS = frozenset(
    "myself ours ourselves your yours yourself yourselves himself hers herself itself they them their "
    "theirs themselves what which whom this that these those were been being have having does doing "
    "because until while with about against between into through during before after above below from "
    "down over under again further then once here there when where both each more most other some such "
    "only same than very will just should".split()
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Row:
    name: str
    params: dict
    note: str

    @property
    def query(self) -> str:
        return urlencode(self.params, doseq=True)

    @property
    def url(self) -> str:
        return f"{SEARCH_URL}?{self.query}" if self.params else SEARCH_URL


def sales_user():
    return get_user_model().objects.get(username=DEMO_USER)


def demo_deal(user) -> Opportunity:
    """The demo rep's first open deal that names products (what "Find references" starts from)."""
    deal = (
        Opportunity.objects.visible_to(user)
        .filter(outcome=Opportunity.Outcome.OPEN, products__isnull=False)
        .order_by("id")
        .first()
    )
    if deal is None:
        sys.exit("The demo rep has no open deal with products: seed the demo first (manage.py seed_demo).")
    return deal


def _document_texts() -> Iterator[str]:
    """The free text of every search document, whichever text fields the model has."""
    present = {field.name for field in SearchDocument._meta.get_fields()}
    fields = [name for name in ("body", "name", "tags", "story") if name in present]
    for values in SearchDocument.objects.values_list(*fields).iterator(chunk_size=5000):
        yield " ".join(v if isinstance(v, str) else " ".join(map(str, v or ())) for v in values)


def pick_terms() -> dict[str, tuple[str, int]]:
    """(word, documents) for a rare, a mid-frequency and a common word of the search documents:
    document frequency of lowercase alphabetic words longer than three letters, stop words aside."""
    frequency: Counter[str] = Counter()
    documents = 0
    for text in _document_texts():
        documents += 1
        frequency.update({w for w in _WORD.findall(text.lower()) if len(w) > 3 and w not in STOP_WORDS})
    ranked = sorted(frequency.items(), key=lambda item: (-item[1], item[0]))

    def most_frequent(low: float, high: float) -> tuple[str, int]:
        found = [(word, n) for word, n in ranked if low <= n <= high]
        if not found:
            sys.exit(f"No search word in {low:.0f}–{high:.0f} documents; is the index built?")
        return found[0]

    return {
        "rare": most_frequent(10, 50),
        "mid": most_frequent(documents * 0.01, documents * 0.03),
        "common": most_frequent(documents * 0.2, documents * 0.5),
    }


def search_arguments(user, params: dict) -> dict:
    """The arguments the sales search view passes to `search_references` for these parameters."""
    form = SearchForm(QueryDict(urlencode(params, doseq=True)))
    form.is_valid()
    filters = form.filters()
    _deal, target = _deal_and_target(_Request(user), form, filters)
    return {"filters": filters, "target": target, "after": form.cursor()}


@dataclass
class _Request:
    user: object


def deep_cursor(user, params: dict, page: int) -> str:
    """The `after` cursor that opens page number `page` of a search (following "Next" from page 1)."""
    arguments = search_arguments(user, params)
    cursor = None
    for _ in range(page - 1):
        result = search_references(**{**arguments, "after": cursor}, with_facets=False)
        if result.next_cursor is None:
            sys.exit(f"The search has fewer than {page} pages.")
        cursor = result.next_cursor
    return str(cursor)


def rows(user, deal: Opportunity, terms: dict[str, tuple[str, int]]) -> list[Row]:
    products = sorted(p.pk for p in deal.products.all())
    emea = Region.objects.get(code="EMEA").pk
    technical = Persona.objects.get(code="technical").pk
    video = ActivityType.objects.get(code="video").pk
    prefilled = {
        "opportunity": deal.pk,
        "industry": deal.industry_id,
        "product": products,
        "region": deal.country.region_id,
    }
    result = [
        Row("deal_prefilled", prefilled, "the deal's industry + products + region (Find references)"),
        Row(
            "deal_industry_only",
            {"opportunity": deal.pk, "industry": deal.industry_id},
            "the deal, its industry only",
        ),
        Row("region_and_persona", {"region": emea, "persona": technical}, "EMEA, technical"),
        Row("activity_and_language", {"activity": video, "language": "de"}, "video, German"),
        Row("no_filters", {}, "every reference"),
    ]
    for kind in ("rare", "mid", "common"):
        word, documents = terms[kind]
        result.append(Row(f"text_{kind}", {"q": word}, f"“{word}”: in {documents:,} documents"))
    after = deep_cursor(user, {}, DEEP_PAGE)
    result.append(Row("deep_page", {"after": after}, f"page {DEEP_PAGE} of no filters, by its cursor"))
    return result


def signed_in_client(user) -> Client:
    """A test client with a session for `user` (stored in the database like any sign-in)."""
    client = Client()
    client.force_login(user)
    return client


def fetch_page(client: Client, row: Row):
    """The whole page through Django's request handling, as a browser behind HTTPS asks for it."""
    response = client.get(row.url, secure=True, HTTP_HOST=HOST)
    if response.status_code != 200:
        sys.exit(f"{row.name}: the page answered {response.status_code}, not 200 ({row.url}).")
    return response


Statement = tuple[str, object, bool]


def capture_page(client: Client, row: Row) -> list[Statement]:
    """The statements one page runs (session, user, search, rendering), with their parameters."""
    statements: list[Statement] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        fetch_page(client, row)
    writes = [sql for sql, _, _ in statements if not sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    if writes:
        sys.exit(f"{row.name}: the page writes ({writes[0][:80]}…); replaying it would change the data.")
    return statements


def replay(cursor, statements: list[Statement]) -> None:
    """The page's data access alone: the same statements, same parameters, results fetched."""
    for sql, params, many in statements:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
            cursor.fetchall()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line
        ]
        cpu = names[0] if names else cpu
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": server,
        "shared_buffers": shared_buffers,
        "connection_options": settings.DATABASES["default"].get("OPTIONS", {}).get("options", ""),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
