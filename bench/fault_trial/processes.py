"""Starting, watching and stopping the processes of the system, the private Redis among them."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import redis
import requests

from bench.environment import HOST, ROOT
from bench.fault_trial.clock import CLOCK
from bench.fault_trial.environment import REDIS_PORT, WORKDIR, free_port
from tests.notifications.worker import wait_for  # the tests' harness: the same polling, one copy

BIN = Path(sys.executable).parent


class Services:
    """Every process the trial starts, each in a session of its own (so a signal can reach its
    children), its output in var/faults/<name>.log.

    `supervise()` plays a restart policy (docker's `restart: always`, systemd's `Restart=`): a web
    process, worker or beat that exits when the trial did not stop it is started again at once,
    and the exit is an event of the report. Without it, a worker that dies on a broker outage
    would leave every later email to the drain's timeout, and the trial would measure nothing.
    """

    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, list[str]] = {}
        self.web_ports: list[int] = []
        self.lock = threading.RLock()
        self.expected: set[str] = set()  # stopped on purpose: not to be restarted by the supervisor
        self.unexpected_exits: list[dict] = []
        self.done = threading.Event()

    def spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        with self.lock, (WORKDIR / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=os.environ.copy(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes[name] = process
            self.commands[name] = command
        return process

    def supervise(self) -> None:
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while not self.done.wait(0.5):
            with self.lock:
                for name, process in list(self.processes.items()):
                    if name == "redis" or name in self.expected or process.poll() is None:
                        continue
                    code = process.returncode
                    self.spawn(name, self.commands[name])
                    self.unexpected_exits.append({"at": time.time(), "process": name, "returncode": code})
                    CLOCK.event(f"{name} exited by itself (code {code}); started again")

    def alive(self, name: str) -> bool:
        process = self.processes.get(name)
        return process is not None and process.poll() is None

    def signal_group(self, name: str, sig: int) -> None:
        if self.alive(name):
            os.killpg(self.processes[name].pid, sig)

    def stop(self, name: str, timeout: float = 20) -> None:
        """SIGTERM the process's group (thawed first), SIGKILL what is left after `timeout`."""
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        for sig in (signal.SIGCONT, signal.SIGTERM):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout)
        with contextlib.suppress(ProcessLookupError):  # the group's stragglers (pool children) too
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        self.done.set()
        with self.lock:
            self.expected |= set(self.processes)
        for name in reversed(list(self.processes)):
            try:
                self.stop(name)
            except Exception as error:  # go on with the others; say what was left
                print(f"Could not stop {name}: {error}", file=sys.stderr)

    def group_of(self, pid: int) -> str | None:
        """The name of the started process whose group `pid` belongs to."""
        try:
            group = os.getpgid(pid)
        except ProcessLookupError:
            return None
        return next((name for name, p in self.processes.items() if p.pid == group and p.poll() is None), None)

    # The parts of the system.

    def start_redis(self) -> None:
        command = [
            "redis-server",
            "--bind",
            HOST,
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.spawn("redis", command)
        client = redis.Redis(host=HOST, port=REDIS_PORT, socket_timeout=1)
        wait_for(lambda: _pings(client), timeout=10, what="redis-server to answer")

    def start_web(self, number: int) -> int:
        port = free_port()
        command = [
            str(BIN / "gunicorn"),
            "rms.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
        ]
        name = f"web{number}"
        self.spawn(name, command)
        wait_for(lambda: self._answers(name, port), timeout=60, what=f"{name} to answer /healthz")
        self.web_ports.append(port)
        return port

    def _answers(self, name: str, port: int) -> bool:
        if not self.alive(name):
            sys.exit(f"{name} stopped at start; see {WORKDIR / name}.log")
        try:
            return requests.get(f"http://{HOST}:{port}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def start_worker(self, number: int) -> None:
        name = f"worker{number}"
        log = WORKDIR / f"{name}.log"
        offset = log.stat().st_size if log.exists() else 0
        command = [
            str(BIN / "celery"), "-A", "rms", "worker", "-l", "info", "-n", f"faults{number}@%h",
            "-Q", "celery,notifications,maintenance", "--concurrency", "2",
        ]  # fmt: skip
        self.spawn(name, command)

        def ready() -> bool:
            if not self.alive(name):
                sys.exit(f"{name} stopped at start; see {log}")
            with log.open("rb") as output:
                output.seek(offset)
                return b" ready." in output.read()

        wait_for(ready, timeout=60, what=f"{name} to be ready")

    def start_beat(self) -> None:
        schedule = WORKDIR / "celerybeat-schedule"
        for old in WORKDIR.glob("celerybeat-schedule*"):
            old.unlink()
        self.spawn("beat", [str(BIN / "celery"), "-A", "rms", "beat", "-l", "info", "-s", str(schedule)])


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
