"""Docker does not run here, so check that docker-compose.yml names real parts of the project."""

import importlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_services_sharing_one_image():
    services = load_compose()["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    images = {services[name]["image"] for name in ("migrate", "web", "worker", "beat")}
    assert images == {"rms:latest"}
    assert (ROOT / services["web"]["build"] / "Dockerfile").exists()


def test_compose_commands_name_things_that_exist():
    services = load_compose()["services"]
    web = services["web"]["command"]
    module, _, attribute = web[web.index("gunicorn") + 1].partition(":")
    assert callable(getattr(importlib.import_module(module), attribute))
    for name in ("worker", "beat"):
        command = services[name]["command"]
        app_module = command[command.index("-A") + 1]
        assert importlib.import_module(app_module).celery_app.main == "rms"
    assert services["migrate"]["command"][1:3] == ["manage.py", "migrate"]
    assert (ROOT / "manage.py").exists()


def test_compose_runs_migrations_once_before_the_app_and_checks_health():
    compose = load_compose()
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["restart"] == "unless-stopped"
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert {"pgdata", "redisdata"} <= set(compose["volumes"])
    env = services["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")
