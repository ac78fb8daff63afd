"""The Celery application: configuration comes from Django settings (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

from core.health import register_probe
from notifications.publishing import broker_reachable, publish
from rms.env import env_int
from webhooks.queue import register_publisher

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")

app = Celery("rms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs (celery beat). Each entry names a task; the task calls one service.
app.conf.beat_schedule = {
    "workflows-sweep": {"task": "workflows.sweep", "schedule": 300.0},
    # Burnout limits: usage, resting and its notices; hourly, so a held activity counts soon.
    "limits-recompute": {"task": "limits.recompute", "schedule": crontab(minute=7)},
    # Weekly, the same job compares every contact's uses with what it stored (see limits.usage).
    "limits-verify": {"task": "limits.verify", "schedule": crontab(day_of_week="sun", hour=4, minute=37)},
    # Email whose message was lost (Redis down at commit, a worker killed) goes out on the next sweep.
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": float(env_int("NOTIFICATION_SWEEP_SECONDS", 120)),
    },
    # Webhook retries when due, and deliveries whose message was lost (webhooks/delivery.py).
    "webhooks-sweep": {"task": "webhooks.sweep", "schedule": float(env_int("WEBHOOKS_SWEEP_SECONDS", 30))},
    "workflows-task-reminders": {"task": "workflows.task_reminders", "schedule": 900.0},
    "notifications-daily-digest": {
        "task": "notifications.daily_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "insights-weekly-digest": {
        "task": "insights.weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    # The revenue figures' facts (insights/facts.py), rebuilt whole; the pages show their "as of".
    "insights-refresh-facts": {
        "task": "insights.refresh_facts",
        "schedule": float(settings.INSIGHT_FACTS_SECONDS),
    },
    # Last month's key figures to the executive digest's recipients; once per month per recipient.
    "insights-executive-digest": {
        "task": "insights.executive_digest",
        "schedule": crontab(day_of_month=1, hour=7, minute=15),
    },
    # Contacts' own pauses ("pause me for N days") end after their last day; hourly, idempotent.
    "references-end-pauses": {"task": "references.end_pauses", "schedule": crontab(minute=23)},
    "core-forget-old-sign-ins": {"task": "core.forget_old_sign_ins", "schedule": crontab(hour=3, minute=45)},
    "customers-forget-old-portal-records": {
        "task": "customers.forget_old_portal_records",
        "schedule": crontab(hour=3, minute=50),
    },
    # Content: unpublish assets past their review-by day or permission; warn owners 30 and 7 days ahead.
    "marketing-expire-assets": {"task": "marketing.expire_assets", "schedule": crontab(hour=5, minute=40)},
    "integrations-forget-old-imports": {
        "task": "integrations.forget_old_imports",
        "schedule": crontab(hour=3, minute=55),
    },
    # The reference search index follows the catalogue within a minute; rebuilt nightly.
    "matching-refresh-search-index": {"task": "matching.refresh_search_index", "schedule": 60.0},
    "matching-rebuild-search-index": {
        "task": "matching.rebuild_search_index",
        "schedule": crontab(hour=3, minute=15),
    },
}


def broker_ready() -> str | None:
    """The readiness probe of the broker (/readyz): the embedded broker's folder, or a connection."""
    if settings.CELERY_BROKER_URL == "filesystem://":
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return None if folder.is_dir() else f"broker folder missing: {folder}"
    return broker_reachable()


register_probe("broker", broker_ready)
# Webhook deliveries are published as email is: short timeouts, then left for the sweep.
register_publisher(publish)
