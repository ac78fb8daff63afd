"""The trial's own ports and the environment every process it starts inherits.

Importing it picks free ports for the private Redis and the SMTP sink and sets the environment
(before Django or any process starts), so the app sends its email to the sink and queues on the
Redis the trial may break, never on the shared one.
"""

import os
import socket
import sys

from bench.environment import HOST, ROOT

WORKDIR = ROOT / "var" / "faults"
# Short sweeper periods, so a trial takes minutes (rms/celery.py, rms/settings.py).
TRIAL_SETTINGS = {
    "NOTIFICATION_SWEEP_SECONDS": "2",
    "NOTIFICATION_SWEEP_GRACE": "2",
    "NOTIFICATION_CLAIM_TIMEOUT": "15",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(
            "The fault trial needs PostgreSQL: DATABASE_URL=postgres://…/rms_faults (a database of its own)."
        )
    return url


REDIS_PORT = free_port()
SMTP_PORT = free_port()
DATABASE_URL = database_url()
os.environ.update(
    {
        "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(SMTP_PORT),
        # The users talk plain HTTP to gunicorn behind an imagined TLS proxy (PROXY_HEADERS):
        # cookies marked Secure would never be sent back.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        **TRIAL_SETTINGS,
    }
)
WORKDIR.mkdir(parents=True, exist_ok=True)
