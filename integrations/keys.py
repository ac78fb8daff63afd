"""API keys: made (the key shown once), found from what a client sends, and revoked."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.errors import InvalidInput
from core.roles import Role, has_role
from integrations.models import ApiKey, KeyScope

# A key's last use is written at most this often (every call would be a write per request).
LAST_USED_RESOLUTION = timedelta(minutes=1)
# The longest a key may live (its expiry is at most this far ahead when it is made).
MAX_DAYS = 730
NAME_MAX_LENGTH = ApiKey._meta.get_field("name").max_length


def scopes_for(user) -> list[str]:
    """The scopes `user` may give a key: CRM sync only to reference managers (and superusers),
    the only role the CRM's upserts answer."""
    if has_role(user, Role.MANAGER):
        return list(KeyScope.values)
    return [KeyScope.READ, KeyScope.WRITE]


def api_key_validate(*, user, name: str, scopes: list[str], expires_at=None) -> None:
    """Raise InvalidInput naming the field if a key with these values may not be made."""
    unknown = set(scopes) - set(KeyScope.values)
    if not scopes or unknown:
        raise InvalidInput("Choose at least one scope: read, write or CRM sync.", field="scopes")
    if set(scopes) - set(scopes_for(user)):
        raise InvalidInput("Only reference managers may give a key the CRM sync scope.", field="scopes")
    if not name.strip() or len(name.strip()) > NAME_MAX_LENGTH:
        raise InvalidInput(f"Give the key a name of at most {NAME_MAX_LENGTH} characters.", field="name")
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise InvalidInput("The expiry must be in the future.", field="expires_at")
    if expires_at is not None and expires_at > now + timedelta(days=MAX_DAYS + 1):
        raise InvalidInput(f"A key lives at most {MAX_DAYS} days.", field="expires_at")


def api_key_create(*, user, name: str, scopes: list[str], expires_at=None) -> tuple[ApiKey, str]:
    """A new key of `user`; returns it and the key text, which is not stored and never shown again."""
    api_key_validate(user=user, name=name, scopes=scopes, expires_at=expires_at)
    return ApiKey.objects.create_key(
        user=user, name=name.strip(), scopes=sorted(set(scopes)), expiry_date=expires_at
    )


def api_keys_of(user):
    """`user`'s own keys, newest first (revoked and expired ones too: their history)."""
    return ApiKey.objects.filter(user=user).order_by("-created", "prefix")


def api_key_for(raw: str) -> ApiKey | None:
    """The usable key whose text is `raw`: None for an unknown, revoked or expired one, or one of
    a user who can no longer sign in."""
    try:
        key = ApiKey.objects.get_from_key(raw)
    except (ApiKey.DoesNotExist, ValueError):
        return None
    if key.has_expired or not key.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> None:
    """Refused from the next call on; the row stays, so the key's history does."""
    ApiKey.objects.filter(pk=key.pk, revoked=False).update(revoked=True, revoked_at=timezone.now())
