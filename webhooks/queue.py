"""Publishing delivery messages, through the publisher the Celery app registers at start-up
(`rms.celery`: notifications.publishing, whose short timeouts never hold up a request while the
broker is down). Without one (a management command outside the app), the sweep sends everything.
No models here: `rms.celery` imports it before the apps are ready."""

from collections.abc import Callable

DELIVER_TASK = "webhooks.deliver"
Publisher = Callable[[str, list[list]], int]
_publisher: Publisher | None = None


def register_publisher(publisher: Publisher) -> None:
    global _publisher  # registered once at start-up, from above
    _publisher = publisher


def enqueue(delivery_ids: list[int]) -> int:
    """Publish one delivery message per id; how many went out (the rest wait for the sweep)."""
    if not delivery_ids or _publisher is None:
        return 0
    return _publisher(DELIVER_TASK, [[delivery_id] for delivery_id in delivery_ids])
