"""Who an SSO sign-in is, and the roles the provider's claim gives them."""

import logging
import re

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import NotAllowed
from core.models import SsoIdentity
from core.roles import Role

LOGGER = logging.getLogger(__name__)


def sso_user_sign_in(*, issuer: str, claims: dict) -> User:
    """The user the verified `claims` name, with the roles their claim gives; refuses with NotAllowed.

    Found by (issuer, sub); on the first sign-in, linked to the one local user with the same email
    when the provider says it verified that email, else created. Superusers and inactive users are
    refused: SSO never grants superuser, break-glass admins sign in with their password.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise NotAllowed("The provider gave no subject.")
    try:
        with transaction.atomic():
            return _sign_in(issuer, subject, claims)
    except IntegrityError as error:  # the same first sign-in twice at once: the other one won
        raise NotAllowed("Sign-in raced another one; try again.") from error


def _sign_in(issuer: str, subject: str, claims: dict) -> User:
    identity = SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    user = identity.user if identity else _linkable_user(claims) or _new_user(claims)
    if user.is_superuser:
        raise NotAllowed(f"User {user.pk} is a superuser; superusers sign in with their password.")
    if not user.is_active:
        raise NotAllowed(f"User {user.pk} is inactive.")
    if identity is None:
        identity = SsoIdentity(user=user, issuer=issuer, subject=subject)
    identity.last_sign_in_at = timezone.now()
    identity.save()
    _profile_update(user, claims)
    user_roles_set(user, roles_from_claims(claims))
    return user


def _verified_email(claims: dict) -> str | None:
    email = claims.get("email")
    # True, or the string "true" some providers send; never merely truthy ("false" is truthy).
    verified = claims.get("email_verified")
    if (verified is True or verified == "true") and isinstance(email, str) and "@" in email:
        return email
    return None


def _linkable_user(claims: dict) -> User | None:
    """The one local user with the claims' verified email, never by an unverified one."""
    email = _verified_email(claims)
    if email is None:
        return None
    users = list(User.objects.filter(email__iexact=email)[:2])
    if len(users) > 1:
        raise NotAllowed(f"Several users have the email {email}; an administrator must link one.")
    return users[0] if users else None


def _new_user(claims: dict) -> User:
    email = _verified_email(claims) or ""
    base = claims.get("preferred_username") or email.partition("@")[0] or "sso-user"
    base = re.sub(r"[^\w.@+-]", "", str(base))[:140] or "sso-user"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User(username=username, email=email)
    user.set_unusable_password()
    user.save()
    return user


def _profile_update(user: User, claims: dict) -> None:
    """Names and a verified email follow the provider."""
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        value = claims.get(claim)
        if isinstance(value, str) and value:
            setattr(user, field, value[:150])
    user.email = _verified_email(claims) or user.email


def roles_from_claims(claims: dict) -> set[Role]:
    """The RMS roles the configured claim names through OIDC_ROLE_MAP; unknown values give none."""
    value: object = claims
    for part in settings.OIDC_ROLES_CLAIM.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    role_map = settings.OIDC_ROLE_MAP
    return {Role(role_map[item]) for item in values if isinstance(item, str) and item in role_map}


def user_roles_set(user: User, roles: set[Role]) -> None:
    """Give `user` exactly `roles` among the RMS role groups (other groups untouched).

    A reference manager is staff (the admin is for managers and superusers); nobody else is.
    """
    wanted = {role.value for role in roles}
    groups = list(Group.objects.filter(name__in=[role.value for role in Role]))
    user.groups.remove(*[group for group in groups if group.name not in wanted])
    user.groups.add(*[group for group in groups if group.name in wanted])
    user.is_staff = Role.MANAGER in roles
    user.save()
    user._rms_roles = None  # core.roles.user_roles caches on the object
    LOGGER.info("SSO sign-in of user %s with roles %s", user.pk, sorted(wanted) or "none")
