"""The mail server: an SMTP sink, a stand-in that records what it accepts and can delay its reply."""

import asyncio
import itertools
import os
import threading
import time
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

from bench.environment import HOST
from bench.fault_trial.clock import CLOCK


@dataclass
class Received:
    at: float
    phase: str
    notification: str
    message_id: str
    recipients: list[str]
    client_gone: bool  # the client had hung up when the sink accepted it (its reply was lost)


class SmtpSink:
    """A minimal SMTP server on asyncio in a thread: accepts everything, keeps what it accepted.
    `delay` seconds pass between the end of DATA and the reply; `in_flight` maps the client's
    port to the moment its DATA ended, while it waits for the reply."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.delay = 0.0
        self.received: list[Received] = []
        self.in_flight: dict[int, float] = {}
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.started = threading.Event()

    def start(self) -> "SmtpSink":
        self.thread.start()
        if not self.started.wait(10):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def stop(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._session, HOST, self.port))
        self.started.set()
        try:
            self.loop.run_forever()
        finally:
            server.close()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client_port = writer.get_extra_info("peername")[1]
        recipients: list[str] = []
        try:
            writer.write(b"220 sink ESMTP\r\n")
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    writer.write(b"250-sink\r\n250 8BITMIME\r\n")
                elif verb == b"MAIL":
                    recipients = []
                    writer.write(b"250 OK\r\n")
                elif verb == b"RCPT":
                    recipients.append(line.decode(errors="replace").split(":", 1)[1].strip().strip("<>"))
                    writer.write(b"250 OK\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    await writer.drain()
                    await self._data(reader, writer, client_port, recipients)
                elif verb == b"QUIT":
                    writer.write(b"221 Bye\r\n")
                    break
                else:  # HELO, RSET, NOOP
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _data(self, reader, writer, client_port: int, recipients: list[str]) -> None:
        lines = []
        while (line := await reader.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        delay = self.delay
        with self.lock:
            self.in_flight[client_port] = time.time()
        try:
            if delay:
                await asyncio.sleep(delay)
            # Accepted now, as a mail server commits a message before it replies: whether the client
            # is still there to hear the reply is noted (reading finds the end of a closed connection).
            try:
                gone = await asyncio.wait_for(reader.read(1), 0.01) == b""
            except TimeoutError:
                gone = False
            message = BytesParser(policy=policy.default).parsebytes(b"".join(lines), headersonly=True)
            now = time.time()
            with self.lock:
                self.received.append(
                    Received(
                        at=now,
                        phase=CLOCK.phase_at(now),
                        notification=str(message.get("X-RMS-Notification", "")),
                        message_id=str(message.get("Message-ID", "")),
                        recipients=list(recipients),
                        client_gone=gone,
                    )
                )
            writer.write(b"250 OK queued\r\n")
        finally:
            with self.lock:
                self.in_flight.pop(client_port, None)

    def wait_in_flight(self, timeout: float) -> int | None:
        """The client port of a message waiting for its reply (None after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.in_flight:
                    return next(iter(self.in_flight))
            time.sleep(0.05)
        return None


def pid_of_local_port(port: int) -> int | None:
    """The process holding the TCP socket bound to local `port` on this machine (via /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in itertools.islice(rows, 1, None):
                parts = row.split()
                if int(parts[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{parts[9]}]")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(entry.name)
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return None
