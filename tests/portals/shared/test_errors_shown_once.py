"""Every form of the staff portals tells each error once: next to its field, or (for the form
as a whole) in one banner — never both.

The forms are the access matrix's rows whose POST answers a form's errors (`FORM`) to a staff
role, so a new form is tried here too; each is posted empty and then with junk in every field
its page shows. The search page's filters (GET) are tried with junk as well.
"""

import html
import re

import pytest
from django.urls import reverse

from tests.security.test_access_matrix import FORM, ROWS
from tests.security.world import world_scope

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("security-world")]

PORTALS = ("sales", "manage", "tasks", "content", "notifications")
STAFF = ("sales", "owner", "manager", "marketing")
# A banner over the form (the page's messages, a form's own errors) and an error by its field.
BANNER = re.compile(r"<(\w+)\b[^>]*\bclass=\"(?:message error|form-errors)\"[^>]*>(.*?)</\1>", re.S)
FIELD_ERROR = re.compile(r"<p class=\"error\"[^>]*>(.*?)</p>", re.S)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")
# Fields a page fills itself (the form's token, the status it was shown in, the button's action).
PLUMBING = {"csrfmiddlewaretoken", "expected_status", "action"}
JUNK = "§" + "z" * 5000


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from world_scope(django_db_blocker)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def repeated_errors(page: str) -> list[str]:
    """The errors on `page` that a banner says and a field says too."""
    by_fields = [_text(error) for error in FIELD_ERROR.findall(page)]
    banners = [_text(part) for _, inner in BANNER.findall(page) for part in re.split(r"</p>|</li>", inner)]
    return [said for said in banners if said and any(error in said or said in error for error in by_fields)]


def _forms():
    for key, row in ROWS.items():
        if key.split(":")[0] not in PORTALS or "POST" not in row.cells:
            continue
        role = next((role for role in STAFF if row.cells["POST"].get(role) == FORM), None)
        if role:
            yield pytest.param(key, role, id=key)


def test_the_check_sees_an_error_said_twice():
    page = (
        '<main><p class="message error" role="alert">Enter a valid date.</p>'
        '<div class="field"><p class="error" role="alert">Enter a valid date.</p></div></main>'
    )
    assert repeated_errors(page) == ["Enter a valid date."]


@pytest.mark.parametrize(("key", "role"), list(_forms()))
def test_each_form_error_is_shown_once(world, key, role):
    path = ROWS[key].url(key, world)
    client = world.client(role)
    shown = client.get(path).content.decode() if ROWS[key].cells["GET"].get(role) != FORM else ""
    names = {name for name in FIELD_NAME.findall(shown) if name not in PLUMBING and name != "q"}
    for data in ({}, dict.fromkeys(names, JUNK)):
        response = client.post(path, data)
        assert response.status_code in (200, 302, 400, 403, 409), (path, response.status_code)
        if response.status_code != 302:
            assert repeated_errors(response.content.decode()) == [], (path, data.keys())


def test_search_filters_not_understood_are_said_once(world):
    response = world.client("sales").get(
        reverse("sales:search"),
        {"q": "x" * 3000, "opportunity": "junk", "industry": "junk", "activity": "9" * 30},
    )
    assert response.status_code == 200
    assert repeated_errors(response.content.decode()) == []
