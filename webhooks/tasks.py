"""Celery tasks of webhooks: thin interfaces over webhooks.delivery."""

from celery import shared_task

from webhooks import delivery


@shared_task(
    name="webhooks.deliver",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=60,
    time_limit=90,  # under delivery.lease_seconds(): a live send is never taken over
)
def deliver(delivery_id: int) -> str:
    """Send one webhook delivery if it is due; a duplicated message finds nothing to do."""
    return delivery.delivery_send(delivery_id=delivery_id)


@shared_task(name="webhooks.sweep", acks_late=True, ignore_result=True)
def sweep() -> int:
    """Publish due deliveries: retries, and those whose message was lost."""
    return delivery.deliveries_sweep()
