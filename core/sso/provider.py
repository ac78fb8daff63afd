"""The provider's endpoints: discovered lazily at the first sign-in, kept for an hour per process."""

import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings

DISCOVERY_TTL_SECONDS = 3600
_ENDPOINTS = {
    # Our setting (mozilla-django-oidc's name) → the discovery document's key.
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}

_cache: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


class SsoUnavailable(Exception):
    """The provider could not be reached or described itself wrongly; nobody is signed in."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str | None
    jwks_uri: str


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def provider() -> Provider:
    """The configured provider; endpoints set explicitly win over the discovered ones."""
    issuer = settings.OIDC_ISSUER
    explicit = {key: getattr(settings, name, None) for name, key in _ENDPOINTS.items()}
    discovered = {} if all(explicit.values()) else _discovery(issuer)
    values = {key: explicit[key] or discovered.get(key) for key in explicit}
    missing = [key for key in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not values[key]]
    if missing:
        raise SsoUnavailable(f"The provider {issuer} names no {', '.join(missing)}.")
    return Provider(issuer=issuer, **values)


def _discovery(issuer: str) -> dict:
    with _lock:
        cached = _cache.get(issuer)
        if cached and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
            return cached[1]
        document = _fetch_discovery(issuer)
        _cache[issuer] = (time.monotonic(), document)
        return document


def _fetch_discovery(issuer: str) -> dict:
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SsoUnavailable(f"Could not read {url}: {error}") from error
    # OpenID Connect Discovery 1.0, 4.3: the document must name exactly the issuer we asked.
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise SsoUnavailable(f"{url} names another issuer than OIDC_ISSUER={issuer!r}.")
    return document
