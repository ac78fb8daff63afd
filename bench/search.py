"""Benchmark: reference search at scale, against its own SQL replayed alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench .venv/bin/python bench/search.py

Needs PostgreSQL with the demo at scale (`manage.py seed_demo --accounts 100000`, which also
builds the search index). For five filter sets and three free-text terms — a rare, a
mid-frequency and a common one, picked from the index's own term statistics — it measures a
results page as the sales portal gets it (`matching.selectors.search_references`: labels, the
ranked page, facet counts, live rows) ranked against a demo deal:

- `p50_ms`, `p95_ms`: over `--runs` runs after a warm-up;
- `queries`: the statements one page runs;
- `control`: the p50 of exactly those statements (same SQL, same parameters) replayed alone on a
  cursor — the database's share; `ratio` = p50 / control, the target is ≤ 1.5;
- the rare term must not be slower than the common one (PostgreSQL can pick a bad plan for rare
  full-text terms under LIMIT): the EXPLAIN of the rare term's page goes into the report.

Selector and control runs alternate, so a change in machine load hits both alike. Results go to
bench/results/latest.json and bench/results/latest.md.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from matching.models import ReferenceEntry, SearchDocument  # noqa: E402
from matching.scoring import Target  # noqa: E402
from matching.selectors import Filters, search_references, target_for_opportunity  # noqa: E402
from references.models import Account, ActivityType, Opportunity, Persona, Region  # noqa: E402

TARGET_RATIO = 1.5
TARGET_P95_MS = 25.0
RESULTS = ROOT / "bench" / "results"


@dataclass
class Scenario:
    name: str
    filters: Filters
    target: Target
    note: str


def demo_deal() -> Opportunity:
    """The demo rep's first open deal that names products (what "Find references" starts from)."""
    deals = Opportunity.objects.filter(
        outcome=Opportunity.Outcome.OPEN, products__isnull=False
    ).prefetch_related("products")
    deal = deals.filter(owner__username="sales").order_by("id").first() or deals.order_by("id").first()
    if deal is None:
        sys.exit("No open opportunity with products: seed the demo first (manage.py seed_demo).")
    return deal


def pick_terms() -> dict[str, tuple[str, int]]:
    """(word, documents) for a rare, a mid-frequency and a common term of the search documents."""
    documents = SearchDocument.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT vector FROM matching_searchdocument') "
            "WHERE length(word) > 3 ORDER BY ndoc DESC, word"
        )
        stats = cursor.fetchall()

    def first(low: float, high: float, *, most: bool = True) -> tuple[str, int]:
        found = [(word, n) for word, n in stats if low <= n <= high and word.isalpha()]
        if not found:
            sys.exit(f"No search term with {low:.0f}–{high:.0f} documents; is the index built?")
        return found[0] if most else found[-1]

    return {
        "rare": first(10, 50),
        "mid": first(documents * 0.01, documents * 0.03),
        "common": first(documents * 0.2, documents * 0.5),
    }


def scenarios(deal: Opportunity, terms: dict[str, tuple[str, int]]) -> list[Scenario]:
    target = target_for_opportunity(deal)
    products = tuple(sorted(p.pk for p in deal.products.all()))
    emea = Region.objects.get(code="EMEA").pk
    technical = Persona.objects.get(code="technical").pk
    video = ActivityType.objects.get(code="video").pk
    region = deal.country.region_id
    rows = [
        Scenario(
            "deal_prefilled",
            Filters(industry=(deal.industry_id,), product=products, region=(region,)),
            target,
            "industry + products + region of the deal (what Find references opens with)",
        ),
        Scenario(
            "deal_industry_only", Filters(industry=(deal.industry_id,)), target, "the deal's industry only"
        ),
        Scenario(
            "region_and_persona", Filters(region=(emea,), persona=(technical,)), target, "EMEA, technical"
        ),
        Scenario(
            "activity_and_language", Filters(activity=(video,), language=("de",)), target, "video, German"
        ),
        Scenario("no_filters", Filters(), target, "every reference, ranked for the deal"),
    ]
    for kind in ("rare", "mid", "common"):
        word, documents = terms[kind]
        rows.append(Scenario(f"text_{kind}", Filters(q=word), target, f"“{word}”: {documents} accounts"))
    return rows


