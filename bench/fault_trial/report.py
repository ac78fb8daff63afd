"""The trial's report: what the database, the sink, the users, the probe and the logs say."""

import statistics
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bench.fault_trial.clock import CLOCK
from bench.fault_trial.environment import TRIAL_SETTINGS, WORKDIR
from bench.fault_trial.readiness import ReadyProbe
from bench.fault_trial.smtp_sink import Received
from bench.fault_trial.users import ENQUEUING, Users

if TYPE_CHECKING:
    from bench.faults import Trial

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


def build_report(trial: "Trial", outcome: dict) -> dict:
    from bench.pages import machine
    from notifications.models import Notification, Status

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
        pk for pk, r in email_rows.items() if r["status"] == Status.SENT and str(pk) not in copies
    ]
    unfinished = [pk for pk, r in email_rows.items() if r["status"] in (Status.PENDING, Status.SENDING)]
    failed = [
        {"row": pk, "kind": r["kind"], "attempts": r["attempts"], "error": r["last_error"][:200]}
        for pk, r in email_rows.items()
        if r["status"] == Status.FAILED
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
