"""The authentication backend behind the SSO callback: mozilla-django-oidc with stricter checks."""

import logging

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core.errors import NotAllowed
from core.signin import session_user
from core.sso.provider import provider, sso_enabled
from core.sso.services import sso_user_sign_in

LOGGER = logging.getLogger(__name__)

# Seconds of clock difference allowed between the provider and us on exp, iat and nbf.
CLOCK_LEEWAY = 30
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]


class SsoBackend(OIDCAuthenticationBackend):
    """Verifies the provider's RS256 ID token (signature against its JWKS, issuer, audience, expiry,
    nonce) and signs in the user it names (`core.sso.services.sso_user_sign_in`)."""

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in, password ones too: read nothing here.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password sign-in never reaches the provider.
        if request is None or "nonce" not in kwargs or "password" in kwargs or not sso_enabled():
            return None
        op = provider()
        self.OIDC_OP_TOKEN_ENDPOINT = op.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = op.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = op.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # Django's check, which the library's get_user leaves out: a deactivated user's
        # sessions end at their next request.
        return session_user(user_id)

    def verify_token(self, token, **kwargs):
        if not token:
            raise SuspiciousOperation("The provider returned no ID token.")
        try:
            return super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, ValueError) as error:  # a bad token, or a bad key
            raise SuspiciousOperation(f"ID token refused: {error!r}") from error

    def _verify_jws(self, payload, key):
        """Signature, algorithm, issuer, audience and times; the library checks the nonce after."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO}.")
        claims = jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_ISSUER,
            leeway=CLOCK_LEEWAY,
            options={"require": REQUIRED_CLAIMS},
        )
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences without us as its azp.")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self._claims(access_token, id_token, payload)
        try:
            return sso_user_sign_in(issuer=payload["iss"], claims=claims)
        except NotAllowed as refusal:
            LOGGER.warning("SSO sign-in refused for subject %s: %s", payload.get("sub"), refusal.message)
            return None

    def _claims(self, access_token, id_token, payload) -> dict:
        """The ID token's claims, completed by the userinfo endpoint's (which must be the same subject)."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload["sub"]:
            raise SuspiciousOperation("The userinfo endpoint answered for another subject.")
        return {**userinfo, **payload}
