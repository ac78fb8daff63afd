"""kombu's Redis transport, repaired for a worker that loses Redis while it runs a task.

In kombu 5.7, when Redis goes away while a task holds an unacknowledged message (acks_late), the
consumer closes its channel and tries to put that message back through a transport already
closed; later the task's acknowledgement goes the same way. Each raises AttributeError, which
Celery treats as unrecoverable: the worker exits (seen in bench/faults.py), and every email after
it waits for someone to restart it. Neither can reach Redis anyway: the message's unacknowledged
copy stays there and comes back after the visibility timeout, when its task finds the work done
(a claimed notification is not sent again). So both are only logged here, and the worker goes on
reconnecting.
"""

import logging

from kombu.transport import redis, virtual

logger = logging.getLogger(__name__)


def _connection_gone(channel) -> bool:
    transport = channel.connection
    return transport is None or transport.client is None


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        if _connection_gone(self.channel):
            logger.warning(
                "Broker connection lost with %d message(s) unacknowledged; Redis redelivers them "
                "after the visibility timeout.",
                len(self._delivered),
            )
            return
        super().restore_unacked(client)

    def ack(self, delivery_tag):
        if not self._forgotten_when_gone(delivery_tag, "acknowledged"):
            super().ack(delivery_tag)

    def reject(self, delivery_tag, requeue=False):
        if not self._forgotten_when_gone(delivery_tag, "rejected"):
            super().reject(delivery_tag, requeue=requeue)

    def _forgotten_when_gone(self, delivery_tag, what: str) -> bool:
        """With the connection gone, forget the message here only (Redis keeps it); True if so."""
        if not _connection_gone(self.channel):
            return False
        logger.warning(
            "Broker connection lost before message %s was %s; Redis redelivers it after the "
            "visibility timeout.",
            delivery_tag,
            what,
        )
        virtual.QoS.ack(self, delivery_tag)
        return True


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
