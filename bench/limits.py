"""Benchmark: the burnout-limits job against the bare aggregate query it is built on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench .venv/bin/python bench/limits.py

Needs PostgreSQL with the demo at scale (`manage.py seed_demo --accounts 100000`: about 300,000
contacts and 1,000,000 activities) and the migrations applied. Measures, each as the median of
`--runs` runs:

- `bare_aggregate`: one pass over the activities of the window, counting them per contact —
  the aggregate every answer of the job starts from (evaluated in full on the server, one row
  returned); also `bare_aggregate_index_only`, the same read from the covering index, and the
  ratios are to the faster of the two;
- `job_aggregate`: the aggregate the job's first step is built on, alone — every contact's
  account and checksum of their held uses (`limits.usage.uses.checksums_sql`), run as the job runs it;
- `job_unchanged`: a run that finds nothing new (beat's usual hourly run): no change noted by the
  triggers, a few dozen approved requests;
- `job_after_edits`: an hourly run after a busy hour — 1,000 activities recorded across the
  program (noted by the triggers) — judged again with their accounts;
- `job_next_day`: the first run of a day — the window slides, and the contacts whose uses left
  it or whose rest ended are judged again with their accounts;
- `job_verify`: the weekly run that finds whom to judge by comparing every contact's checksum
  with the stored one (the job's own aggregate), as beat schedules it: early on a Sunday, after
  that day's first run;
- `job_full`: a run after the policy or a limit rule changed — every contact judged again;
- `job_first_run`: `usage_recompute` on an empty usage table — every contact's row written,
  thousands of contacts moved to resting with their history, the summaries notified.

`trigger_cost` is what the triggers that note changes add to writing activities: 10,000 rows
inserted in one statement, and 200 one at a time (each its own INSERT, as the app records them),
with and without the triggers.

First the stored usage is written afresh (as the job's first run, or a change of the rules,
writes it: in contact order) and the usage table compacted. Every measured run happens in a
transaction that is rolled back, and the table is vacuumed before it, so each starts from that
same state.
Each run is also compared with the bare aggregate run just before it (`run_by_run`), which
steadies the ratio on a machine busy with other work. Results go to
bench/results/limits.json; the target is a job within 3× the bare aggregate.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.dialect import Dialect  # noqa: E402
from limits.models import ContactUsage, LimitPolicy  # noqa: E402
from limits.rules import quarter_bounds  # noqa: E402
from limits.usage import usage_recompute  # noqa: E402
from limits.usage.changed import STREAMING_PLAN  # noqa: E402
from limits.usage.judging import parameters  # noqa: E402
from limits.usage.runner import WORK_MEM  # noqa: E402
from limits.usage.uses import CountingTypes, checksums_sql  # noqa: E402
from references.models import ActivityType, Contact, ReferenceActivity  # noqa: E402

BARE = """
SELECT COUNT(*), SUM(used) FROM (
    SELECT a.contact_id,
        COUNT(*) FILTER (WHERE a.occurred_on > %(window_start)s) AS used,
        MAX(a.occurred_on) AS last_used_on
    FROM references_referenceactivity a
    JOIN references_activitytype t ON t.id = a.activity_type_id
    WHERE a.occurred_on >= %(horizon)s AND t.counts_toward_limits
    GROUP BY a.contact_id
) per_contact
"""


# The job's own aggregate, alone (limits.usage.uses.checksums_sql), every row of it consumed.
JOB_AGGREGATE = """
SELECT COUNT(*), SUM(uses_checksum), MAX(account_id) FROM ({checksums}) per_contact
"""


class Rollback(Exception):
    """Raised to undo a measured run."""


def _timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def bare_aggregate(today, *, index_only: bool = False) -> float:
    """The aggregate alone, with the job's settings (memory for sorts and hashes, no JIT): a fair
    comparison.

    `index_only` makes PostgreSQL read the covering index of activities rather than the table,
    which it may not choose by itself: the reference is the faster of the two.
    """
    window_start = today - timedelta(days=LimitPolicy.current().window_days)
    horizon = min(window_start + timedelta(days=1), quarter_bounds(today)[0])  # as the job reads
    params = {"window_start": window_start, "horizon": horizon}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute("SET LOCAL jit = off")
        if index_only:
            cursor.execute("SET LOCAL enable_seqscan = off")
        seconds, _ = _timed(lambda: cursor.execute(BARE, params) or cursor.fetchall())
    return seconds


def job_aggregate(today) -> float:
    """The job's own aggregate (its first statement, without comparing or writing)."""
    policy = LimitPolicy.current()
    sql = Dialect("postgresql")
    params = parameters(sql, policy, today)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute("SET LOCAL jit = off")
        for plan in STREAMING_PLAN:  # as the job runs it: streamed in index order
            cursor.execute(f"SET LOCAL {plan} = off")
        query = JOB_AGGREGATE.format(checksums=checksums_sql(sql, CountingTypes.current()))
        seconds, _ = _timed(lambda: cursor.execute(query, params) or cursor.fetchall())
    return seconds


