"""Benchmark: the live availability figure of one search page (`limits.selectors.availability_for`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_avail .venv/bin/python bench/availability.py

Needs a seeded database (`manage.py seed_demo --accounts 2000` or more). Times
`availability_for` for a page of 20 offerable contacts (a fixed random sample), with no activity
type and with an activity type's id (as the sales cards ask), p50 and p95 over `--runs` runs after
a warm-up, with the number of queries and the time spent in the database's cursor (`sql_ms`);
the rest is Python (`python_cpu_p50_ms`: this thread's CPU time, which other processes
busy on the machine do not inflate). Query logging is off, as in production.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.report import SqlClock  # noqa: E402
from limits.selectors import availability_for  # noqa: E402
from references.models import ActivityType, Contact  # noqa: E402


def _page(size: int) -> list[int]:
    ids = sorted(Contact.objects.offerable().values_list("pk", flat=True))
    return random.Random(14).sample(ids, size)


def _measure(ids: list[int], activity_type, runs: int) -> dict:
    today = timezone.localdate()
    for _warm in range(20):
        availability_for(ids, activity_type=activity_type, on_date=today)
    times, cpu_times, sql_times, queries = [], [], [], set()
    for _run in range(runs):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            started, cpu_started = time.perf_counter(), time.thread_time()
            availability_for(ids, activity_type=activity_type, on_date=today)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.thread_time() - cpu_started) * 1000)
        sql_times.append(clock.seconds * 1000)
        queries.add(clock.queries)
    return {
        "p50_ms": round(statistics.median(times), 3),
        "p95_ms": round(statistics.quantiles(times, n=20)[-1], 3),
        "sql_p50_ms": round(statistics.median(sql_times), 3),
        "python_cpu_p50_ms": round(statistics.median(cpu_times), 3),
        "queries": sorted(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--size", type=int, default=20)
    args = parser.parse_args()
    settings.DEBUG = False  # no query log: what production runs
    ids = _page(args.size)
    type_id = ActivityType.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True).first()
    rows = {
        "any activity": _measure(ids, None, args.runs),
        "activity type id": _measure(ids, type_id, args.runs),
        "one contact": _measure(ids[:1], type_id, args.runs),
    }
    report = {"vendor": connection.vendor, "contacts": Contact.objects.count(), "page": args.size}
    print(json.dumps({**report, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
