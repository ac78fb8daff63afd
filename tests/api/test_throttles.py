"""Throttles: per API key and per user, counted in the shared cache; past the rate a 429 in the
API's error body with Retry-After. One key's exhaustion does not throttle another user's key.

The suite runs with high rates (rms/settings_test.py); these tests set small ones (the throttles
read the settings at each call) and each test has its own cache namespace (tests/conftest.py)."""

import pytest
from django.core.cache import cache

from api.throttles import KeyRateThrottle
from rms.env import ConfigError, env_rate
from tests.api.keys_fixtures import key_client, make_key

pytestmark = pytest.mark.django_db


def test_a_key_past_its_rate_is_answered_429_with_retry_after(settings, sales_rep, other_rep):
    settings.API_KEY_RATE = "3/minute"
    _, sallys = make_key(sales_rep)
    _, oscars = make_key(other_rep)

    answers = [key_client(sallys).get("/api/tasks/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"
    assert set(refused.json()["error"]) >= {"code", "message", "fields"}
    assert key_client(oscars).get("/api/tasks/").status_code == 200


def test_each_key_has_its_own_count(settings, sales_rep):
    settings.API_KEY_RATE = "2/minute"
    _, first = make_key(sales_rep, name="One")
    _, second = make_key(sales_rep, name="Two")

    for _ in range(2):
        key_client(first).get("/api/tasks/")

    assert key_client(first).get("/api/tasks/").status_code == 429
    assert key_client(second).get("/api/tasks/").status_code == 200


def test_a_user_is_limited_across_their_keys_and_session(settings, client, sales_rep, other_rep):
    settings.API_USER_RATE = "3/minute"
    _, first = make_key(sales_rep, name="One")
    _, second = make_key(sales_rep, name="Two")
    client.force_login(sales_rep)

    codes = [
        key_client(first).get("/api/tasks/").status_code,
        key_client(second).get("/api/tasks/").status_code,
        client.get("/api/tasks/").status_code,
        key_client(second).get("/api/tasks/").status_code,
        client.get("/api/tasks/").status_code,
    ]

    assert codes == [200, 200, 200, 429, 429]
    client.force_login(other_rep)
    assert client.get("/api/tasks/").status_code == 200


def test_the_count_is_kept_in_the_default_cache_under_the_keys_prefix(settings, sales_rep):
    settings.API_KEY_RATE = "5/minute"
    key, raw_key = make_key(sales_rep)
    key_client(raw_key).get("/api/tasks/")

    history = cache.get(KeyRateThrottle.cache_format % {"scope": "api_key", "ident": key.prefix})
    assert history is not None and len(history) == 1


def test_an_unreachable_cache_lets_calls_through(settings, sales_rep, cache_redis):
    settings.API_KEY_RATE = "1/minute"
    _, raw_key = make_key(sales_rep)
    cache_redis.stop()

    codes = [key_client(raw_key).get("/api/tasks/").status_code for _ in range(2)]

    assert codes == [200, 200]


@pytest.mark.parametrize("value", ["2000", "2000/fortnight", "0/hour", "-1/hour", "many/hour"])
def test_a_malformed_rate_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("API_KEY_RATE", value)
    with pytest.raises(ConfigError, match="API_KEY_RATE"):
        env_rate("API_KEY_RATE", "2000/hour")


def test_a_rate_from_the_environment_is_taken(monkeypatch):
    monkeypatch.setenv("API_USER_RATE", "90/minute")
    assert env_rate("API_USER_RATE", "5000/hour") == "90/minute"
    monkeypatch.delenv("API_USER_RATE")
    assert env_rate("API_USER_RATE", "5000/hour") == "5000/hour"
