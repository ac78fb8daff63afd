"""Review: a magic link's token never reaches a log line (Django's or gunicorn's access log)."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from core.log_filters import PortalTokensRedacted
from customers.links import portal_link_mint
from rms.gunicorn_logging import RedactingLogger

TOKEN = "Abc_def-0123456789abcdefghijABCDEFGHIJklmno"


def test_the_filter_replaces_the_token_in_a_record():
    args = ("CSRF cookie not set.", f"/portal/link/{TOKEN}/")
    record = logging.LogRecord(
        "django.security.csrf", logging.WARNING, __file__, 1, "Forbidden (%s): %s", args, None
    )
    assert PortalTokensRedacted().filter(record)
    assert TOKEN not in record.getMessage() and "/portal/link/[token]/" in record.getMessage()


@pytest.mark.django_db
def test_a_csrf_refusal_of_a_live_link_logs_no_token(customer_contact, caplog):
    token = portal_link_mint(contact=customer_contact, next_path="/portal/", lifetime=timedelta(hours=1))
    with caplog.at_level(logging.WARNING):
        Client(enforce_csrf_checks=True).post(f"/portal/link/{token}/")
    # Django logs the refusal with the path; the console handler's filter took the token out.
    assert any("/portal/link/[token]/" in r.getMessage() for r in caplog.records)
    assert all(token not in r.getMessage() for r in caplog.records)
    assert "portal_tokens_redacted" in settings.LOGGING["handlers"]["console"]["filters"]


def test_the_access_log_has_no_token():
    logger = RedactingLogger(SimpleNamespace(
        errorlog="-", loglevel="info", accesslog="-", syslog=False, logconfig=None, logconfig_dict={},
        logconfig_json=None, user=0, group=0, capture_output=False, access_log_format="%(r)s %(U)s %(f)s",
        disable_redirect_access_to_syslog=False, syslog_addr=None, syslog_prefix=None, syslog_facility="user",
        statsd_host=None, dogstatsd_tags="", statsd_prefix="", env_orig={}, umask=0, uid=0, gid=0,
    ))  # fmt: skip
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/portal/link/{TOKEN}/", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": f"/portal/link/{TOKEN}/", "QUERY_STRING": "",
               "HTTP_REFERER": f"https://rms.test/portal/link/{TOKEN}/"}  # fmt: skip
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[], status_code=200)
    req = SimpleNamespace(headers=[])
    atoms = logger.atoms(resp, req, environ, timedelta(seconds=0))
    assert all(TOKEN not in atoms[key] for key in ("r", "U", "f"))
