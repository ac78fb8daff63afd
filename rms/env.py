"""Small typed readers for environment variables.

Each one fails at start-up with a message naming the variable and the value it could not use,
so a bad deployment stops before it serves a request.
"""

import os
import re
from urllib.parse import urlparse


class ConfigError(Exception):
    """A setting read from the environment is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    return _env_number(name, default, int, "a whole number", minimum)


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    return _env_number(name, default, float, "a number", minimum)


def _env_number(name, default, parse, kind: str, minimum):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = parse(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not {kind}.") from None
    if minimum is not None and not number >= minimum:  # `not >=` also refuses nan
        raise ConfigError(f"{name}={value!r} must be at least {minimum}.")
    return number


def env_rate(name: str, default: str) -> str:
    """A rate, "<calls>/<second|minute|hour|day>" (DRF's throttle rates: `2000/hour`)."""
    value = env_str(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ConfigError(
            f"{name}={value!r} is not a rate; write calls per second, minute, hour or day: 2000/hour."
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str | None, schemes: set[str]) -> str | None:
    value = env_str(name, default)
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ConfigError(f"{name}={value!r} must be a URL starting with one of: {allowed}.")
    return value


def env_map(name: str, allowed_values: set[str]) -> dict[str, str]:
    """Read `key=value,key=value` pairs; each value must be one of `allowed_values`.

    A key may itself hold "=" (the value is what follows the last one), not ",".
    """
    pairs = {}
    for item in env_list(name, []):
        key, sep, value = item.rpartition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or value not in allowed_values:
            allowed = ", ".join(sorted(allowed_values))
            raise ConfigError(f"{name}: {item!r} is not key=value with a value among: {allowed}.")
        pairs[key] = value
    return pairs


def site_url_for_address(address: str) -> str:
    """The base URL a browser reaches `runserver ADDRESS` at: "0.0.0.0:8123" → http://localhost:8123
    (a wildcard address is not one to browse to), "127.0.0.1:9000" → http://127.0.0.1:9000, and a bare
    port is runserver's 127.0.0.1."""
    host, sep, port = address.strip().rpartition(":")
    if not sep:
        host, port = "", address.strip()
    if host in ("", "[::]", "0.0.0.0", "::"):
        host = "localhost" if host else "127.0.0.1"
    return f"http://{host}:{port}"