def job_in_rollback(today, *, prepare=None, full: bool = False, verify: bool = False) -> tuple[float, dict]:
    """Time one run of the job, then undo everything it (and `prepare`) wrote.

    The usage table is vacuumed first, as autovacuum leaves it within a minute of each day's
    run (limits migration 0007): the rows of the runs rolled back before are cleared away.
    """
    with connection.cursor() as cursor:
        cursor.execute("VACUUM limits_contactusage")
    outcome: dict = {}
    try:
        with transaction.atomic():
            if prepare:
                prepare()
            seconds, result = _timed(lambda: usage_recompute(today=today, full=full, verify=verify))
            outcome = {"seconds": seconds, **result.as_dict()}
            raise Rollback
    except Rollback:
        pass
    return outcome["seconds"], outcome


# A busy hour: activities recorded today for contacts spread over the program (every 300th).
RECORD_ACTIVITIES = """
INSERT INTO references_referenceactivity
    (contact_id, account_id, activity_type_id, occurred_on, notes, created_at)
SELECT c.id, c.account_id, %(activity_type)s, %(today)s, '', now()
FROM references_contact c WHERE c.id %% %(every)s = 0 ORDER BY c.id LIMIT %(rows)s
"""


RECORD_ONE = """
INSERT INTO references_referenceactivity
    (contact_id, account_id, activity_type_id, occurred_on, notes, created_at)
SELECT c.id, c.account_id, t.id, %(today)s, '', now()
FROM references_contact c, references_activitytype t
WHERE c.id = %(contact)s AND t.code = 'reference_call'
"""


def record_activities(today, rows: int, *, every: int = 300) -> None:
    activity_type = ActivityType.objects.filter(counts_toward_limits=True).order_by("pk").first()
    params = {"activity_type": activity_type.pk, "today": today, "every": every, "rows": rows}
    with connection.cursor() as cursor:
        cursor.execute(RECORD_ACTIVITIES, params)


