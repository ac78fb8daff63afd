"""Celery tasks of insights: thin interfaces over insights.weekly, insights.digest and insights.facts."""

from datetime import datetime

from celery import shared_task

from insights import digest, facts, weekly


@shared_task(name="insights.weekly_digest", acks_late=True, ignore_result=True)
def weekly_digest() -> int:
    """Mondays: the program's week in figures to every reference manager (once per ISO week)."""
    return weekly.weekly_digest()


@shared_task(name="insights.executive_digest", acks_late=True, ignore_result=True)
def executive_digest() -> int:
    """The 1st of the month: last month's figures to the digest's recipients (once per month each),
    from facts rebuilt for it unless a rebuild is minutes old."""
    facts.refresh_if_stale()
    return digest.digest_send()


@shared_task(name="insights.refresh_facts", acks_late=True, ignore_result=True)
def refresh_facts() -> int:
    """Every few minutes (beat): rebuild the revenue figures' facts; returns the deals in them."""
    return facts.refresh_if_stale().deals


@shared_task(name="insights.refresh_facts_now", acks_late=True, ignore_result=True)
def refresh_facts_now(asked_at: str) -> int:
    """A manager's "recompute now": rebuild the facts unless a rebuild began since `asked_at`
    (ISO 8601; a second click, or beat, got there first); returns the deals in them."""
    return facts.refresh(after=datetime.fromisoformat(asked_at)).deals
