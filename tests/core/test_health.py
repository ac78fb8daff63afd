"""/healthz answers while the process lives; /readyz names the part that is down."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = (
    "import django, json; django.setup();"
    "from django.test import Client;"
    "r = Client().get('/readyz');"
    "print(json.dumps({'status': r.status_code, 'body': json.loads(r.content)}))"
)


def probe_readyz(tmp_path, **env: str) -> dict:
    """Ask /readyz of an app started with the given environment (a real, separate process)."""
    clean = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "RMS_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "rms.settings_test",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_database_and_broker_answer(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok", "search_index": "ok"}


def test_readyz_reports_a_broken_database_as_503(tmp_path):
    result = probe_readyz(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    assert result["status"] == 503
    assert result["body"]["checks"]["database"].startswith("database unreachable")
    assert result["body"]["checks"]["broker"] == "ok"


def test_readyz_reports_an_unreachable_broker_as_503(tmp_path):
    result = probe_readyz(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert result["status"] == 503
    assert result["body"]["checks"]["broker"].startswith("broker unreachable")
