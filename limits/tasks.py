"""Celery tasks of limits: thin interfaces over limits.usage."""

from celery import shared_task

from limits import usage


@shared_task(name="limits.recompute", acks_late=True, ignore_result=True, soft_time_limit=540, time_limit=600)
def recompute() -> dict[str, int]:
    """Recompute every contact's usage; move contacts in and out of resting and tell people.

    Safe to run twice at once or twice in a row: a transaction-level advisory lock makes runs
    take turns, and a run that finds nothing new changes nothing.
    """
    return usage.usage_recompute().as_dict()


@shared_task(name="limits.verify", acks_late=True, ignore_result=True, soft_time_limit=540, time_limit=600)
def verify() -> dict[str, int]:
    """The same, finding whom to judge again by comparing every contact's uses with what was
    stored (checksums), not by the changes the triggers noted: sets right a change written while
    the triggers were off (a restore with triggers disabled, a TRUNCATE)."""
    return usage.usage_recompute(verify=True).as_dict()
