"""Plain functions that build valid catalogue rows for tests; keyword arguments override fields."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.utils import timezone

from core.roles import Role
from references.models import (
    Account,
    ActivityType,
    Contact,
    Country,
    Industry,
    Opportunity,
    ParticipationPreferences,
    Persona,
    ReferenceActivity,
    SizeBand,
)

_seq = itertools.count(1)


def make_user(username: str | None = None, *roles: Role, **fields) -> User:
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(
        username=username,
        password="pw",
        email=fields.pop("email", f"{username}@vendor.test"),
        # As in production: only reference managers and administrators are admin staff.
        is_staff=fields.pop("is_staff", Role.MANAGER in roles or fields.get("is_superuser", False)),
        first_name=fields.pop("first_name", username.title()),
        **fields,
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    return user


def industry(code: str = "52") -> Industry:
    return Industry.objects.get(naics_code=code)


def country(code: str = "US") -> Country:
    return Country.objects.get(code=code)


def size_band(order: int = 2) -> SizeBand:
    return SizeBand.objects.order_by("sort_order")[order]


def persona(code: str = "executive") -> Persona:
    return Persona.objects.get(code=code)


def activity_type(code: str = "reference_call") -> ActivityType:
    return ActivityType.objects.get(code=code)


def make_account(owner: User, **fields) -> Account:
    products = fields.pop("products", [])
    defaults = {
        "name": f"Customer {next(_seq)}",
        "industry": industry(),
        "size_band": size_band(),
        "country": country(),
        "status": "active",
        "nps": 9,
        "customer_since": date(2020, 1, 1),
        "annual_contract_value": Decimal("250000"),
    }
    account = Account.objects.create(owner=owner, **{**defaults, **fields})
    if products:
        account.products.set(products)
    return account


def make_contact(account: Account, *, activity_types=("reference_call",), prefs=None, **fields) -> Contact:
    n = next(_seq)
    defaults = {
        "first_name": "Pat",
        "last_name": f"Reference{n}",
        "title": "VP Engineering",
        "persona": persona(),
        "email": f"pat{n}@customer.test",
        "phone": f"+1 555 0100 {n:04d}",
        "status": "active",
    }
    contact = Contact.objects.create(account=account, **{**defaults, **fields})
    preferences = ParticipationPreferences.objects.create(
        contact=contact, consent_given_at=timezone.now(), **(prefs or {})
    )
    preferences.activity_types.set(ActivityType.objects.filter(code__in=activity_types))
    return contact


def make_opportunity(owner: User, **fields) -> Opportunity:
    products = fields.pop("products", [])
    defaults = {
        "prospect_name": f"Prospect {next(_seq)}",
        "industry": industry(),
        "country": country(),
        "size_band": size_band(),
        "amount": Decimal("120000"),
        "close_date": date.today() + timedelta(days=60),
    }
    opportunity = Opportunity.objects.create(owner=owner, **{**defaults, **fields})
    if products:
        opportunity.products.set(products)
    return opportunity


def make_activity(contact: Contact, occurred_on: date, code: str = "reference_call", **fields):
    return ReferenceActivity.objects.create(
        contact=contact,
        account=contact.account,
        activity_type=activity_type(code),
        occurred_on=occurred_on,
        **fields,
    )
