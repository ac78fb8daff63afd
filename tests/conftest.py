"""Personas shared by every test: who is signed in decides what they may see. Then what tests of
several apps and front ends start from: a request just submitted, the rep's deal, a small indexed
catalogue of references, and the program the query-count tests measure pages and endpoints on."""

import copy
import shutil
import uuid

import pytest
from django.utils import timezone

from core.roles import Role
from tests.builders import catalogue as factories
from tests.builders.requests import make_program, make_request
from tests.builders.search import index, make_reference, product
from tests.notifications.faults import RedisServer


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Each test gets its own cache key prefix: rate-limit counters (core.throttle) never carry over
    from another test, another xdist worker or an earlier run against the same Redis."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = uuid.uuid4().hex
    settings.CACHES = caches


@pytest.fixture
def private_redis(tmp_path):
    """A running Redis of this test's own, stopped after the test whatever state it was left in."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (installed with Redis; CI machines have it)")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def cache_redis(private_redis, settings):
    """Django's cache on a Redis of this test's own, with production's socket timeouts: stop or
    freeze it for a cache outage. Changing CACHES makes Django drop the cache connections it
    holds (its setting_changed receiver), so the next cache call connects here."""
    wait = settings.CACHE_SOCKET_TIMEOUT
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": wait, "socket_timeout": wait},
        }
    }
    return private_redis


@pytest.fixture
def portal_client(db, settings):
    """`portal_client(contact)`: a test client signed in to the customer portal as `contact` (its
    own portal session, as a magic link would start it); no staff user is signed in."""

    def signed_in(contact):
        from django.test import Client

        from customers.sessions import portal_session_start

        client = Client()
        _session, raw_key = portal_session_start(contact=contact)
        client.cookies[settings.PORTAL_COOKIE] = raw_key
        return client

    return signed_in


@pytest.fixture
def sales_rep(db):
    return factories.make_user("sally", Role.SALES, first_name="Sally", last_name="Seller")


@pytest.fixture
def other_rep(db):
    return factories.make_user("oscar", Role.SALES, first_name="Oscar", last_name="Other")


@pytest.fixture
def account_owner(db):
    """A sales rep who owns customer accounts and approves their use."""
    return factories.make_user("olivia", Role.SALES, first_name="Olivia", last_name="Owner")


@pytest.fixture
def manager(db):
    return factories.make_user("maria", Role.MANAGER, first_name="Maria", last_name="Manager")


@pytest.fixture
def marketer(db):
    return factories.make_user("mark", Role.MARKETING, first_name="Mark", last_name="Marketer")


@pytest.fixture
def second_manager(db):
    return factories.make_user("mo", Role.MANAGER, first_name="Mo", last_name="Second")


@pytest.fixture
def admin_user(db):
    return factories.make_user("root", is_superuser=True)


@pytest.fixture
def outsider(db):
    """Signed in, staff flag off, no role: must see nothing."""
    return factories.make_user("nobody", is_staff=False)


@pytest.fixture
def customer_account(account_owner):
    return factories.make_account(account_owner, name="Globex Bank")


@pytest.fixture
def customer_contact(customer_account):
    return factories.make_contact(customer_account, first_name="Grace", last_name="Globex")


@pytest.fixture
def ref_request(sales_rep, customer_contact):
    """A reference-call request by the sales rep naming the account owner's contact, just submitted."""
    return make_request(sales_rep, customer_contact)


@pytest.fixture
def deal(sales_rep):
    """Sally's open deal: a US bank buying Analytics Cloud."""
    return factories.make_opportunity(
        sales_rep, prospect_name="Prospect Bank", products=[product("Analytics Cloud")]
    )


@pytest.fixture
def references(account_owner):
    """Four offerable references (Olivia's accounts), indexed; and one that opted out."""
    made = {
        "full": make_reference(
            account_owner, name="Acme Savings", products=("Analytics Cloud",), story="Fraud detection story."
        ),
        "industry": make_reference(account_owner, name="Brightline Insurance", products=("Secure Edge",)),
        "product": make_reference(
            account_owner, name="Cobalt Manufacturing", industry="31", products=("Analytics Cloud",)
        ),
        "none": make_reference(account_owner, name="Delta Foods", industry="31", country="DE"),
    }
    made["opted_out"] = make_reference(
        account_owner, name="Echo Opted Out", prefs={"opted_out": True, "opted_out_at": timezone.now()}
    )
    index()
    return made


@pytest.fixture
def rep_client(client, sales_rep):
    client.force_login(sales_rep)
    return client


@pytest.fixture(params=[3, 25], ids=["few", "many"])
def program(request, sales_rep, other_rep, manager, account_owner):
    """The query-count tests' program, with few and with many requests in review."""
    return make_program(request.param, sales_rep, other_rep, manager, account_owner)


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests run wherever DATABASE_URL points at PostgreSQL (always in CI)."""
    from django.conf import settings

    if settings.IS_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
