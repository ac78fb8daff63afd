"""Personas shared by every test: who is signed in decides what they may see."""

import pytest

from core.roles import Role
from tests.builders import catalogue as factories


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


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests run wherever DATABASE_URL points at PostgreSQL (always in CI)."""
    from django.conf import settings

    if settings.IS_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
