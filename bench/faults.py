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
import asyncio
import contextlib
import html
import itertools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import psycopg
import redis
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.environment import HOST, PROXY_HEADERS, ROOT, configure

RESULTS = Path(__file__).resolve().parent / "results"
WORKDIR = ROOT / "var" / "faults"
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "demo"
REPS = ("sales", "sales2")
MANAGER = "manager"
# The steps whose POST writes email notifications (and enqueues them after commit).
ENQUEUING = ("submit", "approve", "owner_approve", "approve_for_owner", "schedule", "cancel")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Short sweeper periods, so a trial takes minutes (rms/celery.py, rms/settings.py).
TRIAL_SETTINGS = {
    "NOTIFICATION_SWEEP_SECONDS": "2",
    "NOTIFICATION_SWEEP_GRACE": "2",
    "NOTIFICATION_CLAIM_TIMEOUT": "15",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(
            "The fault trial needs PostgreSQL: DATABASE_URL=postgres://…/rms_faults (a database of its own)."
        )
    return url


REDIS_PORT = free_port()
SMTP_PORT = free_port()
DATABASE_URL = database_url()
os.environ.update(
    {
        "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(SMTP_PORT),
        # The users talk plain HTTP to gunicorn behind an imagined TLS proxy (PROXY_HEADERS):
        # cookies marked Secure would never be sent back.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        **TRIAL_SETTINGS,
    }
)
WORKDIR.mkdir(parents=True, exist_ok=True)


# --- The phases ------------------------------------------------------------------------------


class Clock:
    """The current phase, the phases so far (wall-clock start and end), and what was done when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.phase = "setup"
        self.phases: list[dict] = []
        self.events: list[dict] = []

    def enter(self, name: str) -> None:
        with self.lock:
            now = time.time()
            if self.phases:
                self.phases[-1]["ended"] = now
            self.phases.append({"name": name, "started": now, "ended": None})
            self.phase = name
        print(f"[{datetime.now(UTC):%H:%M:%S}] phase {name}", flush=True)

    def close(self) -> None:
        with self.lock:
            if self.phases and self.phases[-1]["ended"] is None:
                self.phases[-1]["ended"] = time.time()
            self.phase = "drain"

    def event(self, what: str, **details) -> float:
        now = time.time()
        with self.lock:
            self.events.append({"at": now, "phase": self.phase, "what": what, **details})
        print(f"[{datetime.now(UTC):%H:%M:%S}]   {what} {details or ''}", flush=True)
        return now

    def phase_at(self, moment: float) -> str:
        for phase in reversed(self.phases):
            if moment >= phase["started"]:
                return phase["name"] if phase["ended"] is None or moment < phase["ended"] else "drain"
        return "setup"


CLOCK = Clock()


# --- The mail server: an SMTP sink ---------------------------------------------------------


@dataclass
class Received:
    at: float
    phase: str
    notification: str
    message_id: str
    recipients: list[str]
    client_gone: bool  # the client had hung up when the sink accepted it (its reply was lost)


class SmtpSink:
    """A minimal SMTP server on asyncio in a thread: accepts everything, keeps what it accepted.
    `delay` seconds pass between the end of DATA and the reply; `in_flight` maps the client's
    port to the moment its DATA ended, while it waits for the reply."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.delay = 0.0
        self.received: list[Received] = []
        self.in_flight: dict[int, float] = {}
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.started = threading.Event()

    def start(self) -> "SmtpSink":
        self.thread.start()
        if not self.started.wait(10):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def stop(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._session, HOST, self.port))
        self.started.set()
        try:
            self.loop.run_forever()
        finally:
            server.close()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client_port = writer.get_extra_info("peername")[1]
        recipients: list[str] = []
        try:
            writer.write(b"220 sink ESMTP\r\n")
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    writer.write(b"250-sink\r\n250 8BITMIME\r\n")
                elif verb == b"MAIL":
                    recipients = []
                    writer.write(b"250 OK\r\n")
                elif verb == b"RCPT":
                    recipients.append(line.decode(errors="replace").split(":", 1)[1].strip().strip("<>"))
                    writer.write(b"250 OK\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    await writer.drain()
                    await self._data(reader, writer, client_port, recipients)
                elif verb == b"QUIT":
                    writer.write(b"221 Bye\r\n")
                    break
                else:  # HELO, RSET, NOOP
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _data(self, reader, writer, client_port: int, recipients: list[str]) -> None:
        lines = []
        while (line := await reader.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        delay = self.delay
        with self.lock:
            self.in_flight[client_port] = time.time()
        try:
            if delay:
                await asyncio.sleep(delay)
            # Accepted now, as a mail server commits a message before it replies: whether the client
            # is still there to hear the reply is noted (reading finds the end of a closed connection).
            try:
                gone = await asyncio.wait_for(reader.read(1), 0.01) == b""
            except TimeoutError:
                gone = False
            message = BytesParser(policy=policy.default).parsebytes(b"".join(lines), headersonly=True)
            now = time.time()
            with self.lock:
                self.received.append(
                    Received(
                        at=now,
                        phase=CLOCK.phase_at(now),
                        notification=str(message.get("X-RMS-Notification", "")),
                        message_id=str(message.get("Message-ID", "")),
                        recipients=list(recipients),
                        client_gone=gone,
                    )
                )
            writer.write(b"250 OK queued\r\n")
        finally:
            with self.lock:
                self.in_flight.pop(client_port, None)

    def wait_in_flight(self, timeout: float) -> int | None:
        """The client port of a message waiting for its reply (None after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.in_flight:
                    return next(iter(self.in_flight))
            time.sleep(0.05)
        return None


def pid_of_local_port(port: int) -> int | None:
    """The process holding the TCP socket bound to local `port` on this machine (via /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in itertools.islice(rows, 1, None):
                parts = row.split()
                if int(parts[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{parts[9]}]")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(entry.name)
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return None


# --- The processes -------------------------------------------------------------------------


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
        wait_for(lambda: _pings(client), 10, "redis-server to answer")

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
        wait_for(lambda: self._answers(name, port), 60, f"{name} to answer /healthz")
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

        wait_for(ready, 60, f"{name} to be ready")

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


def wait_for(condition, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"Timed out after {timeout:.0f} s waiting for {what}.")


def admin_connection() -> psycopg.Connection:
    """This script's own connection: to watch rows and to end the app's connections."""
    from django.db import connection

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "localhost",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
        autocommit=True,
    )


# --- The users -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Flow:
    """One request's way: `kind` is owner (the account owner approves), for_owner (the manager
    approves on the owner's behalf and schedules the call), cancel_submitted or cancel_approved
    (the rep cancels)."""

    kind: str
    rep: str
    deal: int
    contact: int
    activity_type: int
    owner: str


def plan_flows(count: int) -> list[Flow]:
    """Flows the demo allows today: one contact per account, offerable, active, willing to do the
    activity, within its burnout limits and not in an open request; contacts of accounts a demo
    rep owns go to `owner` flows (the other rep asks), the others rotate through the other kinds."""
    from django.contrib.auth.models import User

    from limits.selectors import availability_for
    from references.models import Contact, Opportunity
    from references.statuses import ReferenceStatus
    from requests_app.models import RequestCandidate
    from requests_app.statuses import OPEN_STATUSES

    deals = {}
    for rep in REPS:
        user = User.objects.get(username=rep)
        open_deals = Opportunity.objects.visible_to(user).filter(outcome=Opportunity.Outcome.OPEN)
        deals[rep] = list(open_deals.order_by("pk").values_list("pk", flat=True))
    busy = RequestCandidate.objects.filter(request__status__in=OPEN_STATUSES).values("contact_id")
    contacts = (
        Contact.objects.offerable()
        .filter(status=ReferenceStatus.ACTIVE)
        .exclude(pk__in=busy)
        .select_related("account__owner")
        .prefetch_related("preferences__activity_types")
        .order_by("pk")
    )
    candidates, accounts = [], set()
    for contact in contacts:
        if contact.account_id in accounts:  # one per account: its limit counts all its contacts
            continue
        preferences = getattr(contact, "preferences", None)
        kinds = sorted(t.pk for t in preferences.activity_types.all() if t.is_active) if preferences else []
        if kinds and contact.account.owner_id:
            candidates.append((contact.pk, kinds[0], contact.account.owner.username))
            accounts.add(contact.account_id)
    ok = set()
    for activity_type in {kind for _, kind, _ in candidates}:
        ids = [pk for pk, kind, _ in candidates if kind == activity_type]
        ok |= {pk for pk, answer in availability_for(ids, activity_type=activity_type).items() if answer.ok}
    others = itertools.cycle(["for_owner", "cancel_submitted", "for_owner", "cancel_approved"])
    flows, turn = [], 0
    for pk, activity_type, owner in candidates:
        if pk not in ok:
            continue
        if owner in REPS:
            rep, kind = REPS[1 - REPS.index(owner)], "owner"
        else:
            rep, kind = REPS[turn % 2], next(others)
        turn += 1
        flows.append(Flow(kind, rep, deals[rep][turn % len(deals[rep])], pk, activity_type, owner))
    # The owner flows spread among the others, so every phase sees every kind.
    owned = [f for f in flows if f.kind == "owner"]
    rest = [f for f in flows if f.kind != "owner"]
    mixed = []
    step = max(1, len(rest) // max(1, len(owned)))
    for n, flow in enumerate(rest):
        if n % step == 0 and owned:
            mixed.append(owned.pop())
        mixed.append(flow)
    return (mixed + owned)[:count]


@dataclass
class Step:
    flow: int
    name: str
    phase: str
    started: float
    ms: float
    status: int
    ok: bool
    web: int
    error: str = ""


class Users:
    """`users` threads, each signed in as the demo rep(s), the manager and the owners it needs,
    taking flows from the plan until it runs out or `stop` is set."""

    def __init__(self, ports: list[int], flows: list[Flow], users: int, think: float) -> None:
        self.ports, self.users, self.think = ports, users, think
        self.flows = iter(enumerate(flows))
        self.lock = threading.Lock()
        self.steps: list[Step] = []
        self.outcomes: Counter = Counter()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._user, args=(n,), daemon=True) for n in range(users)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self, timeout: float) -> None:
        self.stop.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.1, deadline - time.monotonic()))

    def _next(self):
        with self.lock:
            return next(self.flows, None)

    def _record(self, step: Step) -> None:
        with self.lock:
            self.steps.append(step)

    def _user(self, number: int) -> None:
        webs = itertools.cycle(
            self.ports[number % len(self.ports) :] + self.ports[: number % len(self.ports)]
        )
        sessions: dict[str, requests.Session] = {}
        while not self.stop.is_set():
            item = self._next()
            if item is None:
                if not self.stop.is_set():
                    CLOCK.event(f"user {number}: no planned flow left")
                return
            index, flow = item
            try:
                outcome = _Run(self, webs, sessions, index, flow).run()
            except Exception as error:  # a broken flow is an outcome, never the end of the user
                outcome = f"error: {type(error).__name__}: {error}"[:120]
            with self.lock:
                self.outcomes[outcome] += 1


