"""`make run`'s launcher: stopping it — Ctrl-C (once or twice), `kill` — stops the web server, the worker
and beat, and leaves none of their processes behind."""

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


def _start_launcher(tmp_path) -> tuple[subprocess.Popen, str]:
    """The launcher on a free port with SQLite and the embedded broker in `tmp_path`, in a process
    group of its own as a terminal runs it; returns it and the token marking its processes."""
    token = f"RMS_VAR_DIR={tmp_path}"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(RMS_VAR_DIR=str(tmp_path), RMS_ADDRESS=f"127.0.0.1:{_free_port()}", DEBUG="1")
    launcher = subprocess.Popen(
        [sys.executable, "scripts/devserver.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return launcher, token


def _leave_nothing_behind(launcher: subprocess.Popen, token: str) -> None:
    for pid in _processes_with(token):
        os.kill(pid, signal.SIGKILL)
    if launcher.poll() is None:
        launcher.kill()


# How a user stops it: Ctrl-C in its terminal (SIGINT to the terminal's process group), `kill`.
STOPS = {
    "ctrl-c": lambda launcher: os.killpg(launcher.pid, signal.SIGINT),
    "sigterm": lambda launcher: launcher.send_signal(signal.SIGTERM),
}
pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the processes")


@pytest.mark.parametrize("stop", list(STOPS))
def test_stopping_the_launcher_stops_the_web_server_worker_and_beat(tmp_path, stop):
    launcher, token = _start_launcher(tmp_path)
    try:
        # The web server (reloader and child), the worker (with its pool) and beat are up.
        assert _wait_for(lambda: len(_processes_with(token)) >= 7, 60)
        assert launcher.poll() is None

        STOPS[stop](launcher)

        launcher.wait(timeout=30)
        assert not _processes_with(token), "processes left behind"
    finally:
        _leave_nothing_behind(launcher, token)


def test_ctrl_c_again_while_the_worker_shuts_down_stops_everything_at_once(tmp_path):
    """The worker's warm shutdown takes seconds; a second Ctrl-C meanwhile must not leave it behind."""
    launcher, token = _start_launcher(tmp_path)
    try:
        assert _wait_for(lambda: len(_processes_with(token)) >= 7, 60)

        os.killpg(launcher.pid, signal.SIGINT)
        time.sleep(1)  # the web server and beat are gone; the worker is in its warm shutdown
        os.killpg(launcher.pid, signal.SIGINT)

        launcher.wait(timeout=5)
        assert not _processes_with(token), "processes left behind"
    finally:
        _leave_nothing_behind(launcher, token)
