"""Calling the API as a machine: a key of a user, and a client that sends it (no session)."""

from django.test import Client

from integrations.keys import api_key_create
from integrations.models import ApiKey


def make_key(user, *scopes: str, name: str = "A script", expires_at=None) -> tuple[ApiKey, str]:
    """A key of `user` with `scopes` (read when none): the row and the key text."""
    return api_key_create(user=user, name=name, scopes=list(scopes or ("read",)), expires_at=expires_at)


def key_client(raw_key: str) -> Client:
    """A client with no session that sends `raw_key` on every call."""
    return Client(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