def capture(scenario: Scenario) -> list[tuple[str, tuple]]:
    """The statements one results page runs, with their parameters."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        search_references(filters=scenario.filters, target=scenario.target)
    return statements


def run_selector(scenario: Scenario) -> tuple[float, int]:
    started = time.perf_counter()
    page = search_references(filters=scenario.filters, target=scenario.target)
    return (time.perf_counter() - started) * 1000, page.total


def run_control(statements: list[tuple[str, tuple]]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(scenario: Scenario, runs: int, warmup: int, dataset_rows: int) -> dict:
    statements = capture(scenario)
    for _ in range(warmup):
        run_selector(scenario)
        run_control(statements)
    timings, controls, total = [], [], 0
    for _ in range(runs):
        elapsed, total = run_selector(scenario)
        timings.append(elapsed)
        controls.append(run_control(statements))
    p50, control = statistics.median(timings), statistics.median(controls)
    return {
        "name": scenario.name,
        "p50_ms": round(p50, 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "queries": len(statements),
        "control": round(control, 1),
        "ratio": round(p50 / control, 2),
        "target_ratio": TARGET_RATIO,
        "dataset_rows": dataset_rows,
        "target_p95_ms": TARGET_P95_MS,
        "results": total,
        "what": scenario.note,
    }


def explain(scenario: Scenario) -> str:
    """The plan of the ranked page query (the second statement) of a scenario."""
    sql, params = capture(scenario)[1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


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


def write_markdown(report: dict, path: Path) -> None:
    m = report["machine"]
    lines = [
        "# Reference search benchmark",
        "",
        f"{report['measured_at']} · {m['cpu']}, {m['cores']} cores, {m['memory']} · PostgreSQL "
        f"{m['postgresql']} · load average {m['load_average_at_start']} → {m['load_average_at_end']}",
        "",
        f"Dataset: {report['accounts']:,} accounts, {report['dataset_rows']:,} offerable references in the "
        f"index; {report['runs']} runs per row after {report['warmup']} warm-up runs. Ranked for "
        f"deal #{report['deal']}. Targets: p95 ≤ {TARGET_P95_MS:.0f} ms, ratio ≤ {TARGET_RATIO}.",
        "",
        "| name | what | results | p50 ms | p95 ms | queries | control ms | ratio | p95 met | ratio met |",
        "|---|---|---:|---:|---:|---:|---:|---:|:-:|:-:|",
    ]
    for row in report["rows"]:
        lines.append(
            f"| {row['name']} | {row['what']} | {row['results']:,} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['queries']} | {row['control']} | {row['ratio']} | "
            f"{'yes' if row['p95_ms'] <= TARGET_P95_MS else 'no'} | "
            f"{'yes' if row['ratio'] <= TARGET_RATIO else 'no'} |"
        )
    rare, common = report["rare_vs_common"]["rare_p50_ms"], report["rare_vs_common"]["common_p50_ms"]
    lines += [
        "",
        f"Rare term p50 {rare} ms vs common term p50 {common} ms: "
        f"{'the rare term is not slower' if report['rare_vs_common']['ok'] else 'THE RARE TERM IS SLOWER'}.",
        "",
        "Plan of the rare term's ranked page (`EXPLAIN ANALYZE`):",
        "",
        "```",
        report["rare_plan"],
        "```",
        "",
    ]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The search benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    dataset_rows = ReferenceEntry.objects.count()
    if not dataset_rows:
        sys.exit("The search index is empty: seed the demo (manage.py seed_demo) or rebuild_search_index.")
    deal = demo_deal()
    terms = pick_terms()
    report = {
        "machine": machine(),
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "accounts": Account.objects.count(),
        "dataset_rows": dataset_rows,
        "deal": deal.pk,
        "runs": args.runs,
        "warmup": args.warmup,
        "terms": {kind: {"word": word, "accounts": n} for kind, (word, n) in terms.items()},
        "rows": [],
    }
    for scenario in scenarios(deal, terms):
        row = measure(scenario, args.runs, args.warmup, dataset_rows)
        report["rows"].append(row)
        print(
            f"{row['name']:24} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
            f"control {row['control']:7.1f} ms  ratio {row['ratio']:4.2f}  queries {row['queries']}  "
            f"results {row['results']:,}",
            flush=True,
        )
    by_name = {row["name"]: row for row in report["rows"]}
    rare, common = by_name["text_rare"]["p50_ms"], by_name["text_common"]["p50_ms"]
    report["rare_vs_common"] = {"rare_p50_ms": rare, "common_p50_ms": common, "ok": rare <= common}
    rare_scenario = next(s for s in scenarios(deal, terms) if s.name == "text_rare")
    report["rare_plan"] = explain(rare_scenario)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    write_markdown(report, output.with_suffix(".md"))
    print(f"Wrote {output} and {output.with_suffix('.md')}")


if __name__ == "__main__":
    main()
