"""Celery tasks of insights: thin interfaces over insights.weekly."""

from celery import shared_task

from insights import weekly


@shared_task(name="insights.weekly_digest", acks_late=True, ignore_result=True)
def weekly_digest() -> int:
    """Mondays: the program's week in figures to every reference manager (once per ISO week)."""
    return weekly.weekly_digest()
