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
from tests.builders.requests import drive_to, make_request
from tests.notifications.conftest import celery_broker
from tests.notifications.faults import RedisServer, terminate_other_connections
from tests.notifications.worker import WorkerProcess, dedicated_redis_url, wait_for

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.timeout(240),  # a hang (a blocked socket) fails the test instead of stopping the suite
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
def start_worker(transactional_db, tmp_path, mail_dir):
    """Start a worker with `start_worker(name, broker_url, **env)`; every one is stopped after the
    test, whatever happens."""
    started: list[WorkerProcess] = []

    def start(name: str, broker_url: str, **env: str) -> WorkerProcess:
        worker = WorkerProcess(name, tmp_path, broker_url, mail_dir, **env)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def workers(start_worker, broker_url):
    """Start workers on the worker tests' Redis database with `workers(name, **env)`."""
    return lambda name, **env: start_worker(name, broker_url, **env)


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


def cancel_through_the_web(client, requester, ref_request):
    client.force_login(requester)
    response = client.post(reverse("sales:request-cancel", args=[ref_request.pk]), {"reason": "Deal lost."})
    assert response.status_code == 302, response.content[:500]


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


# Fast sweeps, so what an outage left pending goes out within seconds of the broker's return.
SWEEPING = {"BEAT": "1", "NOTIFICATION_SWEEP_GRACE": "1", "NOTIFICATION_SWEEP_SECONDS": "1"}


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_requests_during_a_broker_outage_answer_at_once_and_are_emailed_once_it_is_back(
    client, start_worker, mail_dir, private_redis, manager, sales_rep, customer_contact, outage
):
    """Before, each request that enqueued an email waited about 6 s for a stopped Redis (12 s for a
    cancel, which enqueues twice); a frozen one would hold it until TCP gave up."""
    reviewed = [
        drive_to(make_request(sales_rep, customer_contact), "in_review", customer_contact, manager)
        for _ in range(4)
    ]
    with celery_broker(private_redis.url):
        start_worker("w1", private_redis.url, **SWEEPING)
        first = approve_through_the_web(client, manager, reviewed[0], customer_contact)
        wait_for(lambda: delivered(mail_dir, first), timeout=30, what="the email sent before the outage")

        private_redis.stop() if outage == "stopped" else private_redis.freeze()
        answered_in = []
        for ref_request in reviewed[1:3]:
            started = time.monotonic()
            approve_through_the_web(client, manager, ref_request, customer_contact)
            answered_in.append(time.monotonic() - started)
        started = time.monotonic()
        cancel_through_the_web(client, sales_rep, reviewed[3])
        answered_in.append(time.monotonic() - started)
        assert max(answered_in) < 1.0, answered_in
        during = Notification.objects.filter(channel="email", request__in=reviewed[1:])
        assert during.count() >= 3 and set(during.values_list("status", flat=True)) == {"pending"}

        private_redis.start() if outage == "stopped" else private_redis.thaw()

    outgoing = Notification.objects.filter(channel="email", request__in=reviewed)
    wait_for(
        lambda: not outgoing.exclude(status="sent").exists(),
        timeout=60,
        what="the emails written during the outage to be sent once the broker is back",
    )
    time.sleep(4)  # several more sweeps: nothing goes out twice
    assert [emails(mail_dir, email) for email in outgoing] == [1] * outgoing.count()


def test_database_connections_terminated_while_the_mail_server_takes_a_message_send_it_once(
    client, workers, mail_dir, tmp_path, manager, in_review, customer_contact
):
    """The mail server answers after 3 s; meanwhile PostgreSQL ends the worker's connections. Before,
    the row stayed `sending` and the sweeper sent it again once the claim timed out."""
    with_the_mail_server = tmp_path / "sending"
    workers(
        "w1",
        EMAIL_BACKEND="tests.notifications.backends.SlowFileBackend",
        SLOW_EMAIL_SECONDS="3",
        SLOW_EMAIL_STARTED=str(with_the_mail_server),
        NOTIFICATION_CLAIM_TIMEOUT="6",
        **SWEEPING,
    )
    approve_through_the_web(client, manager, in_review, customer_contact)
    wait_for(with_the_mail_server.exists, timeout=30, what="an email to reach the mail server")
    claimed = Notification.objects.get(status="sending")

    assert terminate_other_connections() >= 1

    outgoing = Notification.objects.filter(channel="email", request=in_review)
    wait_for(lambda: not outgoing.exclude(status="sent").exists(), timeout=60, what="every email to be sent")
    time.sleep(8)  # past the claim timeout, with a sweep every second: nothing is taken back
    assert [emails(mail_dir, email) for email in outgoing] == [1] * outgoing.count()
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts) == ("sent", 1)


@pytest.fixture
def persistent_redis(tmp_path):
    """A Redis of the test's own that keeps its data across a stop, as production's does."""
    server = RedisServer(tmp_path, persistent=True).start()
    yield server
    server.stop()


def test_a_worker_sending_when_redis_stops_lives_on_and_sends_once(
    client, start_worker, mail_dir, tmp_path, persistent_redis, manager, sales_rep, customer_contact
):
    """In the prefork pool, as in production. Before, kombu's attempt to put the unacknowledged
    message back through the closed connection killed the worker, and all email with it."""
    private_redis = persistent_redis
    reviewed = [
        drive_to(make_request(sales_rep, customer_contact), "in_review", customer_contact, manager)
        for _ in range(2)
    ]
    with_the_mail_server = tmp_path / "sending"
    with celery_broker(private_redis.url):
        worker = start_worker(
            "w1",
            private_redis.url,
            POOL="prefork",
            EMAIL_BACKEND="tests.notifications.backends.SlowFileBackend",
            SLOW_EMAIL_SECONDS="4",
            SLOW_EMAIL_STARTED=str(with_the_mail_server),
            CELERY_VISIBILITY_TIMEOUT="5",  # the unacknowledged message comes back soon: to nothing
            **SWEEPING,
        )
        first = approve_through_the_web(client, manager, reviewed[0], customer_contact)
        wait_for(with_the_mail_server.exists, timeout=30, what="the email to reach the mail server")

        private_redis.stop()  # the task finishes and is acknowledged while Redis is away
        wait_for(lambda: delivered(mail_dir, first), timeout=30, what="the email in flight to be sent")
        time.sleep(2)
        assert worker.process.poll() is None, worker.log()[-3000:]

        private_redis.start()
        # The first email's message, never acknowledged, was kept by Redis…
        assert private_redis.client().hlen("unacked") >= 1
        second = approve_through_the_web(client, manager, reviewed[1], customer_contact)
        wait_for(lambda: delivered(mail_dir, second), timeout=60, what="the worker to reconnect and send")

    outgoing = Notification.objects.filter(channel="email", request__in=reviewed)
    wait_for(lambda: not outgoing.exclude(status="sent").exists(), timeout=90, what="every email to be sent")
    # …and past the visibility timeout it is handed out again and acknowledged: it finds the row sent.
    wait_for(
        lambda: private_redis.client().hlen("unacked") == 0, timeout=60, what="the kept message redelivered"
    )
    assert [emails(mail_dir, email) for email in outgoing] == [1] * outgoing.count()
    assert worker.process.poll() is None
