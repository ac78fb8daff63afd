"""Benchmark: the insights pages at scale — each section × filter combination, the whole page
against its own SQL replayed alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench .venv/bin/python bench/insights.py

The revenue facts (insights/facts.py) are rebuilt first, as beat would, and the rebuild timed.
Needs PostgreSQL with the demo at scale (`manage.py seed_demo --accounts 100000`: about 1,000,000
activities; fewer are topped up to `--activities` by bench/insights_data.py, and the requests to
`--requests`, 60,000, with their history and tasks, for the fulfilment figures). Runs the app as
production does (bench/environment.py: DEBUG off). For every registered insights section
(`portals.insights.sections.SECTIONS`) and every filter row of `insights_data.filter_rows` (none,
an industry, a region + product, an activity type, a team, five years, one month), interleaved:

- **page**: GET /insights/<section>/?<filters> through Django's request handling (session,
  middleware, view, templates) with `django.test.Client`, signed in as the demo manager; 200;
- **sql**: exactly the statements that one page runs (captured with `CaptureQueriesContext`, as
  sent), replayed alone on a cursor, results fetched.

First, for each filter row, the **floor**: the same page with no figures at all (a section whose
builder returns nothing, registered for the run only): the session, the layout, the tabs and the
filter form with its option lists. Each row then also gives its own cost over that floor:
(page − floor page) ÷ (sql − floor sql), the Python a section adds against the SQL it adds.

p50 and p95 of each over `--runs` runs after `--warmup`, the ratio page ÷ sql (of the p50s),
the page's statements and its heaviest ones (p50 of each statement while replaying). A page
slower than `--slow-ms` the first time is measured once (far past the target, more runs add
nothing). Targets (issue 18): page p95 < 1,000 ms and page ÷ sql ≤ 1.5. The slowest statement's
plan goes into the JSON for a row that misses a target (EXPLAIN; with `--explain`, EXPLAIN
ANALYZE for every row, also written into the Markdown). Results: bench/results/insights.json
and bench/results/insights.md.
"""

import argparse
import contextlib
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.environment import HOST, configure

configure()

from django.db import OperationalError, connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import pages  # noqa: E402
from bench.insights_data import (  # noqa: E402
    dataset,
    filter_rows,
    manager_user,
    top_up_activities,
    top_up_requests,
)
from bench.report import header, save  # noqa: E402
from insights import facts  # noqa: E402
from portals.insights.sections import SECTIONS, Section  # noqa: E402
from portals.insights.tables import SectionView  # noqa: E402
from references.models import Account  # noqa: E402

PAGE_P95_LIMIT_MS = 1000.0
RATIO_LIMIT = 1.5
ACTIVITIES = 1_000_000
REQUESTS = 60_000
RESULTS = Path(__file__).resolve().parent / "results"
READS = ("SELECT", "WITH")
# A choice field's options are read through a server-side cursor (QuerySet.iterator()): Django
# logs the DECLARE, not its FETCHes. Replayed as the SELECT it declares, results fetched.
DECLARED = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ', re.IGNORECASE)


def summary(samples: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(pages.percentile(samples, 0.95), 1),
    }


class PageFailed(Exception):
    """The page did not answer 200, or one of its statements ran past the statement timeout."""


def fetch(client, url: str):
    try:
        response = client.get(url, secure=True, HTTP_HOST=HOST)
    except OperationalError as error:  # psycopg's QueryCanceled: past `--timeout-s`
        raise PageFailed(f"a statement was cancelled: {str(error).strip().splitlines()[0]}") from error
    if response.status_code != 200:
        raise PageFailed(f"answered {response.status_code}, not 200")
    return response


def statement_timeout(seconds: float) -> None:
    """Cancel any statement past `seconds` on every connection Django opens from here on (a page
    whose SQL runs for minutes is reported as such, and the rest is still measured)."""
    options = connection.settings_dict.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c statement_timeout={int(seconds * 1000)}".strip()
    connection.close()


