"""A portal session is no staff session, and a staff session is no portal session.

Every staff URL of the access matrix (the admin, the portals, the API, notifications) is asked
with a contact's live portal cookie: the answer is exactly what an anonymous visitor gets (a
sign-in page, 403 or 404), never more. Every customer-portal URL is asked with each staff role's
session and no portal cookie: exactly what an anonymous visitor gets (the portal's sign-in for a
contact's page), so no staff session reads a contact's portal.
"""

import pytest
from django.conf import settings

from customers.sessions import portal_session_start
from tests.security.test_access_matrix import ANON, TABLE, outcome
from tests.security.world import ROLES, routes, world_scope

pytestmark = pytest.mark.xdist_group("security-world")

STAFF_PREFIXES = ("/admin/", "/manage/", "/sales/", "/tasks/", "/content/", "/api/", "/notifications/")
STAFF_KEYS = sorted(key for key in TABLE if not key.startswith("customer:"))
PORTAL_KEYS = sorted(key for key in TABLE if key.startswith("customer:"))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from world_scope(django_db_blocker)


@pytest.fixture
def contact_cookie(world, db) -> str:
    _session, raw_key = portal_session_start(contact=world.contact)
    return raw_key


def _cells(keys):
    for key in keys:
        for method in TABLE[key].cells:
            yield pytest.param(key, method, id=f"{key}-{method}")


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "method"), list(_cells(STAFF_KEYS)))
def test_a_portal_session_opens_no_staff_url(world, contact_cookie, key, method):
    row = TABLE[key]
    path = row.url(key, world)
    client = world.client(ANON)
    client.cookies[settings.PORTAL_COOKIE] = contact_cookie
    got = outcome(client.generic(method, path), path)
    assert got in row.cells[method][ANON], f"{method} {path} with a portal session: {got}"


def test_the_staff_urls_asked_cover_every_staff_prefix():
    asked = {"/" + route.route for route in routes() if route.key in STAFF_KEYS}
    for prefix in STAFF_PREFIXES:
        assert any(path.startswith(prefix) for path in asked), prefix


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != ANON])
@pytest.mark.parametrize(("key", "method"), list(_cells(PORTAL_KEYS)))
def test_a_staff_session_opens_no_contacts_portal(world, role, key, method):
    row = TABLE[key]
    path = row.url(key, world)
    staff, anonymous = world.client(role), world.client(ANON)
    got, anonymous_got = (outcome(c.generic(method, path), path) for c in (staff, anonymous))
    assert got == anonymous_got, f"{method} {path} as {role}: {got}, anonymous: {anonymous_got}"
    if method == "GET" and got == 200:
        assert "Sign out" not in staff.get(path).content.decode()
