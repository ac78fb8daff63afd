"""Benchmark: rendering the sales search page, apart from the search behind it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench .venv/bin/python bench/render.py

Runs on the current database as it is (seeded, index built). For a few searches it builds the
page's context once, as the view does (`portals.sales.views.search.search_context`: one
`search_references`), then times only turning it into HTML, each as p50 / p95 over `--runs`
runs after a warm-up:

- `full_page`: the whole page (`search.html` in the portal's layout, with the context processors
  of a real request); `full_page_sql` is the part of it spent in the layout's own queries (the
  bell's unread count and the navigation's task counts), which every page pays;
- `results`: the fragment htmx swaps in when a filter changes (`_search_body.html`);
- `facets`: the facet column alone; `cards`: the 20 result cards alone.

The target is the facet column and the cards together well under 10 ms. Results go to
bench/results/render.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.cache import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from bench.report import SqlClock  # noqa: E402
from portals.sales.search_html import facet_column, result_cards  # noqa: E402
from portals.sales.views.search import PAGE_TEMPLATE, RESULTS_TEMPLATE, search_context  # noqa: E402
from references.models import Opportunity  # noqa: E402

WARM_UP = 10
TARGET_MS = 10.0


def searches(user) -> dict[str, str]:
    """Query strings of the searches measured: what a rep sees first, and a deal's search."""
    deal = (
        Opportunity.objects.filter(owner=user, outcome=Opportunity.Outcome.OPEN, products__isnull=False)
        .order_by("id")
        .first()
    )
    found = {"no filters": ""}
    if deal is not None:
        found["deal prefilled"] = (
            f"opportunity={deal.pk}&industry={deal.industry_id}&region={deal.country.region_id}"
        )
    return found


def sales_request(user, query: str):
    """A GET of the search page as the middleware leaves it: signed in, with a session."""
    request = RequestFactory().get(f"/sales/search/?{query}")
    request.user = user
    request.session = SessionStore()
    return request


def timed(render: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds per run of `render`, and of the SQL inside each run."""
    for _ in range(WARM_UP):
        render()
    totals, sql = [], []
    for _ in range(runs):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            started = time.perf_counter()
            render()
            totals.append((time.perf_counter() - started) * 1000)
        sql.append(clock.seconds * 1000)
    return totals, sql


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 3), "p95_ms": round(p95, 3)}


def measure(user, name: str, query: str, runs: int) -> dict:
    request = sales_request(user, query)
    context = search_context(request)
    page = context["page"]
    parts = {
        "full_page": lambda: render_to_string(PAGE_TEMPLATE, context, request),
        "results": lambda: render_to_string(RESULTS_TEMPLATE, context, request),
        "facets": lambda: facet_column(page.facets),
        "cards": lambda: result_cards(page.cards, context["detail_query"]),
    }
    row = {
        "name": name,
        "query": query,
        "cards": len(page.cards),
        "facet_values": sum(len(facet.values) for facet in page.facets),
    }
    for part, render in parts.items():
        totals, sql = timed(render, runs)
        row[part] = percentiles(totals)
        if part == "full_page":
            row["full_page_sql"] = percentiles(sql)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--user", default="sales", help="the signed-in sales rep (the demo's `sales`)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "render.json"))
    args = parser.parse_args()
    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        sys.exit(f"No user {args.user!r}: seed the demo first (manage.py seed_demo).")
    rows = [measure(user, name, query, args.runs) for name, query in searches(user).items()]
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "database": connection.vendor,
        "runs": args.runs,
        "target_facets_and_cards_ms": TARGET_MS,
        "rows": rows,
    }
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'search':<16} {'part':<14} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        for part in ("full_page", "full_page_sql", "results", "facets", "cards"):
            print(f"{row['name']:<16} {part:<14} {row[part]['p50_ms']:>8.2f} {row[part]['p95_ms']:>8.2f}")
    print(f"(facets + cards: target well under {TARGET_MS:.0f} ms; results in {args.output})")


if __name__ == "__main__":
    main()
