"""Who is calling: a machine with an API key (`Authorization: Api-Key <key>`), acting as the
key's user with the key's scopes, or a browser with its session."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from integrations.keys import api_key_for

KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        scheme, _, raw = get_authorization_header(request).decode("latin-1").partition(" ")
        if scheme != KEYWORD:
            return None
        key = api_key_for(raw.strip())
        if key is None:
            raise AuthenticationFailed("This API key is unknown, revoked or expired.")
        return key.user, key

    def authenticate_header(self, request) -> str:
        # An anonymous call is a 401 that names the scheme, not a 403.
        return f'{KEYWORD} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the schema describes the key: the Authorization header, `Api-Key <key>`."""

    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"`{KEYWORD} <key>`: a key made on your profile page, shown once.",
        }
