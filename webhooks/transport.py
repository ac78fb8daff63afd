"""One HTTP POST to a checked address: no redirects, a timeout, the connection pinned to the IP
`webhooks.addresses.check_url` approved (Host header and TLS server name stay the URL's host,
so the certificate is checked against the name, not the address)."""

import http.client
import socket
import ssl
from dataclasses import dataclass

from webhooks.addresses import Target

ANSWER_READ_BYTES = 2048  # of the receiver's answer, kept (cut) when it is an error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._ip = target.ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._ip = target.ip

    def connect(self) -> None:
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `body` to `target`; the receiver's status and the start of its answer. A redirect is
    an answer like any other (3xx: not delivered). Raises OSError (incl. timeouts, TLS errors) and
    http.client.HTTPException when there is no answer."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(ANSWER_READ_BYTES).decode("utf-8", errors="replace")
        return Answer(response.status, text)
    finally:
        connection.close()
