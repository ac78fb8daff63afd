"""Celery tasks of insights: thin interfaces over insights.weekly and insights.digest."""

from celery import shared_task

from insights import digest, weekly


@shared_task(name="insights.weekly_digest", acks_late=True, ignore_result=True)
def weekly_digest() -> int:
    """Mondays: the program's week in figures to every reference manager (once per ISO week)."""
    return weekly.weekly_digest()


@shared_task(name="insights.executive_digest", acks_late=True, ignore_result=True)
def executive_digest() -> int:
    """The 1st of the month: last month's figures to the digest's recipients (once per month each)."""
    return digest.digest_send()
