"""A real Celery worker in a subprocess, for the integration tests: same code, same settings
module as production, reading the test database and a dedicated Redis database."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, every: float = 0.2):
    """Poll `condition` until it returns something true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout:.0f}s waiting for {what}.")


def dedicated_redis_url(redis_url: str) -> str:
    """The Redis of REDIS_URL with a database of its own for worker tests (WORKER_TEST_REDIS_DB,
    default: REDIS_URL's database + 8), so a stray message of another test run never reaches them."""
    parts = urlsplit(redis_url)
    current = int(parts.path.strip("/") or 0)
    db = int(os.environ.get("WORKER_TEST_REDIS_DB", (current + 8) % 16))
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


def database_url_of_tests() -> str:
    """A DATABASE_URL naming the database the tests are running against."""
    s = connection.settings_dict
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


class WorkerProcess:
    """`celery -A rms worker`, in the solo pool unless POOL names another."""

    def __init__(self, name: str, workdir: Path, broker_url: str, mail_dir: Path, **env: str):
        self.name = name
        self.log_path = workdir / f"{name}.log"
        self.beat = env.pop("BEAT", "") == "1"  # run beat inside the worker (-B)
        self.pool = env.pop("POOL", "solo")  # solo: one process, so killing it stops everything it runs
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rms.settings",
            "SECRET_KEY": "worker-tests-only",
            "DEBUG": "0",
            "RMS_VAR_DIR": str(workdir / "var"),
            "DATABASE_URL": database_url_of_tests(),
            "REDIS_URL": broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        command = [
            sys.executable, "-m", "celery", "-A", "rms", "worker",
            "-P", self.pool, "-c", "2", "-l", "info", "-n", f"{self.name}@%h",
            "-Q", "celery,notifications,maintenance",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        if self.beat:
            command += ["-B", "-s", str(self.log_path.with_suffix(".schedule"))]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for(self._ready, timeout=45, what=f"worker {self.name} to start (log: {self.log_path})")
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"Worker {self.name} exited:\n{self.log()}")
        return " ready." in self.log()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and everything it started: no clean shutdown, no acknowledgement."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
