"""Readiness checks: each returns None when healthy or a short error text."""

from pathlib import Path

from django.conf import settings
from django.db import connections


def check_database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"database unreachable: {exc.__class__.__name__}"
    return None


def check_broker() -> str | None:
    from rms.celery import app

    if settings.CELERY_BROKER_URL == "filesystem://":
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return None if folder.is_dir() else f"broker folder missing: {folder}"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many kinds; all mean "not ready"
        return f"broker unreachable: {exc.__class__.__name__}"
    return None


def run_readiness_checks() -> dict[str, str | None]:
    return {"database": check_database(), "broker": check_broker()}
