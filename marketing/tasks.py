"""Celery tasks of marketing: thin interfaces over its services."""

from celery import shared_task

from marketing.expiry import assets_expire


@shared_task(
    name="marketing.expire_assets", acks_late=True, ignore_result=True, soft_time_limit=540, time_limit=600
)
def expire_assets() -> dict[str, int]:
    """Unpublish what passed its review-by day or lost its permission; warn owners 30 and 7 days
    ahead. Safe to run twice: the moves are conditional and each warning has its own key."""
    result = assets_expire()
    return {"expired": result.expired, "warned": result.warned}
