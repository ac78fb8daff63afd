"""A small OpenID Connect provider for tests: a real HTTP server on 127.0.0.1 in a thread.

It serves discovery, authorize (approves `identity` at once and redirects back with code and
state), token (an RS256 ID token signed with a fresh RSA key, checking the client, the code, the
redirect URI and PKCE), JWKS and userinfo. `tamper` makes the next ID tokens wrong in one way.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "rms-tests"
CLIENT_SECRET = "rms-tests-secret"
# How an ID token can be wrong (see `OidcProvider.tamper`).
TAMPERINGS = ("payload", "other_key", "issuer", "audience", "expired", "nonce", "unsigned")


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OidcProvider:
    def __init__(self):
        self.key = _new_key()
        self.kid = secrets.token_hex(4)
        self.identity: dict = {}
        self.tamper: str | None = None
        self._codes: dict[str, dict] = {}
        self._access_tokens: dict[str, dict] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "OidcProvider":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()

    def sign_in_as(self, sub: str, *, email: str | None = None, email_verified: bool = True, **claims):
        """The person the provider approves at the next authorize."""
        self.identity = {"sub": sub, "email": email, "email_verified": email_verified, **claims}
        if email is None:
            del self.identity["email"], self.identity["email_verified"]

    # --- endpoints ---------------------------------------------------------------------------
    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict) -> tuple[int, dict]:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {"error": "invalid_request"}
        code = secrets.token_urlsafe(16)
        self._codes[code] = {**query, "identity": dict(self.identity)}
        back = urlencode({"code": code, "state": query["state"]})
        return 302, {"Location": f"{query['redirect_uri']}?{back}"}

    def token(self, form: dict) -> tuple[int, dict]:
        grant = self._codes.pop(form.get("code", ""), None)  # a code works once
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
            or not _pkce_matches(grant, form.get("code_verifier"))
        ):
            return 400, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(16)
        self._access_tokens[access_token] = grant["identity"]
        id_token = self.id_token(grant["identity"], nonce=grant.get("nonce"))
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        identity = self._access_tokens.get(authorization.removeprefix("Bearer "))
        return (200, identity) if identity else (401, {"error": "invalid_token"})

    # --- ID tokens ---------------------------------------------------------------------------
    def id_token(self, identity: dict, *, nonce: str | None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **identity,
        }
        key, tamper = self.key, self.tamper
        if tamper == "issuer":
            claims["iss"] = "http://127.0.0.1:1/another-provider"
        elif tamper == "audience":
            claims["aud"] = "another-client"
        elif tamper == "expired":
            claims |= {"iat": now - 3600, "exp": now - 600}
        elif tamper == "nonce":
            claims["nonce"] = "replayed-nonce"
        elif tamper == "other_key":
            key = _new_key()  # same kid: only the signature tells
        elif tamper == "unsigned":
            return jwt.encode(claims, None, algorithm="none", headers={"kid": self.kid})
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        if tamper == "payload":
            # Altered after signing: the user claims a role the provider never gave.
            header, _, signature = token.split(".")
            forged = _b64(json.dumps({**claims, "groups": ["rms-managers"]}).encode())
            token = f"{header}.{forged}.{signature}"
        return token


def _pkce_matches(grant: dict, verifier: str | None) -> bool:
    challenge = grant.get("code_challenge")
    if challenge is None:
        return True
    if not verifier or grant.get("code_challenge_method") != "S256":
        return False
    return _b64(hashlib.sha256(verifier.encode()).digest()) == challenge


def _handler(provider: OidcProvider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._answer(200, provider.discovery())
            elif url.path == "/jwks":
                self._answer(200, provider.jwks())
            elif url.path == "/authorize":
                self._answer(*provider.authorize(query))
            elif url.path == "/userinfo":
                self._answer(*provider.userinfo(self.headers.get("Authorization", "")))
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._answer(*provider.token(form))
            else:
                self._answer(404, {"error": "not_found"})

        def _answer(self, status: int, body: dict):
            self.send_response(status)
            if status == 302:
                self.send_header("Location", body["Location"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = json.dumps(body).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # quiet
            pass

    return Handler


# --- fixtures (imported by the conftest or test module that uses them) ------------------------
ROLE_MAP = {"rms-sales": "Sales", "rms-managers": "Reference manager", "rms-marketing": "Marketing"}


@pytest.fixture(scope="session")
def oidc_server():
    provider = OidcProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def oidc_provider(oidc_server, settings, db):
    """The provider, approving nobody yet and tampering with nothing; RMS's SSO pointed at it."""
    oidc_server.identity, oidc_server.tamper = {}, None
    settings.OIDC_ISSUER = oidc_server.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ROLES_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = ROLE_MAP
    return oidc_server
