"""`make run`'s launcher: stopping it — Ctrl-C, `kill`, `timeout` — stops the worker and beat too."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes_with(token: str) -> set[int]:
    """Processes whose environment holds `token` (the launcher's children and theirs)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if token.encode() in (entry / "environ").read_bytes():
                found.add(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the launcher's processes")
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_stopping_the_launcher_stops_the_web_server_worker_and_beat(tmp_path, stop_signal):
    token = f"RMS_VAR_DIR={tmp_path}"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(RMS_VAR_DIR=str(tmp_path), RMS_ADDRESS=f"127.0.0.1:{_free_port()}", DEBUG="1")
    launcher = subprocess.Popen(
        [sys.executable, "scripts/devserver.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # The web server, the worker (with its pool) and beat are up: more than the launcher.
        assert _wait_for(lambda: len(_processes_with(token)) >= 5, 60)
        assert launcher.poll() is None

        launcher.send_signal(stop_signal)

        launcher.wait(timeout=30)
        assert _wait_for(lambda: not _processes_with(token), 30), "processes left behind"
    finally:
        for pid in _processes_with(token):
            os.kill(pid, signal.SIGKILL)
        if launcher.poll() is None:
            launcher.kill()