def failed(client, url: str, reason: str) -> dict:
    """A row whose page failed: the statement running when it did, and its plan (EXPLAIN only)."""
    with CaptureQueriesContext(connection) as captured, contextlib.suppress(PageFailed):
        fetch(client, url)
    last = DECLARED.sub("", captured.captured_queries[-1]["sql"]) if captured.captured_queries else ""
    return {
        "url": url,
        "failed": reason,
        "met": False,
        "queries": len(captured.captured_queries),
        "slowest": {"sql": last, "plan": explain(last, analyze=False) if last else None},
    }


def capture(client, url: str) -> tuple[list[str], float]:
    """The statements one page runs, as sent to the server (parameters bound; a server-side
    cursor as the SELECT it declares), and that first page's ms."""
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    first_ms = (time.perf_counter() - started) * 1000
    statements = [DECLARED.sub("", query["sql"]) for query in captured.captured_queries]
    writes = [sql for sql in statements if not sql.lstrip().upper().startswith(READS)]
    if writes:
        sys.exit(f"{url}: the page writes ({writes[0][:80]}…); replaying it would change the data.")
    return statements, first_ms


def replay(cursor, statements: list[str], each_ms: list[list[float]]) -> float:
    """Run the statements alone, results fetched; each one's time into `each_ms`; the total ms."""
    started = time.perf_counter()
    for index, sql in enumerate(statements):
        begun = time.perf_counter()
        cursor.execute(sql)
        if cursor.description is not None:
            cursor.fetchall()
        each_ms[index].append((time.perf_counter() - begun) * 1000)
    return (time.perf_counter() - started) * 1000


def explain(sql: str, analyze: bool) -> str:
    """The statement's plan: as run (EXPLAIN ANALYZE) or, cheaper, as planned."""
    options = "ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON" if analyze else "COSTS ON"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        return "\n".join(line for (line,) in cursor.fetchall())


def head(sql: str, length: int = 160) -> str:
    return sql if len(sql) <= length else sql[:length] + "…"


def measure(client, url: str, runs: int, warmup: int, slow_ms: float, analyze: bool) -> dict:
    statements, first_ms = capture(client, url)
    if first_ms > slow_ms:  # far past the target: one measured run says as much as forty
        runs, warmup = 1, 0
    pages_ms: list[float] = []
    sql_ms: list[float] = []
    each_ms: list[list[float]] = [[] for _ in statements]
    with connection.cursor() as cursor:
        for run in range(warmup + runs):
            started = time.perf_counter()
            fetch(client, url)
            page = (time.perf_counter() - started) * 1000
            sql = replay(cursor, statements, each_ms)
            if run >= warmup:
                pages_ms.append(page)
                sql_ms.append(sql)
    each = [statistics.median(samples[warmup:]) for samples in each_ms]
    by_time = sorted(range(len(statements)), key=each.__getitem__, reverse=True)
    slowest = by_time[0]
    page_p50, sql_p50 = statistics.median(pages_ms), statistics.median(sql_ms)
    ratio = round(page_p50 / sql_p50, 2)
    met = pages.percentile(pages_ms, 0.95) < PAGE_P95_LIMIT_MS and ratio <= RATIO_LIMIT
    return {
        "url": url,
        "runs": runs,
        "queries": len(statements),
        "page": summary(pages_ms),
        "sql": summary(sql_ms),
        "page_over_sql": ratio,
        "met": met,
        "heaviest": [{"p50_ms": round(each[i], 1), "sql": head(statements[i])} for i in by_time[:3]],
        "slowest": {
            "p50_ms": round(each[slowest], 1),
            "sql": statements[slowest],
            "plan": explain(statements[slowest], analyze) if analyze or not met else None,
        },
    }


FLOOR = "bench-floor"


def measure_floors(client, rows, args) -> dict[str, dict]:
    """Per filter row: p50 page and sql of the insights page with no figures (see the docstring)."""
    SECTIONS[FLOOR] = Section(slug=FLOOR, title="Floor", build=lambda segment, reader: SectionView())
    floors = {}
    try:
        base = reverse("insights:section", args=[FLOOR])
        for row in rows:
            url = f"{base}?{row.query}" if row.params else base
            measured = measure(client, url, args.runs, args.warmup, args.slow_ms, analyze=False)
            floors[row.name] = {
                "page_p50_ms": measured["page"]["p50_ms"],
                "sql_p50_ms": measured["sql"]["p50_ms"],
            }
            print(
                f"{'floor':12} {row.name:15} page {floors[row.name]['page_p50_ms']:7.1f}  "
                f"sql {floors[row.name]['sql_p50_ms']:7.1f} ms",
                flush=True,
            )
    finally:
        del SECTIONS[FLOOR]
    return floors


