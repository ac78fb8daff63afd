"""The Celery application: configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")

app = Celery("rms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs (celery beat). Each entry names a task; the task calls one service.
app.conf.beat_schedule = {
    "workflows-sweep": {"task": "workflows.sweep", "schedule": 300.0},
}
