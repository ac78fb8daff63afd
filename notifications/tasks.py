"""Celery tasks of notifications: thin interfaces over notifications.delivery and .digests."""

from dataclasses import asdict

from celery import shared_task

from notifications import delivery, digests


@shared_task(
    name="notifications.deliver",
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=None,  # the row counts its attempts (delivery.MAX_ATTEMPTS)
    soft_time_limit=60,
    time_limit=90,  # well under NOTIFICATION_CLAIM_TIMEOUT: a live send is never taken over
)
def deliver(self, notification_id: int) -> str:
    """Send one email notification; a duplicated or redelivered message sends nothing more."""
    result = delivery.notification_deliver(notification_id=notification_id)
    if result.outcome == "retry":
        raise self.retry(countdown=result.retry_in)
    return result.outcome


@shared_task(name="notifications.sweep", acks_late=True, ignore_result=True)
def sweep() -> dict[str, int]:
    """Re-enqueue email notifications whose message was lost; release dead workers' claims."""
    return asdict(delivery.notifications_sweep())


@shared_task(name="notifications.daily_digest", acks_late=True, ignore_result=True)
def daily_digest() -> int:
    return digests.digests_send()
