"""Celery tasks of the catalogue: thin interfaces over references.services."""

from celery import shared_task

from references.services.preferences import pauses_end


@shared_task(
    name="references.end_pauses", acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=180
)
def end_pauses() -> int:
    """End the contacts' pauses whose last day has passed (one statement; a second run does nothing)."""
    return pauses_end()
