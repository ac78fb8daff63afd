"""The OpenAPI schema describes every endpoint without warnings, and is for signed-in users."""

from django.core.management import call_command


def test_openapi_schema_generates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for route in ("/api/references/", "/api/requests/", "/api/requests/{id}/transitions/", "/api/tasks/"):
        assert route in schema


def test_schema_endpoint_needs_sign_in(client, db, sales_rep):
    assert client.get("/api/schema/").status_code == 401
    client.force_login(sales_rep)
    assert client.get("/api/schema/").status_code == 200


def test_schema_is_published(rep_client):
    response = rep_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/references/" in response.content
