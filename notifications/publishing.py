"""Publishing delivery messages to the broker: give up within a fraction of a second, then pause.

Celery's own producer pool, on a broker that is down, retries its connection for seconds
(kombu's ensure_connection, bounded only by broker_connection_timeout), and a frozen broker would
hold a request until TCP gives up. A web request that enqueues an email must not wait for that:
the row is already committed as pending and the sweeper re-enqueues it. So messages go out
through a pool of connections of their own, which try once, with short connect and read timeouts
(BROKER_PUBLISH_TIMEOUT), and after a failure this process stops trying for BROKER_PUBLISH_PAUSE
seconds, so an outage costs one short wait per process, not one per request. What is left
pending then goes out with the sweeper: within NOTIFICATION_SWEEP_GRACE plus one sweep interval
(4 minutes at most by default).

The consumer side (workers) keeps Celery's patient reconnection; only publishing is impatient.
"""

import logging
import os
import threading
import time
from contextlib import contextmanager

from celery import current_app
from django.conf import settings
from kombu.exceptions import LimitExceeded

logger = logging.getLogger(__name__)


class _Publisher:
    """One process's connection pool to the current broker, and when it may try again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pool = None
        self.broker_url = ""
        self.paused_until = 0.0

    def fresh_connection(self):
        """A new connection to the broker the app names now, with the short timeouts, no retries."""
        timeout = settings.BROKER_PUBLISH_TIMEOUT
        options = {
            **(current_app.conf.broker_transport_options or {}),
            "max_retries": 0,  # kombu: the first failure to connect is raised, no retry loop
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,  # a frozen broker accepts the connection, then never answers
        }
        return current_app.connection_for_write(connect_timeout=timeout, transport_options=options)

    def _current_pool(self):
        url = current_app.conf.broker_url
        with self.lock:
            if self.pool is None or self.broker_url != url:  # tests point the app at other brokers
                self._close()
                self.broker_url = url
                self.paused_until = 0.0
                self.pool = self.fresh_connection().Pool(limit=current_app.conf.broker_pool_limit)
            return self.pool

    @contextmanager
    def connection(self):
        """A pooled connection, or a fresh one while every pooled one is in use: a busy moment is
        not an outage."""
        try:
            pooled = self._current_pool().acquire(block=False)
        except LimitExceeded:
            with self.fresh_connection() as fresh:
                yield fresh
            return
        try:
            yield pooled
        finally:
            pooled.release()

    def pause(self) -> None:
        """Stop trying for a while (and drop the pool)."""
        with self.lock:
            self.paused_until = time.monotonic() + settings.BROKER_PUBLISH_PAUSE
            self._close()

    def resume(self) -> None:
        self.paused_until = 0.0

    def paused(self) -> bool:
        """Whether the broker the app names now failed a moment ago."""
        return self.broker_url == current_app.conf.broker_url and time.monotonic() < self.paused_until

    def _close(self) -> None:
        if self.pool is not None:
            try:
                self.pool.force_close_all()
            except Exception:  # closing dead connections may fail; they are forgotten anyway
                logger.debug("Closing the publishing pool failed", exc_info=True)
            self.pool = None

    def forget(self) -> None:
        """After fork: the parent's sockets and lock are not this process's to use or to close."""
        self.lock = threading.Lock()
        self.pool = None
        self.paused_until = 0.0


_publisher = _Publisher()
os.register_at_fork(after_in_child=_publisher.forget)


def publish(task_name: str, argument_lists: list[list]) -> int:
    """Send one message of `task_name` per argument list; return how many went out.

    Never raises: while a recent failure is fresh it publishes nothing, and a failure now is
    logged and pauses publishing. What was not published is the caller's to retry later. (A
    pooled connection left dead by a broker restart is no failure: redis-py checks a connection
    as it takes it from its pool and reconnects.)
    """
    if not argument_lists:
        return 0
    if _publisher.paused():
        logger.info("Broker paused after a failure: %d message(s) left for the sweeper.", len(argument_lists))
        return 0
    published = 0
    try:
        with _publisher.connection() as connection:
            for args in argument_lists:
                current_app.send_task(task_name, args=args, connection=connection, retry=False)
                published += 1
    except Exception as error:  # any broker failure (kombu, redis, socket): left for later
        _publisher.pause()
        logger.warning(
            "Could not publish %d message(s) of %s (%s: %s); the sweeper will deliver them. "
            "Not trying again for %ss.",
            len(argument_lists) - published,
            task_name,
            type(error).__name__,
            error,
            settings.BROKER_PUBLISH_PAUSE,
        )
    return published


def broker_reachable() -> str | None:
    """The readiness probe of the broker (/readyz): a new connection (a pooled one would not ask
    the broker), one short attempt; None when it answers.

    It ignores the pause, so /readyz follows the broker itself; a success ends the pause.
    """
    try:
        with _publisher.fresh_connection() as connection:
            connection.ensure_connection(max_retries=0, timeout=settings.BROKER_PUBLISH_TIMEOUT)
            connection.default_channel  # noqa: B018 - opening the channel is what talks to the broker
    except Exception as exc:  # kombu raises many kinds; all mean "not ready"
        _publisher.pause()
        return f"broker unreachable: {exc.__class__.__name__}"
    _publisher.resume()
    return None
