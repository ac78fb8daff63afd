"""What the dev server's console shows: a refused request is one warning line, a server error keeps
its traceback, and what the worker's tasks print (the console email backend) is INFO."""

import logging
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import include, path
from django.utils.log import configure_logging

from rms.celery import app as celery_app

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug in a view")


# The project's routes, plus one view with a bug (ROOT_URLCONF points here in the 500 test).
urlpatterns = [path("boom/", boom), path("", include("rms.urls"))]


@contextmanager
def records_of(logger_name: str):
    """The records `logger_name` hands its handlers meanwhile (after its filters)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger(logger_name).addHandler(handler)
    try:
        yield records
    finally:
        logging.getLogger(logger_name).removeHandler(handler)


@pytest.fixture
def console(capsys, settings):
    """Reads what the project's logging prints, in DEBUG as `make run` serves (Django's own console
    handler only prints in DEBUG). Call it in the test: capsys opens a new stream for the test's body."""
    settings.DEBUG = True

    def start():
        configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)
        capsys.readouterr()
        return capsys

    yield start
    with capsys.disabled():  # handlers on the real stderr again for the tests that follow
        configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)


def test_a_403_is_one_warning_line_without_a_traceback(client, marketer, console):
    client.force_login(marketer)
    capture = console()

    with records_of("django.request") as refusals:
        response = client.get("/sales/")

    assert response.status_code == 403
    printed = capture.readouterr().err
    assert printed.count("Forbidden (Permission denied): /sales/") == 1, printed
    assert "Traceback" not in printed
    assert [(record.levelno, record.exc_info) for record in refusals] == [(logging.WARNING, None)]


def test_a_500_is_printed_once_with_its_traceback(client, console, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    capture = console()

    response = client.get("/boom/")

    assert response.status_code == 500
    printed = capture.readouterr().err
    assert printed.count("Traceback") == 1, printed
    assert "RuntimeError: a bug in a view" in printed


def test_an_email_printed_by_a_task_is_logged_at_info(settings):
    """The worker sends a task's prints (the console email backend writes the email to stdout) to
    its log at `worker_redirect_stdouts_level`; Celery's default is WARNING."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    redirected = logging.getLogger("tests.celery.redirected")
    stdout, stderr = sys.stdout, sys.stderr
    with records_of(redirected.name) as records:
        try:
            # What the worker does at start-up (celery.apps.worker), with the project's configuration.
            celery_app.log.redirect_stdouts_to_logger(
                redirected, loglevel=celery_app.conf.worker_redirect_stdouts_level
            )
            mail.send_mail("Your request was approved", "Open it: http://x/", "rms@localhost", ["a@b.test"])
        finally:
            sys.stdout, sys.stderr = stdout, stderr

    assert any("Your request was approved" in record.getMessage() for record in records)
    assert {record.levelno for record in records} == {logging.INFO}
