"""Settings come from the environment and refuse bad values with a clear message."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a clean environment (only PATH and what the test passes)."""
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "RMS_VAR_DIR": str(tmp_path / "var"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_with_debug_off_is_refused_with_a_clear_message(tmp_path):
    result = run_manage(tmp_path, "check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_generates_a_secret_key_once_into_var(tmp_path):
    first = run_manage(tmp_path, "check", DEBUG="1")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text()
    assert len(key) > 40
    run_manage(tmp_path, "check", DEBUG="1")
    assert key_file.read_text() == key


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT='twenty-five' is not a whole number"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL='mysql://x/y' must be a URL"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL='localhost:6379' must be a URL"),
        ("SIGNIN_FAILURES_PER_USER", "0", "SIGNIN_FAILURES_PER_USER='0' must be at least 1"),
        ("BROKER_PUBLISH_TIMEOUT", "soon", "BROKER_PUBLISH_TIMEOUT='soon' is not a number"),
        ("BROKER_PUBLISH_TIMEOUT", "0", "BROKER_PUBLISH_TIMEOUT='0' must be at least 0.01"),
        ("BROKER_PUBLISH_PAUSE", "nan", "BROKER_PUBLISH_PAUSE='nan' must be at least 0.0"),
    ],
)
def test_malformed_values_name_the_variable(tmp_path, variable, value, message):
    result = run_manage(tmp_path, "check", **{"DEBUG": "1", variable: value})
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_ROLE_MAP": "rms-sales=Sales,x=Boss"}, "OIDC_ROLE_MAP: 'x=Boss' is not key=value"),
        ({"OIDC_ISSUER": "idp.example.com"}, "OIDC_ISSUER='idp.example.com' must be a URL"),
        ({"OIDC_ISSUER": "https://idp.example.com"}, "set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
    ],
)
def test_single_sign_on_settings_refuse_what_they_cannot_use(tmp_path, env, message):
    result = run_manage(tmp_path, "check", DEBUG="1", **env)
    assert result.returncode != 0
    assert message in result.stderr


def deploy_check(tmp_path, **env):
    """`check --deploy` failing on warnings, in a production environment (plus `env`)."""
    production = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "rms.example.com",
        "SITE_URL": "https://rms.example.com",
    }
    return run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production, **env)


def test_deploy_check_passes_with_production_environment(tmp_path):
    result = deploy_check(tmp_path, TRUSTED_PROXY_COUNT="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_asks_how_many_proxies_stand_in_front(tmp_path):
    """Behind the proxy the settings assume, a count of 0 makes every client share one address."""
    result = deploy_check(tmp_path)
    assert result.returncode != 0
    assert "rms.W001" in result.stdout + result.stderr


def test_production_responses_carry_the_security_headers(client, settings):
    response = client.get("/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def emailed_link(tmp_path, **env: str) -> str:
    """The link an email of the app would carry to /sales/, under `env`."""
    code = "from notifications.emails import absolute; print(absolute('/sales/'))"
    result = run_manage(tmp_path, "shell", "-c", code, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("address", "link"),
    [
        ("0.0.0.0:8123", "http://localhost:8123/sales/"),  # every interface: browse to localhost
        ("127.0.0.1:9000", "http://127.0.0.1:9000/sales/"),
        ("8124", "http://127.0.0.1:8124/sales/"),  # a bare port, as runserver takes it
    ],
)
def test_emailed_links_point_where_make_run_serves(tmp_path, address, link):
    assert emailed_link(tmp_path, RMS_ADDRESS=address) == link


def test_site_url_wins_over_the_served_address(tmp_path):
    link = emailed_link(tmp_path, RMS_ADDRESS="0.0.0.0:8123", SITE_URL="https://rms.example.com")

    assert link == "https://rms.example.com/sales/"
    assert emailed_link(tmp_path) == "http://127.0.0.1:8000/sales/"  # neither set: make run's default
