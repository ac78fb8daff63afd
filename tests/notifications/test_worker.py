"""A real Celery worker against Redis: events caused through the web layer are emailed by the
worker; a worker killed mid-send and Redis unreachable at commit time lose nothing and send
nothing twice.

Needs REDIS_URL (CI sets it) and PostgreSQL (the worker process must see the test database).
The worker uses Django's file email backend, so the test reads what was sent from disk.
"""

import os
import time
from pathlib import Path

import pytest
import redis
from django.urls import reverse

from notifications.models import Notification
from tests.builders.requests import drive_to
from tests.notifications.conftest import celery_broker
from tests.notifications.worker import WorkerProcess, dedicated_redis_url, wait_for

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.xdist_group("worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not REDIS_URL, reason="needs REDIS_URL: these tests run a real Celery worker against Redis"
    ),
]


@pytest.fixture
def broker_url():
    """A Redis database of the worker tests' own, emptied, with this process publishing to it."""
    url = dedicated_redis_url(REDIS_URL)
    redis.Redis.from_url(url).flushdb()
    with celery_broker(url):
        yield url


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def workers(transactional_db, tmp_path, broker_url, mail_dir):
    """Start workers with `workers(name, **env)`; every one is stopped after the test, whatever happens."""
    started: list[WorkerProcess] = []

    def start(name: str, **env: str) -> WorkerProcess:
        worker = WorkerProcess(name, tmp_path, broker_url, mail_dir, **env)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()


def emails(mail_dir: Path, notification: Notification) -> int:
    """How many emails of `notification` the file backend has written."""
    header = f"X-RMS-Notification: {notification.pk}\n"
    return sum(path.read_text().count(header) for path in mail_dir.iterdir())


def delivered(mail_dir: Path, notification: Notification) -> bool:
    """Written by the mail backend and then marked sent (the worker marks the row after the mail
    server took the message, so the file can appear a moment before the row says so)."""
    marked = Notification.objects.filter(pk=notification.pk, status="sent").exists()
    return marked and emails(mail_dir, notification) > 0


def approve_through_the_web(client, manager, ref_request, contact):
    client.force_login(manager)
    response = client.post(
        reverse("manage:request-act", args=[ref_request.pk]), {"action": "approve", "contact": contact.pk}
    )
    assert response.status_code == 302, response.content[:500]
    return Notification.objects.get(request=ref_request, kind="approval_needed", channel="email")


@pytest.fixture
def in_review(manager, sales_rep, customer_contact, ref_request):
    return drive_to(ref_request, "in_review", customer_contact, manager)


def test_an_approval_in_the_web_app_is_emailed_by_the_worker(
    client, workers, mail_dir, manager, in_review, customer_contact, account_owner
):
    workers("w1")

    email = approve_through_the_web(client, manager, in_review, customer_contact)

    wait_for(lambda: delivered(mail_dir, email), timeout=30, what="the approval email")
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    sent = next(
        text
        for path in mail_dir.iterdir()
        if f"X-RMS-Notification: {email.pk}\n" in (text := path.read_text())
    )
    assert f"To: {account_owner.email}" in sent and "Subject: [RMS] Approval needed: Grace Globex" in sent
    assert f"http://127.0.0.1:8000/sales/approvals/{in_review.pk}/" in sent


def test_a_worker_killed_while_sending_leaves_the_email_to_the_next_exactly_once(
    client, workers, mail_dir, manager, in_review, customer_contact
):
    stuck = workers(
        "stuck", EMAIL_BACKEND="tests.notifications.backends.SlowFileBackend", SLOW_EMAIL_SECONDS="60"
    )
    approve_through_the_web(client, manager, in_review, customer_contact)
    claimed = wait_for(
        lambda: Notification.objects.filter(status="sending").first(),
        timeout=30,
        what="the first worker to claim an email",
    )

    stuck.kill()  # mid-send: the claim stays, its message is never acknowledged
    assert emails(mail_dir, claimed) == 0
    # The next worker runs beat: its sweeper takes back the dead claim and enqueues the email again;
    # the unacknowledged message also comes back after the (short) visibility timeout.
    fast = {
        "NOTIFICATION_CLAIM_TIMEOUT": "3",
        "NOTIFICATION_SWEEP_GRACE": "1",
        "NOTIFICATION_SWEEP_SECONDS": "1",
    }
    workers("rescuer", BEAT="1", CELERY_VISIBILITY_TIMEOUT="4", **fast)

    outgoing = Notification.objects.filter(channel="email", request=in_review)
    wait_for(
        lambda: not outgoing.exclude(status="sent").exists(),
        timeout=45,
        what="the rescuer to send every email",
    )
    claimed.refresh_from_db()
    assert claimed.attempts == 2
    time.sleep(8)  # several sweeps and the redelivered message later…
    assert [emails(mail_dir, email) for email in outgoing] == [1] * outgoing.count()  # …each email once


def test_an_approval_while_redis_is_down_succeeds_and_is_emailed_when_it_is_back(
    client, workers, mail_dir, manager, in_review, customer_contact, unused_port
):
    with celery_broker(f"redis://127.0.0.1:{unused_port}/0"):  # Redis down, as the web app sees it
        email = approve_through_the_web(client, manager, in_review, customer_contact)
    email.refresh_from_db()
    assert email.status == "pending"

    # Redis is back: a worker with beat, whose sweeper finds what piled up.
    workers("w1", BEAT="1", NOTIFICATION_SWEEP_GRACE="1", NOTIFICATION_SWEEP_SECONDS="1")

    wait_for(lambda: delivered(mail_dir, email), timeout=45, what="the sweeper to deliver the email")
    email.refresh_from_db()
    assert email.status == "sent"
