"""Benchmark: what the in-memory search index costs a web process, and at ten times the size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench .venv/bin/python bench/memory.py

On the seeded bench database (100,000 accounts) it measures building the snapshot from the index
tables (the indexer's work), its published size, loading it (a web process's work: one query and
decompression), the arrays' bytes and the process's resident memory before and after. Then it
makes a snapshot ten times larger by repeating every account and contact with new ids (what
1,000,000 accounts would hold) and measures the same, plus the engine's time for a search with no
filter and for a common word over it. Results: bench/results/memory.json and .md.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import configure  # noqa: E402

configure()

import numpy as np  # noqa: E402

from matching.catalogue import load_catalogue  # noqa: E402
from matching.engine import run_search  # noqa: E402
from matching.filters import Filters  # noqa: E402
from matching.scoring import Target  # noqa: E402
from matching.snapshot import LISTS, Snapshot, build_arrays, deserialize, serialize  # noqa: E402
from references.models import Account  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def timed(action):
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def measure(arrays: dict, label: str, accounts: int) -> dict:
    data, serialize_s = timed(lambda: serialize(arrays))
    before = resident_mb()
    snapshot, load_s = timed(lambda: Snapshot(deserialize(data)))
    after = resident_mb()
    catalogue = load_catalogue()
    engine = {}
    common = most_common_term(snapshot)
    for name, filters in (("no_filters", Filters()), ("common_word", Filters(q=common))):
        samples = []
        for _ in range(20):
            _found, seconds = timed(
                lambda filters=filters: run_search(
                    snapshot, filters, Target(), catalogue, after=None, limit=21, with_facets=True
                )
            )
            samples.append(seconds * 1000)
        engine[name] = round(statistics.median(samples), 1)
    return {
        "dataset": label,
        "accounts": accounts,
        "entries": snapshot.size,
        "published_mb": round(len(data) / 1e6, 1),
        "arrays_mb": round(snapshot.nbytes / 1e6, 1),  # after the searches: with their bitmaps
        "resident_growth_mb": round(after - before, 1),
        "serialize_s": round(serialize_s, 2),
        "load_s": round(load_s, 2),
        "engine_p50_ms": engine,
        "common_word": common,
    }


def most_common_term(snapshot: Snapshot) -> str:
    sizes = np.diff(snapshot["term_offsets"])
    return str(snapshot["terms"][int(np.argmax(sizes))]) if len(sizes) else "x"


def ten_times(arrays: dict, copies: int = 10) -> dict:
    """Every account and contact repeated `copies` times under new ids (facets, words and usage
    as they are), as a program ten times larger would look."""
    out = {}
    contact_step = int(arrays["contact_id"].max()) + 1
    account_step = int(arrays["account_id"].max()) + 1
    documents = len(arrays["document_account"])
    out["contact_id"] = np.concatenate([arrays["contact_id"] + r * contact_step for r in range(copies)])
    out["account_id"] = np.concatenate([arrays["account_id"] + r * account_step for r in range(copies)])
    out["document_account"] = np.concatenate(
        [arrays["document_account"] + r * account_step for r in range(copies)]
    )
    out["document"] = np.concatenate([arrays["document"] + r * documents for r in range(copies)])
    plain = {"languages", "terms", "term_offsets", "post_document", "post_raw", *out}
    for name, values in arrays.items():
        if name not in plain and not name.endswith(("_offsets", "_values")):
            out[name] = np.tile(values, copies)
    out["languages"] = arrays["languages"]
    for name in LISTS:
        offsets, values = arrays[f"{name}_offsets"], arrays[f"{name}_values"]
        lengths = np.tile(np.diff(offsets), copies)
        out[f"{name}_offsets"] = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        out[f"{name}_values"] = np.tile(values, copies)
    # Postings: each term's documents in every copy, grouped by term again.
    term_of = np.repeat(np.arange(len(arrays["terms"])), np.diff(arrays["term_offsets"]))
    term = np.tile(term_of, copies)
    document = np.concatenate([arrays["post_document"] + r * documents for r in range(copies)])
    order = np.lexsort((document, term))
    out["terms"] = arrays["terms"]
    out["term_offsets"] = np.searchsorted(term[order], np.arange(len(arrays["terms"]) + 1)).astype(np.int64)
    out["post_document"] = document[order].astype(np.int32)
    out["post_raw"] = np.tile(arrays["post_raw"], copies)[order]
    return out


def main() -> None:
    accounts = Account.objects.count()
    arrays, build_s = timed(build_arrays)
    rows = [measure(arrays, "as seeded", accounts) | {"build_s": round(build_s, 1)}]
    bigger, _seconds = timed(lambda: ten_times(arrays))
    rows.append(measure(bigger, "ten times (synthetic)", accounts * 10))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(rows, indent=2) + "\n")
    lines = [
        "# Search index memory and load time",
        "",
        "| dataset | accounts | references | published MB | arrays MB | RSS growth MB | load s | "
        "no-filter engine ms | common-word engine ms |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['dataset']} | {row['accounts']:,} | {row['entries']:,} | {row['published_mb']} | "
            f"{row['arrays_mb']} | {row['resident_growth_mb']} | {row['load_s']} | "
            f"{row['engine_p50_ms']['no_filters']} | {row['engine_p50_ms']['common_word']} |"
        )
    lines += [
        "",
        f"Building the snapshot from the index tables took {rows[0]['build_s']} s (the indexer's work).",
    ]
    (RESULTS / "memory.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
