"""The fuzz pass over the API: schemathesis draws requests from `/api/schema/` (valid ones and
ones that break it) for every operation, as each staff role signed in with a session; none may
answer with a server error, and what the schema documents a response to be, it must be.

The requests go through Django's test handler as a WSGI app (the test database, no CSRF dance);
path ids are the world's own requests, so transitions reach the workflow service's guards.
"""

import base64
import json

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from requests_app.models import ReferenceRequest
from tests.security.fuzz_world import EXAMPLES, TRICKY, build_world, fuzz_settings, tricky_values

pytestmark = pytest.mark.django_db


class DjangoApp:
    """The project as a WSGI app over Django's test handler (the handler keeps the test's
    database connection open and does not ask for a CSRF token)."""

    def __init__(self):
        self.handler = ClientHandler(enforce_csrf_checks=False)

    def __call__(self, environ, start_response):
        response = self.handler(environ)
        headers = [
            *response.items(),
            *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response


@pytest.fixture
def world(db):
    return build_world()


def _schema(client):
    raw = client.get("/api/schema/", {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = DjangoApp()
    return schema


def _request_ids(user) -> list[int]:
    """Ids of the requests the user may see (one in every status for the rep and the manager),
    and one nobody has."""
    ids = list(ReferenceRequest.objects.visible_to(user).values_list("pk", flat=True).order_by("pk"))
    return ids + [999_999]


def _fuzz(schema, operation, cookies, ids) -> None:
    path_ids = [{"id": pk} for pk in ids] if "{id}" in operation.path else [None]
    strategy = st.one_of(
        operation.as_strategy(generation_mode=mode, path_parameters=params)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for params in path_ids
    )

    @fuzz_settings(EXAMPLES * 2)
    @given(case=strategy)
    def check(case):
        response = case.call(cookies=cookies)
        case.validate_response(
            response,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )

    check()


def test_the_api_survives_schemathesis(client, world):
    for role in ("sales", "manager", "marketing"):
        client.force_login(world[role])
        cookies = {"sessionid": client.cookies["sessionid"].value}
        schema = _schema(client)
        ids = _request_ids(world[role])
        operations = [result.ok() for result in schema.get_all_operations()]
        assert operations
        for operation in operations:
            _fuzz(schema, operation, cookies, ids)


# --- The values schemathesis does not think of ------------------------------------------------
# `²` in a number, NUL in text, far dates, forged page cursors, numbers past any column, JSON
# nested thousands deep: each query parameter and body property the schema names, 1–3 at a time.

NESTED = "__nested__"


def _cursor(position: str) -> str:
    """A page cursor as DRF encodes one, around a position a client made up."""
    return base64.b64encode(f"o=1&p={position}".encode()).decode()


def _json_values():
    scalar = st.one_of(
        st.sampled_from(TRICKY),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False),
        st.none(),
        st.booleans(),
    )
    return st.one_of(scalar, st.lists(scalar, max_size=3), st.just(NESTED), st.just({"a": [1]}))


def _body(raw: dict) -> str:
    """JSON text of `raw`, with NESTED as an array nested 5,000 deep (json.dumps itself would
    recurse that deep)."""
    return json.dumps(raw).replace(f'"{NESTED}"', "[" * 5000 + "1" + "]" * 5000)


def _operations(raw_schema: dict):
    for path, methods in raw_schema["paths"].items():
        for method, operation in methods.items():
            query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            body = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            )
            properties = []
            if body:
                name = body["$ref"].rsplit("/", 1)[1]
                properties = list(raw_schema["components"]["schemas"][name]["properties"])
            yield method, path, query, properties


def _tricky_fuzz(client, method, path, query, properties, ids) -> None:
    query_values = st.dictionaries(
        st.sampled_from(query or ["unused"]),
        st.one_of(tricky_values(), st.sampled_from(TRICKY).map(_cursor).map(lambda c: [c])),
        min_size=1,
        max_size=3,
    )
    body_values = st.dictionaries(
        st.sampled_from(properties or ["unused"]), _json_values(), min_size=1, max_size=3
    )

    @fuzz_settings(EXAMPLES * 3)
    @given(params=query_values, body=body_values, pk=st.sampled_from(ids))
    def check(params, body, pk):
        url = path.replace("{id}", str(pk))
        if method == "get":
            response = client.get(url, params)
        else:
            response = client.generic(method.upper(), url, _body(body), content_type="application/json")
        assert response.status_code < 500, (
            f"{method.upper()} {url} {params!r} {str(body)[:300]}: {response.status_code}"
        )

    check()


def test_the_api_survives_tricky_values(client, world):
    client.raise_request_exception = False
    for role in ("sales", "manager"):
        client.force_login(world[role])
        raw = client.get("/api/schema/", {"format": "json"}).json()
        ids = _request_ids(world[role])
        for method, path, query, properties in _operations(raw):
            _tricky_fuzz(client, method, path, query, properties, ids)
