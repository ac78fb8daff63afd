"""Readiness checks: each probe returns None when healthy or a short error text.

`core` knows only the database. The parts above it give their own probes (`register_probe`): the
Celery wiring in rms/celery.py registers the broker's, so core never imports the apps or the
wiring it checks.
"""

from collections.abc import Callable

from django.db import connections

Probe = Callable[[], str | None]


def check_database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"database unreachable: {exc.__class__.__name__}"
    return None


_PROBES: dict[str, Probe] = {"database": check_database}


def register_probe(name: str, probe: Probe) -> None:
    """Have /readyz run `probe` under `name` (registering a name again replaces its probe)."""
    _PROBES[name] = probe


def run_readiness_checks() -> dict[str, str | None]:
    return {name: probe() for name, probe in _PROBES.items()}
