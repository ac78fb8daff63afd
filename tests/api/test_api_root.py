"""The API's front door: /api/ lists every resource (walked from the URL patterns, so a new
route appears by itself), /api/docs/ shows Swagger UI from our own static files, the version is
asked in the Accept header, and a wrong address or a bug under /api/ answers in the API's body."""

import pytest
from django.test import Client
from django.urls import reverse

from api import urls as api_urls
from api.views.root import NOT_RESOURCES, api_routes
from tests.api.keys_fixtures import key_client, make_key

pytestmark = pytest.mark.django_db


def test_the_root_lists_every_resource_with_its_absolute_url(client, marketer):
    client.force_login(marketer)

    body = client.get("/api/").json()

    resources = body["resources"]
    assert resources["requests"] == "http://testserver/api/requests/"
    assert resources["request"] == "http://testserver/api/requests/{pk}/"
    assert resources["request-transitions"] == "http://testserver/api/requests/{pk}/transitions/"
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["version"] == "1"
    assert "root" not in resources and "docs" not in resources


def test_the_root_names_every_named_api_route():
    """Routes other modules add (api/urls_*.py) appear without editing the root."""
    named = {name for name, _ in api_routes(api_urls.urlpatterns)}
    expected = {
        pattern.name
        for pattern in _all_patterns(api_urls.urlpatterns)
        if pattern.name and pattern.name not in NOT_RESOURCES
    }
    assert named == expected and "api-tasks" in named


def _all_patterns(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _all_patterns(pattern.url_patterns)
        else:
            yield pattern


def test_the_root_answers_a_key_and_refuses_the_anonymous(client, sales_rep):
    _, raw_key = make_key(sales_rep)
    assert key_client(raw_key).get("/api/").status_code == 200

    anonymous = client.get("/api/")

    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"


def test_the_version_is_asked_in_the_accept_header(client, sales_rep):
    client.force_login(sales_rep)

    one = client.get("/api/tasks/", headers={"Accept": "application/json; version=1"})
    unknown = client.get("/api/tasks/", headers={"Accept": "application/json; version=2"})

    assert one.status_code == 200
    assert unknown.status_code == 406
    assert unknown.json()["error"]["code"] == "not_acceptable"
    assert "version" in unknown.json()["error"]["message"].lower()
    assert client.get("/api/").json()["version"] == "1"  # none asked: version 1


def test_the_docs_are_swagger_ui_served_from_our_static_files(client, sales_rep):
    client.force_login(sales_rep)

    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert 'src="/api/docs/?script="' in html
    assert "<style" not in html and "<script>" not in html  # nothing inline for the CSP to refuse
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert reverse("api-schema") in script.content.decode()


def test_the_docs_send_a_signed_out_person_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/docs/"


def test_an_address_under_the_api_that_names_nothing_is_a_json_404(client, sales_rep):
    for who in (None, sales_rep):
        if who:
            client.force_login(who)
        response = client.get("/api/nothing-here/")
        assert response.status_code == 404
        assert response.json() == {
            "error": {"code": "not_found", "message": "No endpoint at this address.", "fields": {}}
        }


def test_an_address_elsewhere_keeps_the_404_page(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.urls("tests.api.boom_urls")
def test_a_bug_under_the_api_is_a_json_500_and_a_page_elsewhere():
    client = Client(raise_request_exception=False)

    api = client.get("/api/boom/")
    page = client.get("/boom/")

    assert api.status_code == 500
    assert api.json()["error"]["code"] == "server_error"
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
