"""The log of sign-ins axes writes at every sign-in is kept SIGNIN_LOG_DAYS, then trimmed nightly."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessLog
from django.utils import timezone

from core.tasks import forget_old_sign_ins
from rms.celery import app as celery_app


def test_sign_ins_older_than_the_kept_days_are_forgotten_and_recent_ones_stay(client, sales_rep, settings):
    settings.SIGNIN_LOG_DAYS = 30
    for _ in range(2):
        assert client.post("/login/", {"username": sales_rep.username, "password": "pw"}).status_code == 302
        client.logout()
    client.post("/login/", {"username": sales_rep.username, "password": "wrong"})
    assert AccessLog.objects.count() == 2
    old = AccessLog.objects.order_by("pk").first()
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=31))

    assert forget_old_sign_ins.apply().get() == 1

    assert list(AccessLog.objects.values_list("username", flat=True)) == [sales_rep.username]
    assert AccessLog.objects.filter(pk=old.pk).exists() is False
    assert AccessAttempt.objects.filter(username=sales_rep.username).count() == 1  # the lock-out count stays


def test_the_beat_schedule_trims_the_log_every_night():
    entry = celery_app.conf.beat_schedule["core-forget-old-sign-ins"]
    assert entry["task"] == forget_old_sign_ins.name
