"""The reports of the benchmarks: JSON for machines, Markdown for people, and a clock for SQL."""

import json
import os
import time
from pathlib import Path


class SqlClock:
    """The statements run and the seconds spent in SQL while it is installed (an execute
    wrapper: `with connection.execute_wrapper(clock): ...`)."""

    def __init__(self) -> None:
        self.queries, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def save(report: dict, output: Path, write_markdown_to) -> None:
    """Write `output` (JSON) and the same name in .md, noting the machine's load at the end."""
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    write_markdown_to(report, output.with_suffix(".md"))
    print(f"Wrote {output} and {output.with_suffix('.md')}")


def header(report: dict) -> str:
    m = report["machine"]
    return (
        f"{report['measured_at']} · {m['cpu']}, {m['cores']} cores, {m['memory']} · PostgreSQL "
        f"{m['postgresql']} · load average {m['load_average_at_start']} → {m['load_average_at_end']}"
    )


def write_markdown(report: dict, path: Path) -> None:
    """The search benchmark: one line per row, page / search / data access and their ratios."""
    target = report["rows"][0]["target_p95_ms"]
    lines = [
        "# Sales search page benchmark",
        "",
        header(report),
        "",
        f"Dataset: {report['accounts']:,} accounts, {report['dataset_rows']:,} offerable references in the "
        f"index; {report['runs']} interleaved runs per row after {report['warmup']} warm-up runs, signed in "
        f"as the demo rep; deal #{report['deal']} for the deal rows. DEBUG off. **page** = the whole page "
        "through Django (session, middleware, view, templates), **search** = `search_references` alone, "
        "**data** = the page's SQL statements replayed alone. Ratios of the p50s. "
        f"Target: page p95 ≤ {target:.0f} ms.",
        "",
        "| row | what | results | page p50 / p95 ms | search p50 / p95 ms | data p50 / p95 ms | "
        "page ÷ search | search ÷ data | page ÷ data | queries | met |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
    ]

    def pair(timing: dict) -> str:
        return f"{timing['p50_ms']} / {timing['p95_ms']}"

    for row in report["rows"]:
        lines.append(
            f"| {row['name']} | {row['what']} | {row['results']:,} | {pair(row['page'])} | "
            f"{pair(row['search'])} | {pair(row['data'])} | {row['page_over_search']} | "
            f"{row['search_over_data']} | {row['page_over_data']} | {row['queries']} | "
            f"{'yes' if row['met'] else 'no'} |"
        )
    rare, common = report["rare_vs_common"]["rare_p50_ms"], report["rare_vs_common"]["common_p50_ms"]
    lines += [
        "",
        f"Rare word page p50 {rare} ms vs common word page p50 {common} ms: "
        f"{'the rare word is not slower' if report['rare_vs_common']['ok'] else 'THE RARE WORD IS SLOWER'}.",
        "",
    ]
    if report.get("rare_plan"):
        lines += [
            "Plan of the rare word's ranked SQL (`EXPLAIN ANALYZE`):",
            "",
            "```",
            report["rare_plan"],
            "```",
            "",
        ]
    path.write_text("\n".join(lines))


def write_load_markdown(report: dict, path: Path) -> None:
    """The load test: the app under concurrent users against its plain-SQL control."""
    app, control = report["app"], report["control"]
    lines = [
        "# Sales search under load",
        "",
        header(report),
        "",
        f"Dataset: {report['accounts']:,} accounts. {report['users']} concurrent users for "
        f"{report['seconds']:.0f} s, each looping over the search rows ({', '.join(report['rows'])}); "
        f"gunicorn with {report['workers']} workers, DEBUG off, signed in as the demo rep. The control: "
        "the same users for the same time replaying the SQL those pages run, each on its own database "
        "connection.",
        "",
        "| | pages | pages/s | p50 ms | p95 ms | p99 ms | p99 ÷ p50 | errors | load average |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, part in (("app (whole pages, HTTP)", app), ("control (their SQL alone)", control)):
        lines.append(
            f"| {name} | {part['pages']:,} | {part['pages_per_second']} | {part['p50_ms']} "
            f"| {part['p95_ms']} | {part['p99_ms']} | {part['p99_over_p50']} | {part['errors']} "
            f"| {' → '.join(f'{x:.1f}' for x in part.get('load_average', []))} |"
        )
    lines += [
        "",
        f"App ÷ control throughput: {report['app_over_control']}. Before issue 14: "
        f"{report['before_pages_per_second']} pages/s; now {report['speedup']}× that.",
        "",
        "Targets: "
        + ", ".join(
            f"{name.replace('_', ' ')}: {'met' if ok else 'NOT MET'}"
            for name, ok in report["targets"].items()
        )
        + ".",
        "",
    ]
    if app["first_errors"]:
        lines += ["First errors:", "", *(f"- {error}" for error in app["first_errors"]), ""]
    lines += ["| row | app pages | app p50 / p95 ms | control p50 / p95 ms |", "|---|--:|--:|--:|"]
    for name, timing in app["by_row"].items():
        sql = control["by_row"].get(name, {"p50_ms": "–", "p95_ms": "–"})
        lines.append(
            f"| {name} | {timing['pages']:,} | {timing['p50_ms']} / {timing['p95_ms']} | "
            f"{sql['p50_ms']} / {sql['p95_ms']} |"
        )
    path.write_text("\n".join(lines) + "\n")
