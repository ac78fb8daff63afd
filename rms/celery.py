"""The Celery application: configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.schedules import crontab

from rms.env import env_int

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
    "notifications-task-reminders": {"task": "notifications.task_reminders", "schedule": 900.0},
    "notifications-daily-digest": {
        "task": "notifications.daily_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-weekly-digest": {
        "task": "notifications.weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    # The reference search index follows the catalogue within a minute; rebuilt nightly.
    "matching-refresh-search-index": {"task": "matching.refresh_search_index", "schedule": 60.0},
    "matching-rebuild-search-index": {
        "task": "matching.rebuild_search_index",
        "schedule": crontab(hour=3, minute=15),
    },
}
