"""`manage.py seed_demo` at small scale: consistent data, repeatable by seed, bulk writes only, and
harmless on a database that already has accounts."""

import hashlib
import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.demo_pipeline import DemoContext
from core.roles import Role
from references import demo
from references.management.commands.seed_demo import create_demo_users
from references.models import (
    Account,
    AccountNote,
    ConsentEntry,
    ConsentMethod,
    ConsentSubject,
    Contact,
    CurrencyRate,
    Opportunity,
    ParticipationPreferences,
    ReferenceActivity,
)
from requests_app.models import OfferedSlot, ReferenceRequest, RequestEvent
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db

ACCOUNTS = 30


def seed_demo(accounts: int = ACCOUNTS, seed: int = 42, **options) -> str:
    out = StringIO()
    call_command("seed_demo", accounts=accounts, seed=seed, stdout=out, **options)
    return out.getvalue()


def fingerprint() -> str:
    """A digest of the names, amounts and dates the demo generated (not of ids or timestamps)."""
    parts = [
        list(
            Account.objects.order_by("id").values_list(
                "name", "status", "country__code", "nps", "owner__username"
            )
        ),
        list(Contact.objects.order_by("id").values_list("first_name", "last_name", "email", "title")),
        list(
            Opportunity.objects.order_by("id").values_list("prospect_name", "amount", "close_date", "outcome")
        ),
        list(
            ReferenceActivity.objects.order_by("id").values_list(
                "contact__email", "occurred_on", "activity_type__code"
            )
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def seeded_fingerprint(seed: int) -> str:
    """Seed inside a transaction of its own, fingerprint, and roll it back."""
    with transaction.atomic():
        seed_demo(seed=seed)
        digest = fingerprint()
        transaction.set_rollback(True)
    return digest


def test_demo_users_sign_in_with_demo_and_have_their_roles():
    output = seed_demo()

    expected = {
        "manager": Role.MANAGER,
        "sales": Role.SALES,
        "sales2": Role.SALES,
        "marketing": Role.MARKETING,
    }
    for username, role in expected.items():
        user = authenticate(RequestFactory().post("/login/"), username=username, password="demo")
        assert user is not None, username
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
        assert user.first_name and user.last_name and "@" in user.email
        assert username in output
    admin = authenticate(RequestFactory().post("/login/"), username="admin", password="demo")
    assert admin is not None and admin.is_superuser and admin.is_staff


def test_only_the_administrator_and_the_manager_are_admin_staff():
    seed_demo(accounts=20)

    staff = set(User.objects.filter(is_staff=True).values_list("username", flat=True))

    assert staff == {"admin", "manager"}  # the demo reps, sales and marketing work in their portals


def test_accounts_are_owned_by_the_demo_sellers_and_generated_reps():
    seed_demo(accounts=200)

    owners = dict(Account.objects.values_list("owner__username").annotate(n=Count("id")))
    assert owners.get("sales", 0) >= 5 and owners.get("sales2", 0) >= 3
    reps = User.objects.filter(groups__name=Role.SALES.value).exclude(username__in=["sales", "sales2"])
    assert reps.count() >= 15
    assert set(owners) <= {"sales", "sales2", *reps.values_list("username", flat=True)}
    stewards = Account.objects.annotate(n=Count("stewards")).values_list("n", flat=True)
    assert max(stewards) <= 2 and min(stewards) == 0
    assert not Account.objects.filter(stewards=F("owner")).exists()


def test_catalogue_is_consistent():
    seed_demo()

    assert Account.objects.count() == ACCOUNTS
    contacts = Contact.objects.count()
    assert ACCOUNTS * 2 <= contacts <= ACCOUNTS * 4
    assert ParticipationPreferences.objects.count() == contacts  # every contact has preferences
    assert not Contact.objects.filter(preferences__isnull=True).exists()
    duplicates = (
        Contact.objects.values("account", lower=Lower("email")).annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not duplicates.exists()
    assert not Account.objects.annotate(n=Count("products")).filter(Q(n__lt=1) | Q(n__gt=4)).exists()
    opted_out = ParticipationPreferences.objects.filter(opted_out=True)
    assert opted_out.exists()
    assert not opted_out.filter(opted_out_at__isnull=True).exists()
    connection.check_constraints()  # every foreign key points at a row
    # Every deal's size can be compared in dollars (the inbox's deal-size order).
    foreign = set(Opportunity.objects.exclude(currency="USD").values_list("currency", flat=True))
    assert foreign and foreign <= set(CurrencyRate.objects.values_list("currency", flat=True))
    # Mirrored from the CRM: every account, contact and deal has the CRM's id, so a CRM sync
    # (PUT /api/crm/...) updates the demo's rows instead of adding new ones.
    for model in (Account, Contact, Opportunity):
        assert not model.objects.filter(external_id__isnull=True).exists(), model


def test_the_consent_ledger_says_what_the_preferences_say():
    seed_demo()

    given = ConsentEntry.objects.filter(subject=ConsentSubject.PROGRAM, given=True)
    consented = ParticipationPreferences.objects.filter(consent_given_at__isnull=False)
    assert set(given.values_list("contact", flat=True)) == set(consented.values_list("contact", flat=True))
    withdrawn = ConsentEntry.objects.filter(subject=ConsentSubject.PROGRAM, given=False)
    opted_out = ParticipationPreferences.objects.filter(opted_out=True)
    assert set(withdrawn.values_list("contact", flat=True)) == set(
        opted_out.values_list("contact", flat=True)
    )
    willing = ConsentEntry.objects.filter(subject=ConsentSubject.ACTIVITY_TYPE, given=True)
    through = ParticipationPreferences.activity_types.through.objects.filter(
        participationpreferences__consent_given_at__isnull=False
    )
    assert willing.count() == through.count()
    assert set(ConsentEntry.objects.values_list("method", flat=True)) == {ConsentMethod.IMPORT}


def test_activities_belong_to_their_contacts_account_and_serve_deals():
    seed_demo()

    activities = ReferenceActivity.objects.all()
    # Plus the insights story's three over-used customers, weekly for a year (references/demo_story.py).
    assert ACCOUNTS * 5 <= activities.count() <= ACCOUNTS * 15 + 3 * 52
    assert not activities.exclude(account=F("contact__account")).exists()
    deals_per_activity = set(activities.annotate(n=Count("opportunities")).values_list("n", flat=True))
    # None where the insights story took a closed deal's references away (insights/demo_story.py).
    assert deals_per_activity <= {0, 1, 2} and 1 in deals_per_activity
    assert not activities.filter(contact__status="candidate").exists()
    # Consent came before a contact's first activity, an opt-out after the last one.
    prefs = "contact__preferences__"
    assert not activities.filter(**{f"{prefs}consent_given_at__isnull": True}).exists()
    assert not activities.filter(occurred_on__lte=F(f"{prefs}consent_given_at__date")).exists()
    assert not activities.filter(
        **{f"{prefs}opted_out": True}, occurred_on__gt=F(f"{prefs}opted_out_at__date")
    ).exists()


def test_activities_span_the_past_two_years():
    seed_demo()

    days = sorted(ReferenceActivity.objects.values_list("occurred_on", flat=True))
    today = date.today()
    assert today - timedelta(days=730) <= days[0] <= today - timedelta(days=600)
    assert today - timedelta(days=60) <= days[-1] < today


def test_program_has_defected_and_at_risk_accounts():
    seed_demo()

    defected = Account.objects.filter(status="defected")
    assert defected.exists()
    assert defected.filter(notes__kind=AccountNote.Kind.WHY_LEFT).count() == defected.count()
    assert not defected.filter(contacts__status__in=["active", "resting"]).exists()
    assert Account.objects.filter(Q(status="at_risk") | Q(at_risk=True)).exists()
    assert Account.objects.filter(status="active").count() > ACCOUNTS / 2
    assert Opportunity.objects.filter(outcome="won").exists()
    assert Opportunity.objects.filter(outcome="lost").exists()
    assert Opportunity.objects.filter(outcome="open").exists()


def test_same_seed_gives_the_same_program():
    first = seeded_fingerprint(seed=7)
    again = seeded_fingerprint(seed=7)
    other = seeded_fingerprint(seed=8)

    assert first == again
    assert other != first


def test_if_empty_leaves_a_database_with_accounts_alone():
    factories.make_account(factories.make_user("owner"))
    users, contacts = User.objects.count(), Contact.objects.count()

    output = seed_demo(if_empty=True)

    assert "not seeding" in output
    assert Account.objects.count() == 1
    assert (User.objects.count(), Contact.objects.count()) == (users, contacts)
    assert not User.objects.filter(username="admin").exists()


def test_refuses_to_seed_twice():
    seed_demo(accounts=5)

    with pytest.raises(CommandError, match="already has 5 accounts"):
        seed_demo(accounts=5)
    assert User.objects.filter(username="sales").count() == 1


def test_writes_in_bulk_whatever_the_number_of_accounts():
    def queries_for(accounts: int) -> int:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            ctx = DemoContext(rng=random.Random(1), accounts=accounts, today=date.today(), stdout=StringIO())
            ctx.users = create_demo_users()
            demo.seed(ctx)
            assert len(ctx.shared["demo_account_ids"]) == accounts
            assert Account.objects.filter(id__in=ctx.shared["demo_account_ids"]).count() == accounts
            transaction.set_rollback(True)
        return len(queries)

    # At these sizes every table gets rows and fits in one batch, so the counts are equal;
    # writing row by row would cost thousands of queries more.
    assert queries_for(40) == queries_for(120)


def test_demo_customers_have_open_asks_with_codes_and_offered_times():
    seed_demo()
    asked = ReferenceRequest.objects.filter(status="customer_asked", verification_code__isnull=False)
    assert asked.count() >= 2
    assert OfferedSlot.objects.filter(request__in=asked).count() == 3
    assert RequestEvent.objects.filter(action="accept_ask", actor_contact__isnull=False).exists()
