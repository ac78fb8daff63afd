"""The phases of the trial and what was done when: every part notes its events on one clock."""

import threading
import time
from datetime import UTC, datetime


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