class _Run:
    """One flow, step by step; any step that does not answer as expected ends it."""

    def __init__(self, users: Users, webs, sessions: dict, index: int, flow: Flow) -> None:
        self.users, self.webs, self.sessions, self.index, self.flow = users, webs, sessions, index, flow

    def session(self, username: str) -> requests.Session:
        if username not in self.sessions:
            session = requests.Session()
            session.headers.update(PROXY_HEADERS)
            page = self.call(session, "sign_in_page", "GET", "/login/")
            answer = self.call(
                session,
                "sign_in",
                "POST",
                "/login/",
                {"csrfmiddlewaretoken": _token(page), "username": username, "password": DEMO_PASSWORD},
            )
            if answer.status_code != 302:
                raise StepFailed(f"sign in as {username}: HTTP {answer.status_code}")
            self.sessions[username] = session
        return self.sessions[username]

    def call(self, session: requests.Session, name: str, method: str, path: str, data: dict | None = None):
        port = next(self.webs)
        headers = {"Origin": f"https://{HOST}:{port}"} if method == "POST" else {}
        started, clock = time.time(), time.perf_counter()
        expected = 302 if method == "POST" else 200
        try:
            answer = session.request(
                method,
                f"http://{HOST}:{port}{path}",
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=60,
            )
            error = "" if answer.status_code == expected else _error_text(answer)
            status = answer.status_code
        except requests.RequestException as exc:
            answer, status, error = None, 0, f"{type(exc).__name__}: {exc}"[:300]
        ms = (time.perf_counter() - clock) * 1000
        step = Step(self.index, name, CLOCK.phase_at(started), started, ms, status, not error, port, error)
        self.users._record(step)
        if answer is None or error:
            raise StepFailed(f"{name}: {error or status}")
        if self.users.think:
            time.sleep(self.users.think)
        return answer

    def post_form(self, username: str, page: str, name: str, action: str, fields: dict):
        session = self.session(username)
        token = _token(self.call(session, f"{name}_page", "GET", page))
        return self.call(session, name, "POST", action, {"csrfmiddlewaretoken": token, **fields})

    def run(self) -> str:
        f = self.flow
        try:
            answer = self.post_form(
                f.rep,
                f"/sales/requests/new/?contact={f.contact}&opportunity={f.deal}",
                "submit",
                f"/sales/requests/new/?opportunity={f.deal}",
                {
                    "contact": f.contact,
                    "first_choice": f.contact,
                    "opportunity": f.deal,
                    "activity_type": f.activity_type,
                    "needed_by": (datetime.now(UTC).date() + timedelta(days=21)).isoformat(),
                    "notes": "Fault trial",
                },
            )
            found = re.search(r"/sales/requests/(\d+)/", answer.headers.get("Location", ""))
            if not found:
                raise StepFailed(f"submit: redirected to {answer.headers.get('Location')}")
            pk = int(found.group(1))
            if f.kind == "cancel_submitted":
                return self.cancel(pk)
            self.post_form(
                MANAGER,
                f"/manage/requests/{pk}/",
                "approve",
                f"/manage/requests/{pk}/act/",
                {"action": "approve", "contact": f.contact, "expected_status": "submitted", "note": ""},
            )
            if f.kind == "owner":
                self.post_form(
                    f.owner,
                    f"/sales/approvals/{pk}/",
                    "owner_approve",
                    f"/sales/approvals/{pk}/answer/",
                    {"action": "owner_approve", "expected_status": "awaiting_owner", "note": ""},
                )
            elif f.kind == "for_owner":
                self.post_form(
                    MANAGER,
                    f"/manage/requests/{pk}/",
                    "approve_for_owner",
                    f"/manage/requests/{pk}/act/",
                    {
                        "action": "approve_for_owner",
                        "expected_status": "awaiting_owner",
                        "note": "The owner is travelling (fault trial).",
                    },
                )
                # The call is agreed: scheduled (it tells the requester and the contact when).
                when = datetime.now(UTC).date() + timedelta(days=3)
                self.post_form(
                    MANAGER,
                    f"/manage/requests/{pk}/",
                    "schedule",
                    f"/manage/requests/{pk}/act/",
                    {
                        "action": "schedule",
                        "expected_status": "customer_asked",
                        "scheduled_for": f"{when.isoformat()} 10:00",
                        "schedule_anyway": "on",
                        "note": "",
                    },
                )
            else:
                return self.cancel(pk)
            return f"done: {f.kind}"
        except StepFailed as failure:
            return f"failed: {f.kind} at {str(failure).split(':')[0]}"

    def cancel(self, pk: int) -> str:
        self.post_form(
            self.flow.rep,
            f"/sales/requests/{pk}/",
            "cancel",
            f"/sales/requests/{pk}/cancel/",
            {"reason": "The prospect chose another vendor (fault trial)."},
        )
        return f"done: {self.flow.kind}"