def over_floor(measured: dict, floor: dict) -> dict:
    """The section's own cost: its page time and its SQL time above the floor's, and their ratio
    (None when its SQL adds nothing measurable)."""
    if "failed" in measured:
        return {"own_over_sql": None}
    own_page = measured["page"]["p50_ms"] - floor["page_p50_ms"]
    own_sql = measured["sql"]["p50_ms"] - floor["sql_p50_ms"]
    ratio = round(own_page / own_sql, 2) if own_sql >= 1 else None
    return {"own_page_ms": round(own_page, 1), "own_sql_ms": round(own_sql, 1), "own_over_sql": ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--activities", type=int, default=ACTIVITIES, help="top the activities up to this")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="top the requests up to this")
    parser.add_argument("--sections", help="comma-separated slugs (default: every registered section)")
    parser.add_argument("--filters", help="comma-separated filter rows (default: all)")
    parser.add_argument(
        "--slow-ms", type=float, default=5000, help="a page slower than this the first time is measured once"
    )
    parser.add_argument(
        "--timeout-s", type=float, default=60, help="cancel a statement past this (its row: failed)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE every row's slowest statement (else EXPLAIN)"
    )
    parser.add_argument("--output", default=str(RESULTS / "insights.json"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The insights benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    if not Account.objects.exists():
        sys.exit("The database is empty: seed the demo first (manage.py seed_demo --accounts 100000).")
    added = top_up_activities(args.activities)
    if added:
        print(f"Added {added:,} activities (each serving one deal) to reach {args.activities:,}.", flush=True)
    started = time.perf_counter()
    if requests_added := top_up_requests(args.requests):
        took = time.perf_counter() - started
        print(
            f"Added {requests_added:,} requests (history, tasks) to reach {args.requests:,} in {took:.1f} s."
        )
    # As beat would: the revenue figures read the facts of the last rebuild (insights/facts.py).
    rebuilt = facts.refresh()
    print(
        f"Revenue facts rebuilt in {rebuilt.took_ms:,} ms: {rebuilt.deals:,} deals, "
        f"{rebuilt.influences:,} influences.",
        flush=True,
    )
    statement_timeout(args.timeout_s)
    slugs = args.sections.split(",") if args.sections else list(SECTIONS)
    if not slugs:
        sys.exit("No insights section is registered (portals.insights.sections.SECTIONS is empty).")
    rows = filter_rows(timezone.localdate())
    if args.filters:
        wanted = set(args.filters.split(","))
        rows = [row for row in rows if row.name in wanted]
    client = pages.signed_in_client(manager_user())
    report = {
        "machine": pages.machine(),
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "dataset": dataset()
        | {
            "activities_added": added,
            "requests_added": requests_added,
            "facts_refresh_ms": rebuilt.took_ms,
            "fact_influences": rebuilt.influences,
        },
        "runs": args.runs,
        "warmup": args.warmup,
        "slow_ms": args.slow_ms,
        "explain": args.explain,
        "timeout_s": args.timeout_s,
        "filters": [{"name": row.name, "params": row.params, "what": row.note} for row in rows],
        "rows": [],
    }
    floors = measure_floors(client, rows, args)
    report["floors"] = floors
    for slug in slugs:
        base = reverse("insights:section", args=[slug])
        for row in rows:
            url = f"{base}?{row.query}" if row.params else base
            try:
                measured = measure(client, url, args.runs, args.warmup, args.slow_ms, args.explain)
            except PageFailed as error:
                measured = failed(client, url, str(error))
            result = {"section": slug, "filter": row.name} | measured | over_floor(measured, floors[row.name])
            report["rows"].append(result)
            if "failed" in result:
                print(f"{slug:12} {row.name:15} FAILED: {result['failed']}", flush=True)
                continue
            print(
                f"{slug:12} {row.name:15} "
                f"page {result['page']['p50_ms']:7.1f}/{result['page']['p95_ms']:7.1f}  "
                f"sql {result['sql']['p50_ms']:7.1f}/{result['sql']['p95_ms']:7.1f} ms  "
                f"÷ {result['page_over_sql']:5.2f} (own {result['own_over_sql'] or 0:5.2f})  "
                f"queries {result['queries']:3}  "
                f"slowest {result['slowest']['p50_ms']:6.1f} ms  {'ok' if result['met'] else 'MISSED'}",
                flush=True,
            )
    save(report, Path(args.output), write_markdown)


def write_markdown(report: dict, path: Path) -> None:
    """One line per section × filter: page and SQL p50 / p95, their ratio, the slowest statement."""
    data = report["dataset"]
    lines = [
        "# Insights pages benchmark",
        "",
        header(report),
        "",
        f"Dataset: {data['accounts']:,} accounts, {data['deals']:,} deals, {data['activities']:,} "
        f"activities ({data['activity_deal_links']:,} activity–deal links), {data.get('requests', 0):,} "
        f"requests ({data.get('request_events', 0):,} history rows, {data.get('request_tasks', 0):,} "
        "tasks); the revenue facts rebuilt "
        f"first in {data['facts_refresh_ms']:,} ms ({data['fact_influences']:,} influences). "
        f"{report['runs']} interleaved "
        f"runs per row after {report['warmup']} warm-up runs, signed in as the demo manager, DEBUG off. "
        "**page** = the whole page through Django (session, middleware, view, templates), **sql** = the "
        "page's statements replayed alone on a cursor; ratio of the p50s. Targets: page p95 < "
        f"{PAGE_P95_LIMIT_MS:,.0f} ms and page ÷ sql ≤ {RATIO_LIMIT}.",
        "",
        "Filters: " + "; ".join(f"**{f['name']}** {f['what']}" for f in report["filters"]) + ".",
        "",
        f"A page slower than {report['slow_ms']:,.0f} ms the first time is measured once (runs = 1); a "
        f"statement running past {report['timeout_s']:,.0f} s is cancelled and its row reported failed.",
        "",
        "Floor (the page with no figures: session, layout, tabs, filter form), p50 page / sql ms: "
        + "; ".join(f"{name} {f['page_p50_ms']} / {f['sql_p50_ms']}" for name, f in report["floors"].items())
        + ". **own ÷ sql** = (page − floor page) ÷ (sql − floor sql): the section's Python against its SQL.",
        "",
        "| section | filter | page p50 / p95 ms | sql p50 / p95 ms | page ÷ sql | own ÷ sql | queries "
        "| slowest ms | runs | met |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|:-:|",
    ]
    for row in report["rows"]:
        if "failed" in row:
            lines.append(f"| {row['section']} | {row['filter']} | failed: {row['failed']} | | | | | | | no |")
            continue
        lines.append(
            f"| {row['section']} | {row['filter']} | {row['page']['p50_ms']} / {row['page']['p95_ms']} | "
            f"{row['sql']['p50_ms']} / {row['sql']['p95_ms']} | {row['page_over_sql']} | "
            f"{row['own_over_sql'] if row['own_over_sql'] is not None else '–'} | {row['queries']} | "
            f"{row['slowest']['p50_ms']} | {row['runs']} | {'yes' if row['met'] else 'no'} |"
        )
    missed = [row for row in report["rows"] if not row["met"]]
    if missed:
        lines += ["", "## Where the time goes in the rows that miss a target", ""]
    for row in missed:
        lines.append(f"- **{row['section']} · {row['filter']}**:")
        if "failed" in row:
            lines.append(f"  - {row['failed']}, running `{head(row['slowest']['sql'])}`")
            continue
        lines += [f"  - {each['p50_ms']} ms `{each['sql']}`" for each in row["heaviest"]]
    planned = [row for row in report["rows"] if report["explain"] and row["slowest"]["plan"]]
    if planned:
        lines += ["", "## The slowest statement of each row with its plan (EXPLAIN ANALYZE)", ""]
    for row in planned:
        lines += [
            f"### {row['section']} · {row['filter']} ({row['slowest']['p50_ms']} ms)",
            "",
            "```sql",
            row["slowest"]["sql"],
            "```",
            "",
            "```",
            row["slowest"]["plan"],
            "```",
            "",
        ]
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