def record_activity(today, contact_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(RECORD_ONE, {"today": today, "contact": contact_id})


def trigger_cost(today, *, runs: int) -> dict:
    """Writing activities with the triggers that note changes, and with them off (rolled back;
    turning them off takes `session_replication_role`, which needs a superuser such as postgres)."""
    contact_ids = list(Contact.objects.order_by("pk").values_list("pk", flat=True)[:200_000:1000])

    def write(*, triggers: bool, one_by_one: bool) -> float:
        try:
            with transaction.atomic():
                if not triggers:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
                if one_by_one:  # as the app records them: one INSERT per activity, by contact id
                    seconds, _ = _timed(lambda: [record_activity(today, pk) for pk in contact_ids])
                else:
                    seconds, _ = _timed(lambda: record_activities(today, 10_000, every=7))
                raise Rollback
        except Rollback:
            pass
        return seconds

    report = {}
    for name, one_by_one in (("10000_in_one_statement", False), ("200_one_at_a_time", True)):
        timings = {
            label: statistics.median(write(triggers=triggers, one_by_one=one_by_one) for _ in range(runs))
            for label, triggers in (("with_triggers_s", True), ("without_s", False))
        }
        report[name] = {label: round(value, 4) for label, value in timings.items()}
    return report


def _summary(samples: list[float]) -> dict:
    return {
        "median_s": round(statistics.median(samples), 3),
        "min_s": round(min(samples), 3),
        "runs": len(samples),
    }


def settle(today) -> None:
    """Fill the stored usage afresh, as the job does on its first run and after a change of the
    rules (in contact order), and load the URL configuration a worker has loaded long before (the
    summaries link to pages).

    The usage table is compacted too: earlier benchmark runs rolled back rewrites of it, leaving
    dead rows a deployment never has (there autovacuum reuses the space of a day's few thousand
    updates, which stay on their page), and each benchmark starts from the same healthy table.
    """
    reverse("manage:home")
    ContactUsage.objects.update(rules_key=0)  # as if the rules had changed: every row written again
    usage_recompute(today=today)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL ANALYZE limits_contactusage")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "limits.json"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/limits.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    today = timezone.localdate()
    settle(today)
    print(
        f"{Contact.objects.count():,} contacts, {ReferenceActivity.objects.count():,} activities, "
        f"{ContactUsage.objects.count():,} usage rows stored"
    )
    bare_aggregate(today)  # warm the cache: every figure below is with the data in memory

    def clear_usage():
        ContactUsage.objects.all().delete()

    jobs = {
        "job_unchanged": lambda: job_in_rollback(today),
        "job_after_edits": lambda: job_in_rollback(today, prepare=lambda: record_activities(today, 1_000)),
        "job_next_day": lambda: job_in_rollback(today + timedelta(days=1)),
        "job_verify": lambda: job_in_rollback(today, verify=True),
        "job_full": lambda: job_in_rollback(today, full=True),
        "job_first_run": lambda: job_in_rollback(today, prepare=clear_usage),
    }
    measured: dict[str, list[float]] = {name: [] for name in ("bare_aggregate", "bare_aggregate_index_only")}
    measured["job_aggregate"] = []
    bare_before: dict[str, list[float]] = {name: [] for name in jobs}
    details: dict[str, dict] = {}
    # The aggregates first, on a quiet cache; then the jobs, those that leave the most dead rows
    # behind (a full rewrite, rolled back) last.
    for _run in range(args.runs):
        measured["bare_aggregate"].append(bare_aggregate(today))
        measured["bare_aggregate_index_only"].append(bare_aggregate(today, index_only=True))
        measured["job_aggregate"].append(job_aggregate(today))
    for name, job in jobs.items():
        measured[name] = []
        for _run in range(args.runs):
            bare_before[name].append(min(bare_aggregate(today), bare_aggregate(today, index_only=True)))
            seconds, details[name] = job()
            measured[name].append(seconds)
        print(f"{name}: {statistics.median(measured[name]):.3f}s")
    results = {name: _summary(samples) for name, samples in measured.items()}
    bare = min(results["bare_aggregate"]["median_s"], results["bare_aggregate_index_only"]["median_s"])
    own = results["job_aggregate"]["median_s"]
    ratios = {name: round(results[name]["median_s"] / bare, 2) for name in jobs}
    ratios_to_own = {name: round(results[name]["median_s"] / own, 2) for name in jobs}
    # The machine may be busy with other work: also compare each run with the bare aggregate
    # measured right before it, and take the median of those ratios.
    paired = {}
    for name in jobs:
        pairs = zip(measured[name], bare_before[name], strict=True)
        paired[name] = round(statistics.median(job / b for job, b in pairs), 2)
    report = {
        "when": timezone.now().isoformat(timespec="seconds"),
        "database": connection.settings_dict["NAME"],
        "postgres": connection.cursor().connection.info.server_version,
        "python": platform.python_version(),
        "contacts": Contact.objects.count(),
        "activities": ReferenceActivity.objects.count(),
        "timings": results,
        "ratio_to_bare_aggregate": ratios,
        "ratio_to_bare_aggregate_run_by_run": paired,
        "ratio_to_job_aggregate": ratios_to_own,
        "target_ratio": 3.0,
        "trigger_cost": trigger_cost(today, runs=args.runs),
        "job_changes": {name: {k: v for k, v in d.items() if k != "seconds"} for name, d in details.items()},
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    summary = {
        "timings": results,
        "ratios": ratios,
        "run_by_run": paired,
        "to_job_aggregate": ratios_to_own,
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
