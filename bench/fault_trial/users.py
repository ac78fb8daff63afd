"""The demo users over HTTP: threads playing the planned flows step by step, every step timed."""

import html
import itertools
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests

from bench.environment import HOST, PROXY_HEADERS
from bench.fault_trial.clock import CLOCK
from bench.fault_trial.flows import Flow
from requests_app.statuses import RequestStatus

DEMO_PASSWORD = "demo"
MANAGER = "manager"
# The steps whose POST writes email notifications (and enqueues them after commit).
ENQUEUING = ("submit", "approve", "owner_approve", "approve_for_owner", "schedule", "cancel")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
                {
                    "action": "approve",
                    "contact": f.contact,
                    "expected_status": RequestStatus.SUBMITTED,
                    "note": "",
                },
            )
            if f.kind == "owner":
                self.post_form(
                    f.owner,
                    f"/sales/approvals/{pk}/",
                    "owner_approve",
                    f"/sales/approvals/{pk}/answer/",
                    {"action": "owner_approve", "expected_status": RequestStatus.AWAITING_OWNER, "note": ""},
                )
            elif f.kind == "for_owner":
                self.post_form(
                    MANAGER,
                    f"/manage/requests/{pk}/",
                    "approve_for_owner",
                    f"/manage/requests/{pk}/act/",
                    {
                        "action": "approve_for_owner",
                        "expected_status": RequestStatus.AWAITING_OWNER,
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
                        "expected_status": RequestStatus.CUSTOMER_ASKED,
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