class StepFailed(Exception):
    pass


def _token(answer: requests.Response) -> str:
    found = CSRF.search(answer.text)
    if not found:
        raise StepFailed(f"no CSRF token on {answer.url}")
    return found.group(1)


def _error_text(answer: requests.Response) -> str:
    """The status and what the page said: its error message (a refusal), else its title."""
    text = answer.text or ""
    said = re.search(r'<li class="message error">(.*?)</li>', text, re.S) or re.search(
        r"<title>(.*?)</title>", text, re.S
    )
    where = answer.headers.get("Location", "")
    return f"HTTP {answer.status_code} {where or (html.unescape(said.group(1).strip()) if said else '')}"[
        :200
    ]


# --- /readyz -------------------------------------------------------------------------------


class ReadyProbe:
    """GET /readyz of one web process every 0.2 s: (asked, answered, HTTP status, broker check)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.samples: list[tuple[float, float, int, str, str]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _poll(self) -> None:
        while not self.stop.is_set():
            asked = time.time()
            try:
                answer = requests.get(f"http://{HOST}:{self.port}/readyz", timeout=30)
                checks = answer.json().get("checks", {})
                sample = (
                    asked,
                    time.time(),
                    answer.status_code,
                    checks.get("broker", "?"),
                    checks.get("database", "?"),
                )
            except (requests.RequestException, ValueError) as error:
                sample = (asked, time.time(), 0, type(error).__name__, "?")
            self.samples.append(sample)
            self.stop.wait(max(0.0, 0.2 - (time.time() - asked)))

    def outage(self, down: float, up: float) -> dict:
        """After the fault at `down`: when the first answer named the broker; after the return at
        `up`: when the first answer said ok (from the fault and from the return); the slowest answer."""
        named = next((s for s in self.samples if s[0] >= down and s[3] != "ok"), None)
        ok = next((s for s in self.samples if s[0] >= up and s[2] == 200), None)
        during = [s for s in self.samples if down <= s[0] <= up + 10]
        return {
            "broker_named_after_s": round(named[1] - down, 2) if named else None,
            "broker_named_as": named[3] if named else None,
            "ok_after_return_s": round(ok[1] - up, 2) if ok else None,
            "slowest_answer_s": round(max((s[1] - s[0] for s in during), default=0), 2),
            "answers": len(during),
        }


# --- The trial -----------------------------------------------------------------------------


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
        deadline = time.monotonic() + 60
        sending = 0
        while time.monotonic() < deadline:
            sending = self.admin.execute(
                "SELECT count(*) FROM notifications_notification WHERE status = 'sending'"
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
        started = time.time()
        left = None
        since = datetime.fromtimestamp(self.started, UTC)
        while time.time() - started < self.args.drain:
            left = self.admin.execute(
                "SELECT count(*) FROM notifications_notification WHERE channel = 'email'"
                " AND status IN ('pending', 'sending') AND created_at >= %s",
                [since],
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


# --- The report ----------------------------------------------------------------------------

# What the processes' logs say about the trial (counted per log file).
LOG_SIGNS = {
    "worker_crashed": "Unrecoverable error",
    "email_failed_for_good": "failed for good",
    "mark_sent_retried": "marking it so failed",
    "publish_gave_up": "Could not publish",
    "beat_could_not_send": "Couldn't apply scheduled task",
    "tracebacks": "Traceback (most recent call last)",
}


def log_findings() -> dict:
    found = {}
    for log in sorted(WORKDIR.glob("*.log")):
        text = log.read_text(errors="replace")
        counts = {name: text.count(sign) for name, sign in LOG_SIGNS.items() if sign in text}
        if counts:
            found[log.stem] = counts
    return found


def latency(samples: list[float]) -> dict:
    from bench.pages import percentile

    if not samples:
        return {"n": 0}
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "max_ms": round(max(samples), 1),
    }


def build_report(trial: Trial, outcome: dict) -> dict:
    from bench.pages import machine
    from notifications.models import Notification

    since = datetime.fromtimestamp(trial.started, UTC)
    rows = list(
        Notification.objects.filter(created_at__gte=since).values(
            "pk", "channel", "status", "attempts", "last_error", "created_at", "kind"
        )
    )
    email_rows = {row["pk"]: row for row in rows if row["channel"] == "email"}
    # Rows written before the trial (left pending by an interrupted run) may be sent during it:
    # counted apart, so every figure below is about this trial's rows.
    received = [
        m for m in trial.sink.received if m.notification.isdigit() and int(m.notification) in email_rows
    ]
    earlier = len(trial.sink.received) - len(received)
    copies: dict[str, list[Received]] = defaultdict(list)
    for message in received:
        copies[message.notification].append(message)
    by_status = {
        channel: dict(Counter(r["status"] for r in rows if r["channel"] == channel))
        for channel in ("email", "in_app")
    }
    sent_not_received = [
        pk for pk, r in email_rows.items() if r["status"] == "sent" and str(pk) not in copies
    ]
    unfinished = [pk for pk, r in email_rows.items() if r["status"] in ("pending", "sending")]
    failed = [
        {"row": pk, "kind": r["kind"], "attempts": r["attempts"], "error": r["last_error"][:200]}
        for pk, r in email_rows.items()
        if r["status"] == "failed"
    ]
    duplicates = []
    for key, messages in copies.items():
        if len(messages) > 1:
            row = email_rows.get(int(key)) if key.isdigit() else None
            duplicates.append(
                {
                    "row": key,
                    "copies": len(messages),
                    "same_message_id": len({m.message_id for m in messages}) == 1,
                    "row_created_in": CLOCK.phase_at(row["created_at"].timestamp()) if row else "?",
                    "copies_in": [m.phase for m in messages],
                    "first_reply_lost": messages[0].client_gone,
                    "cause": _duplicate_cause(messages),
                    "attempts": row["attempts"] if row else None,
                }
            )
    users: Users = outcome["users"]
    by_phase: dict[str, dict] = {}
    for phase in [p["name"] for p in CLOCK.phases]:
        steps = [s for s in users.steps if s.phase == phase]
        errors = Counter(f"{s.name}: {s.error}" for s in steps if not s.ok)
        by_phase[phase] = {
            "all_steps": latency([s.ms for s in steps]),
            "enqueuing_steps": latency([s.ms for s in steps if s.name in ENQUEUING]),
            "by_step": {
                name: latency([s.ms for s in steps if s.name == name])
                for name in ENQUEUING
                if any(s.name == name for s in steps)
            },
            "errors": sum(errors.values()),
            "error_kinds": dict(errors.most_common(5)),
        }
    probe: ReadyProbe = outcome["probe"]
    start = trial.started
    report = {
        "machine": machine(),
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": {
            **TRIAL_SETTINGS,
            "users": trial.args.users,
            "think_s": trial.args.think,
            "phase_s": trial.args.phase_seconds,
            "web": "2 gunicorn, 2 sync workers each",
            "workers": "2 celery workers, prefork concurrency 2",
        },
        "phases": [
            {
                "name": p["name"],
                "from_s": round(p["started"] - start, 1),
                "to_s": round((p["ended"] or time.time()) - start, 1),
            }
            for p in CLOCK.phases
        ],
        "events": [{**e, "at": round(e["at"] - start, 1)} for e in CLOCK.events],
        "flows": {"planned": len(outcome["flows"]), "outcomes": dict(users.outcomes.most_common())},
        "rows": {"total": len(rows), "by_channel_and_status": by_status},
        "emails": {
            "received": len(received),
            "rows_received": len(copies),
            "copies_per_row": dict(sorted(Counter(len(m) for m in copies.values()).items())),
            "rows_with_one_message_id": sum(
                1 for m in copies.values() if len({x.message_id for x in m}) == 1
            ),
            "for_rows_written_before_the_trial": earlier,
        },
        "lost": {
            "sent_not_received": sent_not_received,
            "never_finished": unfinished,
            "failed": failed,
            "total": len(sent_not_received) + len(unfinished) + len(failed),
        },
        "duplicates": duplicates,
        "drain": outcome["drained"],
        "latency_by_phase": by_phase,
        "readyz": {
            name: probe.outage(times["down"], times["up"])
            | {"outage_s": round(times["up"] - times["down"], 1)}
            for name, times in trial.outages.items()
        },
        "terminations": [{**t, "at": round(t["at"] - start, 1)} for t in trial.terminated],
        "unexpected_exits": [{**e, "at": round(e["at"] - start, 1)} for e in trial.services.unexpected_exits],
        "failed_steps": [
            {
                "at": round(s.started - start, 1),
                "phase": s.phase,
                "step": s.name,
                "ms": round(s.ms),
                "error": s.error,
            }
            for s in users.steps
            if not s.ok
        ],
        "logs": log_findings(),
    }
    report["machine"]["load_average_at_start"] = trial.args.load_before
    return report


def _duplicate_cause(messages: list[Received]) -> str:
    """Why a row reached the mail server more than once, as far as the sink can tell."""
    if messages[0].client_gone:
        return (
            "the sender was gone when the mail server accepted the first copy (killed mid-send, "
            "before the row was marked sent); the sweeper sent it again"
        )
    return "the first copy was accepted and answered, and the row was sent again"


def write_markdown(report: dict, path: Path) -> None:
    from bench.report import header

    rows, emails, lost = report["rows"], report["emails"], report["lost"]
    email_status = rows["by_channel_and_status"]["email"]
    lines = [
        "# Email notifications under faults",
        "",
        header(report),
        "",
        f"Two web processes ({report['settings']['web']}), {report['settings']['workers']}, beat, a private "
        f"redis-server, PostgreSQL; an SMTP sink as the mail server. {report['settings']['users']} users "
        f"(threads) run request flows over HTTP; sweeper every "
        f"{report['settings']['NOTIFICATION_SWEEP_SECONDS']} s, "
        f"grace {report['settings']['NOTIFICATION_SWEEP_GRACE']} s, claim timeout "
        f"{report['settings']['NOTIFICATION_CLAIM_TIMEOUT']} s. Flows: "
        + ", ".join(f"{k} {v}" for k, v in report["flows"]["outcomes"].items())
        + ".",
        "",
        f"**{rows['total']:,} notification rows** (email: "
        + ", ".join(f"{k} {v}" for k, v in sorted(email_status.items()))
        + "; in-app: "
        + ", ".join(f"{k} {v}" for k, v in sorted(rows["by_channel_and_status"]["in_app"].items()))
        + f"), **{emails['received']:,} emails** received for {emails['rows_received']:,} rows "
        f"(copies per row: {emails['copies_per_row']}; rows whose copies share one Message-ID: "
        f"{emails['rows_with_one_message_id']:,}; and {emails['for_rows_written_before_the_trial']} for "
        f"rows written before the trial). **Lost: {lost['total']}** (sent but never received "
        f"{len(lost['sent_not_received'])}, never finished {len(lost['never_finished'])}, failed "
        f"{len(lost['failed'])}). **Duplicates: {len(report['duplicates'])}**. Drained in "
        f"{report['drain']['seconds']} s (left: {report['drain']['left']}).",
        "",
        "## Phases",
        "",
        "| phase | from–to s | steps | p50 / p95 / max ms | enqueuing steps | p50 / p95 / max ms | errors |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    phases = {p["name"]: p for p in report["phases"]}
    for name, part in report["latency_by_phase"].items():
        every, enq = part["all_steps"], part["enqueuing_steps"]
        lines.append(
            f"| {name} | {phases[name]['from_s']}–{phases[name]['to_s']} | {every['n']} | {_triple(every)} | "
            f"{enq['n']} | {_triple(enq)} | {part['errors']} |"
        )
    lines += ["", "Per enqueuing step (p50 / p95 / max ms, count):", ""]
    steps = sorted({s for part in report["latency_by_phase"].values() for s in part["by_step"]})
    lines += ["| phase | " + " | ".join(steps) + " |", "|---|" + "--:|" * len(steps)]
    for name, part in report["latency_by_phase"].items():
        cells = [
            f"{_triple(part['by_step'][s])} ({part['by_step'][s]['n']})" if s in part["by_step"] else "–"
            for s in steps
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "## /readyz (polled every 0.2 s on one web process)", ""]
    lines += ["| fault | outage s | broker named after s | as | ok after return s | slowest answer s |"]
    lines += ["|---|--:|--:|---|--:|--:|"]
    for name, r in report["readyz"].items():
        lines.append(
            f"| {name} | {r['outage_s']} | {r['broker_named_after_s']} | {r['broker_named_as']} | "
            f"{r['ok_after_return_s']} | {r['slowest_answer_s']} |"
        )
    lines += ["", "## Duplicates", ""]
    if report["duplicates"]:
        lines += [
            "| row | copies | same Message-ID | row written in | copies received in "
            "| first reply lost | cause |"
        ]
        lines += ["|--:|--:|:-:|---|---|:-:|---|"]
        for d in report["duplicates"]:
            lines.append(
                f"| {d['row']} | {d['copies']} | {'yes' if d['same_message_id'] else 'NO'} "
                f"| {d['row_created_in']} | {', '.join(d['copies_in'])} "
                f"| {'yes' if d['first_reply_lost'] else 'no'} | {d['cause']} |"
            )
    else:
        lines.append("None.")
    if lost["total"]:
        lines += ["", "## Lost", "", f"Sent, never received: {lost['sent_not_received']}"]
        lines += [f"Never finished: {lost['never_finished']}", ""]
        lines += [
            f"- row {f['row']} ({f['kind']}, {f['attempts']} attempts): {f['error']}" for f in lost["failed"]
        ]
    errors = {
        name: part["error_kinds"] for name, part in report["latency_by_phase"].items() if part["errors"]
    }
    if errors:
        lines += ["", "## Errors (most frequent per phase)", ""]
        for name, kinds in errors.items():
            lines += [f"- {name}: " + "; ".join(f"{k} ×{v}" for k, v in kinds.items())]
    if report["failed_steps"]:
        lines += ["", "Failed steps (s from the start, the first 30):", ""]
        lines += [
            f"- {f['at']} s ({f['phase']}) {f['step']}, {f['ms']:,} ms: {f['error']}"
            for f in report["failed_steps"][:30]
        ]
    lines += ["", "## What the logs say (occurrences per process)", ""]
    lines += [
        f"- {name}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
        for name, counts in report["logs"].items()
    ]
    lines += ["", "## What was done when (s from the start)", ""]
    lines += [
        f"- {e['at']} s ({e['phase']}): {e['what']}"
        + (f" { ({k: v for k, v in e.items() if k not in ('at', 'phase', 'what')}) }" if len(e) > 3 else "")
        for e in report["events"]
    ]
    path.write_text("\n".join(lines) + "\n")


def _triple(timing: dict) -> str:
    if not timing.get("n"):
        return "–"
    return f"{timing['p50_ms']:,} / {timing['p95_ms']:,} / {timing['max_ms']:,}"


# --- Main ----------------------------------------------------------------------------------


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
