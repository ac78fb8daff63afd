"""API keys: a machine calls the API as the key's user, within the key's scopes; the key text is
stored nowhere; a revoked, expired or unknown key is refused at once; and no endpoint can skip the
scope check (every permission of every API route derives from SignedIn)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import SignedIn, scope_needed
from api.throttles import KeyRateThrottle, UserRateThrottle
from core.errors import InvalidInput
from integrations.keys import LAST_USED_RESOLUTION, api_key_revoke
from integrations.models import ApiKey
from tests.api.keys_fixtures import key_client, make_key
from tests.builders.requests import make_request
from tests.security.world import routes

pytestmark = pytest.mark.django_db


def test_the_key_text_is_in_no_column_of_its_row(sales_rep):
    key, raw_key = make_key(sales_rep, "read", "write")
    secret = raw_key.partition(".")[2]

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiKey._meta.db_table} WHERE prefix = %s", [key.prefix])
        row = cursor.fetchone()

    assert raw_key.startswith(key.prefix + ".") and len(secret) >= 32
    assert [value for value in row if secret in str(value) or raw_key in str(value)] == []
    assert ApiKey.objects.get(pk=key.pk).is_valid(raw_key)  # the hash still recognises it


def test_a_key_acts_as_its_user_and_sees_what_they_see(sales_rep, other_rep, customer_contact):
    mine = make_request(sales_rep, customer_contact)
    theirs = make_request(other_rep, customer_contact)
    _, sallys_key = make_key(sales_rep)

    listed = key_client(sallys_key).get("/api/requests/")

    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [mine.pk]
    assert key_client(sallys_key).get(f"/api/requests/{theirs.pk}/").status_code == 404


def test_a_key_of_a_user_without_the_role_is_refused_like_the_user(marketer, references):
    _, raw_key = make_key(marketer)
    assert key_client(raw_key).get("/api/references/").status_code == 403


def test_a_revoked_key_is_refused_at_once(sales_rep):
    key, raw_key = make_key(sales_rep)
    client = key_client(raw_key)
    assert client.get("/api/tasks/").status_code == 200

    api_key_revoke(key=key)
    response = client.get("/api/tasks/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Api-Key")
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None


def test_an_expired_key_is_refused(sales_rep):
    key, raw_key = make_key(sales_rep, expires_at=timezone.now() + timedelta(days=1))
    ApiKey.objects.filter(pk=key.pk).update(expiry_date=timezone.now() - timedelta(seconds=1))

    assert key_client(raw_key).get("/api/tasks/").status_code == 401


@pytest.mark.parametrize("sent", ["", "nonsense", "AbCdEfGh.notthesecret", "Api-Key"])
def test_an_unknown_key_is_refused(sales_rep, sent):
    key, raw_key = make_key(sales_rep)
    response = key_client(sent or raw_key[:-1]).get("/api/tasks/")
    assert response.status_code == 401
    assert set(response.json()["error"]) >= {"code", "message", "fields"}


def test_a_key_of_a_deactivated_user_is_refused(sales_rep):
    _, raw_key = make_key(sales_rep)
    sales_rep.is_active = False
    sales_rep.save(update_fields=["is_active"])
    assert key_client(raw_key).get("/api/tasks/").status_code == 401


def test_a_read_key_cannot_write_and_a_write_key_cannot_read(sales_rep, deal, references):
    _, read_key = make_key(sales_rep, "read")
    _, write_key = make_key(sales_rep, "write")
    payload = {"opportunity": deal.pk, "activity_type": "reference_call", "contacts": [references["full"].pk]}

    posted = key_client(read_key).post("/api/requests/", payload, content_type="application/json")
    read = key_client(write_key).get("/api/requests/")

    assert posted.status_code == 403
    assert "“write” scope" in posted.json()["error"]["message"]
    assert read.status_code == 403
    assert "“read” scope" in read.json()["error"]["message"]
    empty = key_client(write_key).post("/api/requests/", {}, content_type="application/json")
    assert empty.status_code == 400  # let in: the body is what is wrong


class _CrmOnly(APIView):
    """A view naming its own scope, as the CRM's upserts do."""

    permission_classes = [SignedIn]
    key_scope = "crm_sync"

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})


def test_a_view_naming_a_scope_needs_that_scope_whatever_the_method(manager):
    factory = RequestFactory()
    _, everything_else = make_key(manager, "read", "write")
    _, crm_key = make_key(manager, "crm_sync")

    def call(method: str, raw_key: str):
        request = getattr(factory, method)("/x/", HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
        return _CrmOnly.as_view()(request)

    assert call("get", everything_else).status_code == 403
    assert "“crm_sync” scope" in call("post", everything_else).data["error"]["message"]
    assert call("get", crm_key).status_code == 200
    assert call("post", crm_key).status_code == 200


def test_scope_needed_reads_the_method_unless_the_view_names_one():
    factory = RequestFactory()
    plain = APIView()
    assert scope_needed(factory.get("/"), plain) == "read"
    assert scope_needed(factory.head("/"), plain) == "read"
    assert scope_needed(factory.post("/"), plain) == "write"
    assert scope_needed(factory.delete("/"), plain) == "write"
    assert scope_needed(factory.get("/"), _CrmOnly()) == "crm_sync"


def test_a_session_is_not_limited_by_scopes(client, sales_rep):
    client.force_login(sales_rep)
    assert client.get("/api/tasks/").status_code == 200


def test_only_managers_may_hold_a_crm_sync_key(sales_rep, manager):
    with pytest.raises(InvalidInput) as refused:
        make_key(sales_rep, "crm_sync")
    assert refused.value.field == "scopes"
    assert make_key(manager, "crm_sync")[0].scopes == ["crm_sync"]
    assert not ApiKey.objects.filter(user=sales_rep).exists()


def test_a_key_lives_at_most_two_years(sales_rep):
    with pytest.raises(InvalidInput):
        make_key(sales_rep, expires_at=timezone.now() + timedelta(days=800))
    with pytest.raises(InvalidInput):
        make_key(sales_rep, expires_at=timezone.now() - timedelta(days=1))


def test_last_use_is_recorded_at_most_once_a_minute(sales_rep):
    key, raw_key = make_key(sales_rep)
    assert key.last_used_at is None

    key_client(raw_key).get("/api/tasks/")
    first = ApiKey.objects.get(pk=key.pk).last_used_at
    key_client(raw_key).get("/api/tasks/")

    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    assert ApiKey.objects.get(pk=key.pk).last_used_at == first
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - LAST_USED_RESOLUTION)
    key_client(raw_key).get("/api/tasks/")
    assert ApiKey.objects.get(pk=key.pk).last_used_at > first


def _api_views():
    for route in routes():
        view = route.view_class
        if route.route.startswith("api/") and view is not None:
            yield route.key, view


def test_every_api_route_checks_the_keys_scopes_and_is_throttled():
    """A new endpoint cannot skip the scope check or the throttles: its permissions derive from
    SignedIn (which checks a key's scopes), and it keeps the default throttles."""
    views = dict(_api_views())
    assert {"api-root", "api-docs", "api-schema", "api-requests"} <= views.keys()
    for key, view in views.items():
        permissions = view.permission_classes
        assert permissions, key
        assert all(issubclass(permission, SignedIn) for permission in permissions), key
        assert {KeyRateThrottle, UserRateThrottle} <= set(view.throttle_classes), key
