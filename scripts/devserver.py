"""`make run`: serve the app with a Celery worker and beat beside it; one Ctrl-C stops all three."""

import contextlib
import os
import runpy
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The settings' reading of RMS_ADDRESS, without importing the project (and Celery) into the launcher.
_ENV = runpy.run_path(str(ROOT / "rms" / "env.py"))
site_url_for_address, env_int = _ENV["site_url_for_address"], _ENV["env_int"]

BIN = Path(sys.executable).parent
ADDRESS = os.environ.get("RMS_ADDRESS", "127.0.0.1:8000")

COMMANDS = {
    "web": [sys.executable, "manage.py", "runserver", ADDRESS],
    "worker": [
        str(BIN / "celery"),
        "-A",
        "rms",
        "worker",
        "-l",
        "info",
        "-Q",
        "celery,notifications,maintenance",
        "--concurrency",
        "2",
    ],
    "beat": [str(BIN / "celery"), "-A", "rms", "beat", "-l", "info"],
}

DEMO_LOGINS = """
RMS is starting on {url}/
Demo logins (password: demo):
  admin      administrator (Django admin at /admin/)
  manager    reference manager  -> /manage/
  sales      sales rep          -> /sales/
  sales2     sales rep          -> /sales/
  marketing  marketing          -> /content/
Press Ctrl-C once to stop the web server, the worker and beat.
"""


# Seconds the worker gets for its warm shutdown (finishing the tasks it runs) before it is killed.
STOP_SECONDS = env_int("RMS_STOP_SECONDS", 10, minimum=0)


class Stopping:
    """Ctrl-C (SIGINT), `kill` (SIGTERM) or a closed terminal (SIGHUP) asks to stop; asking again
    while stopping means "now". The handler only records the request: raising from it (as a
    KeyboardInterrupt would) could abort the clean-up half-way and leave the worker behind."""

    def __init__(self):
        self.asked = 0
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            # Set even when SIGINT was ignored (a launcher started in the background ignores it).
            signal.signal(signum, self.ask)

    def ask(self, _signum, _frame) -> None:
        self.asked += 1


def _kill_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # nothing left in that group
        os.killpg(pgid, signum)


def stop(processes: dict[str, subprocess.Popen], stopping: Stopping) -> None:
    """Each gets SIGTERM (the worker stops its pool and finishes its tasks; beat and the web server
    exit) and STOP_SECONDS to end; then its process group is killed, so nothing it started
    (the web server's reloaded child, pool processes) is left behind. Asking again kills at once."""
    for name, proc in processes.items():
        if name == "worker":  # its main process stops the pool; signalled too, pool processes log errors
            proc.send_signal(signal.SIGTERM)
        else:  # the web server's reloader and the child serving, or beat
            _kill_group(proc.pid, signal.SIGTERM)
    asked, deadline = stopping.asked, time.monotonic() + STOP_SECONDS
    while any(proc.poll() is None for proc in processes.values()):
        if time.monotonic() > deadline or stopping.asked > asked:
            break
        time.sleep(0.1)
    for name, proc in processes.items():
        if proc.poll() is None:
            print(f"{name} did not stop in time; killing it.", flush=True)
        _kill_group(proc.pid, signal.SIGKILL)  # each runs in its own session: group id = its pid
        proc.wait()


def main() -> int:
    stopping = Stopping()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1"), "PYTHONUNBUFFERED": "1"}
    # Each in a session of its own: a terminal's Ctrl-C reaches only this launcher, which stops
    # them in order instead of all at once.
    processes = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        for name, cmd in COMMANDS.items()
    }
    print(DEMO_LOGINS.format(url=site_url_for_address(ADDRESS)), flush=True)
    code = 0
    try:
        while not stopping.asked:
            ended = next((name for name, proc in processes.items() if proc.poll() is not None), None)
            if ended:
                code = processes[ended].returncode or 1
                print(f"{ended} exited with {code}; stopping the others.", flush=True)
                break
            time.sleep(0.2)
        else:
            print(
                "\nStopping the web server, the worker and beat (the worker finishes its tasks; "
                "Ctrl-C again stops them at once)…",
                flush=True,
            )
    finally:
        stop(processes, stopping)
    return code


if __name__ == "__main__":
    sys.exit(main())
