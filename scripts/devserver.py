"""`make run`: serve the app with a Celery worker and beat beside it; one Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
RMS is starting on http://{address}/
Demo logins (password: demo):
  admin      administrator (Django admin at /admin/)
  manager    reference manager  -> /manage/
  sales      sales rep          -> /sales/
  sales2     sales rep          -> /sales/
  marketing  marketing          -> /content/
Press Ctrl-C once to stop the web server, the worker and beat.
"""


def _stop(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds into main's `finally`, which stops the children


def main() -> int:
    # Ctrl-C arrives as KeyboardInterrupt; a `kill`, `timeout` or closed terminal must also stop
    # the worker and beat, which run in their own sessions and would otherwise be left behind.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1"), "PYTHONUNBUFFERED": "1"}
    processes = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        for name, cmd in COMMANDS.items()
    }
    print(DEMO_LOGINS.format(address=ADDRESS), flush=True)
    try:
        while True:
            for name, proc in processes.items():
                if proc.poll() is not None:
                    print(f"{name} exited with {proc.returncode}; stopping the others.", flush=True)
                    return proc.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
