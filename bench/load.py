"""Load test: 50 concurrent users on the sales search against gunicorn, and a plain-SQL control.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench .venv/bin/python bench/load.py

Needs the bench database (`seed_demo --accounts 100000`). Starts gunicorn on a free port with the
project's WSGI app (`rms.wsgi`, `--workers`, DEBUG off: bench/environment.py), signs in as the
demo rep `sales` (a session stored in the database, its cookie sent by every user), then:

- **app**: `--users` threads, each with its own keep-alive HTTP connection, loop for `--seconds`
  over the search pages of bench/search.py's rows (each user starting at a different row); every
  latency and status is recorded. An error is any answer but 200, or an exception.
- **control**: the same number of threads for the same time, each on its own database connection,
  replaying the SQL statements each of those pages runs (captured once, as bench/search.py does):
  what the database alone can serve, in pages per second.

Reported: pages/s, p50/p95/p99, errors, p99 ÷ p50 for both, and app ÷ control throughput.
Targets (issue 14): 0 errors, at least 5× the throughput before issue 14, p99 ≤ 2× p50. Results:
bench/results/load.json and bench/results/load.md.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.environment import HOST, PROXY_HEADERS, ROOT, configure

configure()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench import pages  # noqa: E402
from bench.report import save, write_load_markdown  # noqa: E402
from references.models import Account  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
# Pages/s before issue 14's search core, at 100,000 accounts: issue 14's figure; this script measured
# 3.7–7.7 on a shared machine (bench/README.md), and the higher figure keeps the 5× target honest.
BEFORE_PAGES_PER_SECOND = 10.0
TARGET_SPEEDUP = 5.0
TARGET_TAIL = 2.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "rms.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
    ]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=output, stderr=output)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start; see {log}")
        try:
            status, _ = get(http.client.HTTPConnection(HOST, port, timeout=5), "/healthz", "")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    sys.exit(f"gunicorn did not answer /healthz within 60 s; see {log}")


def get(conn: http.client.HTTPConnection, url: str, cookie: str) -> tuple[int, int]:
    """(status, bytes) of one GET on a kept-alive connection (reopened if the server closed it)."""
    conn.request("GET", url, headers={**PROXY_HEADERS, "Host": HOST, "Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


Sample = tuple[str, float, str, float]


def run_users(users: int, seconds: float, work) -> list[Sample]:
    """Start `users` threads calling `work(user_number, deadline, record)` until the deadline. Each
    sample is (row name, milliseconds, outcome, seconds since the start when it finished), the
    outcome "ok" or what went wrong; pages started before the deadline are waited for."""
    samples: list[Sample] = []
    lock = threading.Lock()
    start = time.perf_counter()

    def record(name: str, ms: float, outcome: str) -> None:
        with lock:
            samples.append((name, ms, outcome, time.perf_counter() - start))

    threads = [threading.Thread(target=work, args=(n, start + seconds, record)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def app_user(rows, port: int, cookie: str):
    def work(number: int, deadline: float, record) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        turn = number
        while time.perf_counter() < deadline:
            row = rows[turn % len(rows)]
            turn += 1
            started = time.perf_counter()
            try:
                status, _ = get(conn, row.url, cookie)
                outcome = "ok" if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as error:
                outcome = f"{type(error).__name__}: {error}"
                conn.close()
            record(row.name, (time.perf_counter() - started) * 1000, outcome)
        conn.close()

    return work


def control_user(rows, statements: dict):
    def work(number: int, deadline: float, record) -> None:
        turn = number
        try:
            with connection.cursor() as cursor:  # this thread's own database connection
                while time.perf_counter() < deadline:
                    row = rows[turn % len(rows)]
                    turn += 1
                    started = time.perf_counter()
                    try:
                        pages.replay(cursor, statements[row.name])
                        outcome = "ok"
                    except Exception as error:  # a failed statement is an error sample, as in the app
                        outcome = f"{type(error).__name__}: {error}"
                    record(row.name, (time.perf_counter() - started) * 1000, outcome)
        finally:
            connection.close()

    return work


def summarize(samples: list[Sample], seconds: float, load_before: float) -> dict:
    """Throughput from the pages finished within the window (the last ones, started in it and
    finished after, would stretch it); latencies and errors from every page; the machine's load
    average before and after (other work on the machine shows there)."""
    latencies = [ms for _, ms, _, _ in samples]
    errors = [outcome for _, _, outcome, _ in samples if outcome != "ok"]
    in_window = sum(1 for *_, finished in samples if finished <= seconds)
    p50, p99 = statistics.median(latencies), pages.percentile(latencies, 0.99)
    by_row = {}
    for name in dict.fromkeys(name for name, *_ in samples):
        mine = [ms for row, ms, *_ in samples if row == name]
        by_row[name] = {
            "pages": len(mine),
            "p50_ms": round(statistics.median(mine), 1),
            "p95_ms": round(pages.percentile(mine, 0.95), 1),
        }
    return {
        "pages": len(samples),
        "pages_in_window": in_window,
        "pages_per_second": round(in_window / seconds, 1),
        "p50_ms": round(p50, 1),
        "p95_ms": round(pages.percentile(latencies, 0.95), 1),
        "p99_ms": round(p99, 1),
        "p99_over_p50": round(p99 / p50, 2),
        "errors": len(errors),
        "first_errors": sorted(set(errors))[:5],
        "by_row": by_row,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--output", default=str(RESULTS / "load.json"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The load test needs PostgreSQL: set DATABASE_URL=postgres://…")
    user = pages.sales_user()
    rows = pages.rows(user, pages.demo_deal(user), pages.pick_terms())
    client = pages.signed_in_client(user)
    statements = {row.name: pages.capture_page(client, row) for row in rows}
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    report = {
        "machine": pages.machine(),
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "accounts": Account.objects.count(),
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers,
        "rows": [row.name for row in rows],
    }
    connection.close()  # the users open their own
    log = ROOT / "var" / "bench-gunicorn.log"
    port = free_port()
    server = start_gunicorn(port, args.workers, log)
    try:
        warm = http.client.HTTPConnection(HOST, port, timeout=60)
        for row in rows * args.workers * 2:  # every worker loads its templates and code first
            status, _ = get(warm, row.url, cookie)
            if status != 200:
                sys.exit(f"{row.name}: gunicorn answered {status}, not 200 ({row.url}); see {log}")
        warm.close()
        print(
            f"app: {args.users} users for {args.seconds:.0f} s on gunicorn ({args.workers} workers)…",
            flush=True,
        )
        before = os.getloadavg()[0]
        samples = run_users(args.users, args.seconds, app_user(rows, port, cookie))
        report["app"] = summarize(samples, args.seconds, before)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"control: {args.users} users for {args.seconds:.0f} s replaying the pages' SQL…", flush=True)
    before = os.getloadavg()[0]
    samples = run_users(args.users, args.seconds, control_user(rows, statements))
    report["control"] = summarize(samples, args.seconds, before)
    app, control = report["app"], report["control"]
    report["app_over_control"] = round(app["pages_per_second"] / control["pages_per_second"], 2)
    report["before_pages_per_second"] = BEFORE_PAGES_PER_SECOND
    report["speedup"] = round(app["pages_per_second"] / BEFORE_PAGES_PER_SECOND, 2)
    report["targets"] = {
        "no_errors": app["errors"] == 0,
        f"at_least_{TARGET_SPEEDUP:.0f}x_before": report["speedup"] >= TARGET_SPEEDUP,
        f"p99_at_most_{TARGET_TAIL:.0f}x_p50": app["p99_over_p50"] <= TARGET_TAIL,
    }
    for name in ("app", "control"):
        part = report[name]
        print(
            f"{name:8} {part['pages_per_second']:7.1f} pages/s  p50 {part['p50_ms']:7.1f}  "
            f"p95 {part['p95_ms']:7.1f}  p99 {part['p99_ms']:7.1f} ms  p99÷p50 {part['p99_over_p50']}  "
            f"errors {part['errors']}",
            flush=True,
        )
    print(f"app ÷ control {report['app_over_control']}; {report['speedup']}× before")
    save(report, Path(args.output), write_load_markdown)


if __name__ == "__main__":
    main()
