"""Finding 6 of issue 12 in the API: values that used to be a 500 are a 400 naming the field (or
a 404 "Invalid cursor" for a page position the client made up)."""

import base64
import json

import pytest

from api.parsers import MAX_DEPTH, json_too_deep
from tests.builders.requests import drive_to


def cursor(position: str) -> str:
    """A page cursor as DRF encodes it, around a position a client made up."""
    return base64.b64encode(f"p={position}".encode()).decode()


def test_a_unicode_digit_as_the_search_limit_is_a_400_naming_it(rep_client, references):
    # "²".isdigit() is True and int("²") raises: the limit used to be parsed with both.
    response = rep_client.get("/api/references/", {"limit": "²"})
    assert response.status_code == 400
    assert "limit" in response.json()["error"]["fields"]


def test_a_limit_out_of_range_is_a_400_and_an_ordinary_one_pages(rep_client, references):
    assert rep_client.get("/api/references/", {"limit": "1000"}).status_code == 400
    assert len(rep_client.get("/api/references/", {"limit": "2"}).json()["results"]) == 2


@pytest.mark.parametrize("position", ["abc", "9999-99-99", "\x00", "2026-13-01", "0001-01-01 00:00:00"])
@pytest.mark.parametrize("url", ["/api/requests/", "/api/tasks/"])
def test_a_forged_page_cursor_is_404_invalid_cursor(client, sales_rep, ref_request, url, position):
    client.force_login(sales_rep)
    response = client.get(url, {"cursor": cursor(position)})
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "Invalid cursor", "fields": {}}


def test_the_next_page_cursor_the_api_gives_still_works(client, sales_rep, ref_request):
    client.force_login(sales_rep)
    response = client.get("/api/requests/", {"cursor": cursor(ref_request.needed_by.isoformat())})
    assert response.status_code == 200


def test_json_nested_100000_deep_is_a_400(rep_client):
    body = "[" * 100_000 + "]" * 100_000
    response = rep_client.post("/api/requests/", body, content_type="application/json")
    assert response.status_code == 400
    assert f"deeper than {MAX_DEPTH}" in response.json()["error"]["message"]


def test_the_depth_counts_brackets_outside_strings_only():
    assert not json_too_deep(json.dumps({"notes": "[" * 1000, "contacts": [1, 2]}).encode())
    assert not json_too_deep(json.dumps({"a": '\\"[[[['}).encode())
    assert json_too_deep(("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).encode())
    assert not json_too_deep(("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode())


def test_a_number_too_long_for_python_is_a_400(rep_client):
    body = '{"opportunity": 1' + "0" * 5000 + "}"
    assert rep_client.post("/api/requests/", body, content_type="application/json").status_code == 400


def _post_json(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def test_scheduling_in_the_year_9999_is_a_400_naming_the_time(client, manager, ref_request, customer_contact):
    # It used to reach workflows/calendar.py, whose business-hours count overflowed (a 500).
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    client.force_login(manager)
    data = {"action": "schedule", "scheduled_for": "9999-12-31T23:59:59Z"}
    response = _post_json(client, f"/api/requests/{ref_request.pk}/transitions/", data)
    assert response.status_code == 400
    assert "scheduled_for" in response.json()["error"]["fields"]


def test_a_needed_by_date_in_year_1_is_a_400_naming_it(rep_client, deal, references):
    data = {"opportunity": deal.pk, "activity_type": "reference_call", "needed_by": "0001-01-01"}
    data["contacts"] = [references["full"].pk]
    response = _post_json(rep_client, "/api/requests/", data)
    assert response.status_code == 400
    assert "needed_by" in response.json()["error"]["fields"]


def test_nul_in_text_is_a_400_naming_the_field(client, manager, ref_request):
    client.force_login(manager)
    data = {"action": "decline", "note": "a\x00b"}
    response = _post_json(client, f"/api/requests/{ref_request.pk}/transitions/", data)
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
