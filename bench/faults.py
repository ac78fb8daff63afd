"""Email notifications under faults: the whole system run from outside, with faults injected.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_faults .venv/bin/python bench/faults.py

Runs on a database of its own (it writes requests and notifications, so never on the bench
database): migrates it and seeds the standard demo (`seed_demo`, 1,000 accounts) when it is empty.
Then starts, all on that database and a private `redis-server` on a free port (nothing saved, so
a stop loses what was queued): two web processes (gunicorn, 2 sync workers each, production
settings of bench/environment.py), two Celery workers (`-Q celery,notifications,maintenance`,
as `make worker`) and beat, with the sweeper every 2 s (NOTIFICATION_SWEEP_SECONDS), a grace of
2 s and a claim timeout of 15 s, so a lost message is re-sent within seconds, not minutes. Email
goes over SMTP to a sink in this process, a stand-in for the mail server: it records every
message it accepts (Message-ID, X-RMS-Notification, recipients, whether the client was still
there) and can delay its reply to DATA, so a send is in flight when a fault hits.

`--users` threads play the demo users over HTTP, alternating between the two web processes:
a sales rep requests a reference for one of their deals, the reference manager approves it with
the contact, then the account owner approves (or the manager on the owner's behalf, and then
schedules the call; or the rep cancels, before or after the approval). Every step's latency and
status is recorded, and /readyz of the first web process is polled every 0.2 s. Meanwhile, in
phases:

- **baseline**: no fault;
- **kill9**: the sink delays its reply 3 s; the worker whose connection is in flight is killed
  (`kill -9`, its whole process group), then started again;
- **redis_stop**: while a send is in flight (the sink delaying, so a worker holds an
  unacknowledged message), the Redis server is stopped for 15 s, then started on the same port
  (empty);
- **redis_freeze**: likewise, the Redis server is frozen (SIGSTOP) for 10 s, then thawed (SIGCONT);
- **pg_terminate**: with the sink delaying 3 s, PostgreSQL ends every connection to the database
  but this script's, at moments when rows are `sending` (twice);
- **sigterm**: the worker whose send is in flight gets SIGTERM (a warm shutdown), then starts again.

A process of the app that exits by itself is started again at once, as a restart policy would,
and its exit is reported. After the last phase the flows stop, and it waits until no email row
of the trial is pending or sending (`--drain` seconds at most), and a little more for the
sweeper. Reported: the trial's rows by
channel and status; emails the sink accepted; copies per row and whether copies share one
Message-ID; lost (rows marked sent that never reached the sink, rows never finished, rows failed);
duplicates with the phase of each copy; step latencies (p50/p95/max) per phase, for every step and
for the steps that write email notifications; errors per phase; /readyz's detection and recovery
times for the Redis faults. Results: bench/results/faults.json and faults.md; the logs of every
process under var/faults/. Every process it starts is stopped at the end, on Ctrl-C or an error too.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.environment import ROOT, configure
from bench.fault_trial.clock import CLOCK
from bench.fault_trial.environment import SMTP_PORT, WORKDIR
from bench.fault_trial.flows import plan_flows
from bench.fault_trial.markdown import write_markdown
from bench.fault_trial.processes import Services
from bench.fault_trial.readiness import ReadyProbe
from bench.fault_trial.report import build_report
from bench.fault_trial.smtp_sink import SmtpSink, pid_of_local_port
from bench.fault_trial.users import Users
from tests.notifications.faults import admin_connection  # the tests' harness: one copy

RESULTS = Path(__file__).resolve().parent / "results"


class Trial:
    def __init__(self, args) -> None:
        self.args = args
        self.services = Services()
        self.sink = SmtpSink(SMTP_PORT)
        self.admin: psycopg.Connection | None = None
        self.started = time.time()
        self.outages: dict[str, dict] = {}
        self.terminated: list[dict] = []

    def run(self) -> dict:
        from django.db import connection

        flows = plan_flows(self.args.flows)
        connection.close()  # from here on, this script talks to the database through `admin` only
        print(f"Planned {len(flows)} request flows ({dict(Counter(f.kind for f in flows))}).", flush=True)
        self.sink.start()
        CLOCK.enter("setup")
        self.started = time.time()
        self.admin = admin_connection()
        ports = [self.services.start_web(n) for n in (1, 2)]
        for number in (1, 2):
            self.services.start_worker(number)
        self.services.start_beat()
        self.services.supervise()
        probe = ReadyProbe(ports[0])
        users = Users(ports, flows, self.args.users, self.args.think)
        probe.start()
        users.start()
        try:
            self.phases()
        finally:
            users.join(timeout=90)
            probe.stop.set()
        CLOCK.close()
        drained = self.drain()
        return {"users": users, "probe": probe, "drained": drained, "flows": flows}

    def phases(self) -> None:
        seconds = self.args.phase_seconds
        CLOCK.enter("baseline")
        time.sleep(seconds)

        CLOCK.enter("kill9")
        self.kill_sending_worker(signal.SIGKILL)
        time.sleep(seconds)

        CLOCK.enter("redis_stop")
        self.wait_for_a_send()
        self.services.stop("redis")
        down = CLOCK.event("redis stopped")
        time.sleep(15)
        self.services.start_redis()
        up = CLOCK.event("redis started again")
        self.outages["redis_stop"] = {"down": down, "up": up}
        time.sleep(seconds)

        CLOCK.enter("redis_freeze")
        self.wait_for_a_send()
        self.services.signal_group("redis", signal.SIGSTOP)
        down = CLOCK.event("redis frozen (SIGSTOP)")
        time.sleep(10)
        self.services.signal_group("redis", signal.SIGCONT)
        up = CLOCK.event("redis thawed (SIGCONT)")
        self.outages["redis_freeze"] = {"down": down, "up": up}
        time.sleep(seconds)

        CLOCK.enter("pg_terminate")
        self.sink.delay = 3.0
        for _ in range(2):
            self.terminate_while_sending()
            time.sleep(5)
        self.sink.delay = 0.0
        time.sleep(seconds)

        CLOCK.enter("sigterm")
        self.kill_sending_worker(signal.SIGTERM)
        time.sleep(seconds)

    def wait_for_a_send(self) -> None:
        """The Redis faults hit while a worker is sending (it holds an unacknowledged message),
        as an outage during approvals does: the sink delays its replies until one is in flight."""
        self.sink.delay = 3.0
        if self.sink.wait_in_flight(timeout=30) is None:
            CLOCK.event("no send in flight within 30 s")
        self.sink.delay = 0.0

    def kill_sending_worker(self, sig: int) -> None:
        """With the sink delaying its reply, send `sig` to the worker whose message is in flight
        (SIGKILL: to its whole group; SIGTERM: to its main process, as a container stop does), wait
        for it to end, start it again."""
        self.sink.delay = 3.0
        try:
            name = None
            deadline = time.monotonic() + 60
            while name is None and time.monotonic() < deadline:
                port = self.sink.wait_in_flight(timeout=max(0.1, deadline - time.monotonic()))
                pid = pid_of_local_port(port) if port else None
                name = self.services.group_of(pid) if pid else None
            if name is None:
                CLOCK.event("no send in flight from a worker found; no signal sent")
                return
            process = self.services.processes[name]
            self.services.expected.add(name)
            if sig == signal.SIGKILL:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.send_signal(sig)
            CLOCK.event(f"{signal.Signals(sig).name} to {name}", sender_pid=pid, client_port=port)
            try:
                process.wait(90)
            except subprocess.TimeoutExpired:
                self.services.stop(name)
            CLOCK.event(f"{name} ended", returncode=process.returncode)
        finally:
            self.sink.delay = 0.0
        number = int(name.removeprefix("worker"))
        self.services.start_worker(number)
        self.services.expected.discard(name)
        CLOCK.event(f"{name} started again")

    def terminate_while_sending(self) -> None:
        """Wait for a row being sent, then have PostgreSQL end every connection of the app."""
        from notifications.models import Status

        deadline = time.monotonic() + 60
        sending = 0
        while time.monotonic() < deadline:
            sending = self.admin.execute(
                "SELECT count(*) FROM notifications_notification WHERE status = %s", [Status.SENDING]
            ).fetchone()[0]
            if sending:
                break
            time.sleep(0.05)
        ended = self.admin.execute(
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
        self.terminated.append({"at": time.time(), "sending": sending, "connections_ended": ended})
        CLOCK.event("PostgreSQL ended the app's connections", rows_sending=sending, connections=ended)

    def drain(self) -> dict:
        """Wait until no email row of the trial is pending or sending, then a little more."""
        from notifications.models import Status

        started = time.time()
        left = None
        since = datetime.fromtimestamp(self.started, UTC)
        while time.time() - started < self.args.drain:
            left = self.admin.execute(
                "SELECT count(*) FROM notifications_notification WHERE channel = 'email'"
                " AND status IN (%s, %s) AND created_at >= %s",
                [Status.PENDING, Status.SENDING, since],
            ).fetchone()[0]
            if left == 0:
                break
            time.sleep(1)
        seconds = round(time.time() - started, 1)
        CLOCK.event("drained" if left == 0 else "drain timed out", left=left, seconds=seconds)
        time.sleep(10)  # a few more sweeps: nothing may be sent again after this
        return {"seconds": seconds, "left": left}

    def cleanup(self) -> None:
        self.services.stop_all()
        self.sink.stop()
        if self.admin is not None:
            self.admin.close()


def prepare_database() -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True, cwd=ROOT)
    subprocess.run([*manage, "seed_demo", "--if-empty"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=4, help="concurrent users (threads)")
    parser.add_argument("--think", type=float, default=0.6, help="seconds a user waits between steps")
    parser.add_argument("--phase-seconds", type=float, default=20, help="flows after each fault")
    parser.add_argument("--flows", type=int, default=1000, help="request flows planned at most")
    parser.add_argument("--drain", type=float, default=300, help="seconds to wait for the last emails")
    parser.add_argument("--output", default=str(RESULTS / "faults.json"))
    args = parser.parse_args()
    args.load_before = [round(x, 2) for x in os.getloadavg()]

    def stop(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C too, even when started with SIGINT ignored (in the background of a script).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    for old in WORKDIR.glob("*.log"):
        old.unlink()
    trial = Trial(args)
    try:
        trial.services.start_redis()  # seeding may publish; the workers take it later
        configure()  # production settings, shared with every process started below
        prepare_database()
        outcome = trial.run()
        from django.db import connection

        connection.close()
        report = build_report(trial, outcome)
    finally:
        trial.cleanup()
    from bench.report import save

    save(report, Path(args.output), write_markdown)
    print(Path(args.output).with_suffix(".md").read_text())


if __name__ == "__main__":
    main()
