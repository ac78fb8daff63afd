"""`make bench`: every benchmark, on PostgreSQL with the demo at scale (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench make bench

An empty database is migrated and seeded first (`seed_demo --accounts 100000`, a few minutes);
a seeded one is used as it is. Then runs bench/search.py (the sales search page), bench/load.py
(the same pages under 50 concurrent users) and, when present, the other benchmarks in this
directory, each writing its results under bench/results/.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "100000"))
# Other benchmarks run after the search one, in this order, if their files exist.
OTHERS = ["load.py", "memory.py", "render.py", "availability.py", "limits.py", "crm.py", "insights.py"]


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def accounts_in_database() -> int:
    script = "from references.models import Account; print(Account.objects.count())"
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(
            "make bench needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/rms_bench make bench "
            "(an empty database is seeded with 100,000 accounts first)."
        )
    os.environ.setdefault("DEBUG", "1")
    manage("migrate", "--no-input", "-v", "0")
    existing = accounts_in_database()
    if existing == 0:
        print(f"Seeding the demo with {ACCOUNTS:,} accounts (a few minutes)…", flush=True)
        manage("seed_demo", "--accounts", str(ACCOUNTS))
    elif existing < ACCOUNTS:
        print(f"Note: the database has {existing:,} accounts, not {ACCOUNTS:,}; measuring it as it is.")
    failed = []
    for script in ["search.py", *OTHERS]:
        path = BENCH / script
        if not path.exists():
            continue
        print(f"\n== bench/{script}", flush=True)
        if subprocess.run([sys.executable, str(path)], cwd=ROOT).returncode != 0:
            failed.append(script)
    if failed:
        sys.exit(f"Benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
