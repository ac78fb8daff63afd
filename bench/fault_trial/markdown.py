"""The trial's report as markdown (bench/results/faults.md)."""

from pathlib import Path


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
