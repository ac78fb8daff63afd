"""/readyz polled through the faults: when the broker's absence shows, and when it is over."""

import threading
import time

import requests

from bench.environment import HOST


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
