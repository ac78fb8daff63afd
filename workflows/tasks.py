"""Celery tasks of the workflow engine: thin interfaces over workflows.sweep and .reminders."""

from celery import shared_task

from workflows import reminders, sweep


@shared_task(name="workflows.sweep", acks_late=True, ignore_result=True)
def workflow_sweep() -> dict[str, int]:
    """Every few minutes: overdue tasks, escalated approvals, expired and closed requests.

    Safe to run twice at once: every change is claimed by a conditional UPDATE under the
    request's row lock, so the second run finds nothing left to do.
    """
    return sweep.workflow_sweep().as_dict()


@shared_task(name="workflows.task_reminders", acks_late=True, ignore_result=True)
def task_reminders() -> int:
    """Every quarter hour: tell assignees of tasks due soon or overdue (each reminder once)."""
    return reminders.task_reminders()
