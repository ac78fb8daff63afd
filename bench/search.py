"""Benchmark: the sales search page at scale — the whole page, the search alone, its data alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench .venv/bin/python bench/search.py

Needs PostgreSQL with the demo at scale (`manage.py seed_demo --accounts 100000`, which also
builds the search index). Runs the app as production does (bench/environment.py: DEBUG off).
For each row — five filter sets, a rare, a mid-frequency and a common word (picked by document
frequency from the search documents' text) and a deep page (page 50 of no filters, opened by
its `after` cursor) — it measures, interleaved so machine load hits all three alike:

- **page**: GET of the sales search page through Django's request handling (session, middleware,
  view, templates) with `django.test.Client`, signed in as the demo rep `sales`; status 200;
- **search**: `matching.selectors.search_references(...)` alone, with the arguments the view
  passes for the same query string;
- **data**: exactly the statements that one page runs (captured with
  `connection.execute_wrapper`), same SQL and parameters, replayed alone on a cursor.

p50 and p95 of each over `--runs` runs after a warm-up, the ratios page ÷ search ÷ data (of the
p50s), and `results`, the exact total. Target: page p95 ≤ 25 ms. When the rare word's page runs a
ranked SQL query, its EXPLAIN ANALYZE goes into the report. Results: bench/results/latest.json
and bench/results/latest.md.
"""

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.environment import configure

configure()

from django.db import connection  # noqa: E402

from bench import pages  # noqa: E402
from bench.report import save, write_markdown  # noqa: E402
from matching.models import ReferenceEntry  # noqa: E402
from matching.selectors import search_references  # noqa: E402
from references.models import Account  # noqa: E402

TARGET_P95_MS = 25.0
RESULTS = Path(__file__).resolve().parent / "results"


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return (time.perf_counter() - started) * 1000, value


def summary(samples: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(pages.percentile(samples, 0.95), 1),
    }


def measure(client, user, row: pages.Row, runs: int, warmup: int) -> dict:
    arguments = pages.search_arguments(user, row.params)
    statements = pages.capture_page(client, row)
    samples = {"page": [], "search": [], "data": []}
    total = None
    with connection.cursor() as cursor:
        for run in range(warmup + runs):
            page_ms, _ = timed(lambda: pages.fetch_page(client, row))
            search_ms, result = timed(lambda: search_references(**arguments))
            data_ms, _ = timed(lambda: pages.replay(cursor, statements))
            total = result.total
            if run >= warmup:
                for kind, ms in (("page", page_ms), ("search", search_ms), ("data", data_ms)):
                    samples[kind].append(ms)
    page, search, data = (statistics.median(samples[kind]) for kind in ("page", "search", "data"))
    return {
        "name": row.name,
        "what": row.note,
        "url": row.url,
        "results": total,
        "queries": len(statements),
        "page": summary(samples["page"]),
        "search": summary(samples["search"]),
        "data": summary(samples["data"]),
        "page_over_search": round(page / search, 2),
        "search_over_data": round(search / data, 2),
        "page_over_data": round(page / data, 2),
        "target_p95_ms": TARGET_P95_MS,
        "met": pages.percentile(samples["page"], 0.95) <= TARGET_P95_MS,
    }


def ranked_plan(client, row: pages.Row) -> str | None:
    """EXPLAIN ANALYZE of the page's ranked SQL query — the one that takes the words and orders a
    page of them — if it runs one (the SQL ranking path does; an in-memory index does not)."""
    words = row.params["q"]
    ranked = [
        (sql, params)
        for sql, params, _many in pages.capture_page(client, row)
        if "ORDER BY" in sql and "LIMIT" in sql and words in map(str, params or ())
    ]
    if not ranked:
        return None
    sql, params = ranked[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        return "\n".join(line for (line,) in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The search benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    dataset_rows = ReferenceEntry.objects.count()
    if not dataset_rows:
        sys.exit("The search index is empty: seed the demo (manage.py seed_demo) or rebuild_search_index.")
    user = pages.sales_user()
    deal = pages.demo_deal(user)
    terms = pages.pick_terms()
    client = pages.signed_in_client(user)
    report = {
        "machine": pages.machine(),
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "accounts": Account.objects.count(),
        "dataset_rows": dataset_rows,
        "deal": deal.pk,
        "runs": args.runs,
        "warmup": args.warmup,
        "terms": {kind: {"word": word, "documents": n} for kind, (word, n) in terms.items()},
        "rows": [],
    }
    bench_rows = pages.rows(user, deal, terms)
    for row in bench_rows:
        result = measure(client, user, row, args.runs, args.warmup)
        report["rows"].append(result)
        print(
            f"{row.name:22} page {result['page']['p50_ms']:6.1f}/{result['page']['p95_ms']:6.1f}  "
            f"search {result['search']['p50_ms']:6.1f}/{result['search']['p95_ms']:6.1f}  "
            f"data {result['data']['p50_ms']:6.1f}/{result['data']['p95_ms']:6.1f} ms  "
            f"÷ {result['page_over_search']}/{result['search_over_data']}  "
            f"queries {result['queries']}  results {result['results']:,}",
            flush=True,
        )
    by_name = {row["name"]: row for row in report["rows"]}
    rare, common = by_name["text_rare"]["page"]["p50_ms"], by_name["text_common"]["page"]["p50_ms"]
    report["rare_vs_common"] = {"rare_p50_ms": rare, "common_p50_ms": common, "ok": rare <= common}
    report["rare_plan"] = ranked_plan(client, next(row for row in bench_rows if row.name == "text_rare"))
    save(report, Path(args.output), write_markdown)


if __name__ == "__main__":
    main()
