"""A contact whose personal data is everywhere RMS keeps text: the erasure and export tests' world.

The marker is the contact's own name, email and phone; `plant` writes them into every column the
erasure plan names, in the rows tied to the contact, so a column added to the plan is planted too.
"""

from datetime import date, timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.utils import timezone

from customers.erasure.plan import CLEARS, MENTIONS, Scope
from customers.erasure.terms import Terms
from customers.models import CustomerFeedback, GiveBack
from customers.statuses import GiveBackKind
from limits.models import LimitOverride, LimitRule
from marketing.models import AccountPermission, Asset, AssetEvent, AssetUse, PermissionChange
from marketing.statuses import AssetKind, AssetStatus, PermissionKind, PermissionState
from notifications.models import Notification
from references.models import AccountNote, BlackoutPeriod, Contact, ReferenceStatus
from references.services.status import account_change_status, contact_change_status
from requests_app.models import Nomination, RequestFeedback
from requests_app.statuses import RequestStatus
from tests.builders import catalogue
from tests.builders.requests import drive_to, make_request
from workflows.models import Event, PlannedEvent, RequestActivity

FIRST, LAST = "Zorblax", "Quintavian"
EMAIL = "zorblax.quintavian@customer.test"
PHONE = "+49 5550 123 777"
MARKERS = ("zorblax", "quintavian", "5550 123 777")
MENTION = f"{FIRST} said so; {FIRST} {LAST} <{EMAIL}>, {PHONE}. "


def build(*, manager, sales_rep, account_owner) -> dict:
    """The contact, a completed request and an open one for them, and the rows naming them."""
    account = catalogue.make_account(account_owner, name="Marker Industries")
    contact = catalogue.make_contact(
        account, first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE, title=f"Chief {FIRST} Officer"
    )
    other = catalogue.make_contact(account, first_name="Ann", last_name="Other")
    done = drive_to(make_request(sales_rep, contact), RequestStatus.CLOSED, contact, manager)
    asked = make_request(sales_rep, contact)  # proposed, not yet decided
    CustomerFeedback.objects.create(request=done, contact=contact, rating=5, comment="Good call.")
    RequestFeedback.objects.get_or_create(
        request=done, defaults={"took_place": True, "submitted_by": sales_rep}
    )
    activity = RequestActivity.objects.filter(request=done).select_related("activity").first().activity
    event = Event.objects.create(
        title="Group call", activity_type=activity.activity_type, occurred_on=activity.occurred_on
    )
    event.speakers.add(contact)
    planned = PlannedEvent.objects.create(
        title="Planned round table",
        activity_type=activity.activity_type,
        starts_at=timezone.now() + timedelta(days=20),
        capacity=5,
    )
    planned.speakers.add(contact)
    BlackoutPeriod.objects.create(contact=contact, start=date.today(), end=date.today() + timedelta(days=3))
    contact_change_status(contact=contact, to_status=ReferenceStatus.RESTING, reason="a pause", actor=manager)
    AccountNote.objects.create(account=account, body="Interview.", author=manager)
    Nomination.objects.create(
        nominated_by=sales_rep, account=account, contact=contact, contact_name="x", reason="Great fan."
    )
    # They volunteered on the public page, and a manager matched them to their contact row.
    Nomination.objects.create(
        source=Nomination.Source.PUBLIC,
        account=account,
        contact=contact,
        contact_name="x",
        contact_email=contact.email,
        company_name="Their company",
        reason="I would speak at a webinar.",
    )
    LimitRule.objects.create(contact=contact, contact_max=2, reason="Asked for fewer.")
    LimitOverride.objects.create(
        contact=contact,
        activity_type=activity.activity_type,
        request=done,
        limit="contact",
        refusal="-",
        reason="-",
    )
    Notification.objects.create(
        key="test:1",
        kind="customer_asked",
        channel="email",
        contact=contact,
        email=EMAIL,
        title="t",
        request=asked,
    )
    LogEntry.objects.create(
        user=manager,
        content_type=ContentType.objects.get_for_model(Contact),
        object_id=str(contact.pk),
        object_repr=str(contact),
        action_flag=CHANGE,
        change_message="Changed phone.",
    )
    quote = Asset.objects.create(
        title="A quote", kind=AssetKind.QUOTE, quote_text="-", status=AssetStatus.PUBLISHED, owner=manager
    )
    quote.contacts.add(contact)
    quote.accounts.add(account)
    AssetEvent.objects.create(asset=quote, actor=manager, action="publish", note="-")
    AssetUse.objects.create(asset=quote, used_by=sales_rep, campaign="Launch", note="-")
    AccountPermission.objects.create(
        account=account, kind=PermissionKind.QUOTE, state=PermissionState.GRANTED, source_note="-"
    )
    PermissionChange.objects.create(
        account=account,
        kind=PermissionKind.QUOTE,
        from_state=PermissionState.UNKNOWN,
        to_state=PermissionState.GRANTED,
    )
    GiveBack.objects.create(
        contact=contact,
        kind=GiveBackKind.BETA_SEAT,
        given_on=date.today(),
        note="-",
        message="-",
        request=done,
    )
    account_change_status(account=account, to_status=ReferenceStatus.RESTING, reason="a pause", actor=manager)
    return {"contact": contact, "other": other, "account": account, "done": done, "asked": asked}


def plant(contact: Contact) -> None:
    """Write the marker into every column the plan names, in the rows tied to `contact`: their own
    rows (`CLEARS`) and the texts near them (`MENTIONS`). Fails for a planned table the scenario
    left empty, so the scenario grows with the plan."""
    for clear in CLEARS:
        rows = clear.queryset(contact)
        assert rows.exists(), f"Build a {clear.model.__name__} of the contact in tests/customers/scenario.py"
        if clear.model is Contact:
            continue  # their name, email and phone are the markers already
        texts = [f for f in clear.values(Terms.example()) if _is_text(clear.model, f)]
        rows.update(**{f: _with_marker(clear.model, f) for f in texts})
    scope = Scope(contact_id=contact.pk, account_id=contact.account_id)
    for target in MENTIONS:
        near, params = target.near(scope)
        table = connection.ops.quote_name(target.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT t.id FROM {table} t WHERE {near}", params)
            ids = [row[0] for row in cursor.fetchall()]
        assert ids, f"Build a {target.model.__name__} tied to the contact in tests/customers/scenario.py"
        target.model._default_manager.filter(pk__in=ids).update(
            **{column: _with_marker(target.model, column) for column in target.columns}
        )


def _is_text(model, name: str) -> bool:
    field = model._meta.get_field(name)
    return field.get_internal_type() in ("CharField", "TextField") and not field.choices


def _with_marker(model, name: str):
    field = model._meta.get_field(name)
    text = Concat(Value(MENTION), F(name), output_field=field)
    return Left(text, field.max_length) if field.max_length else text


def leftovers() -> list[tuple[str, str, int]]:
    """Every text or JSON column of every table that still holds a marker: (table, column, rows)."""
    found = []
    introspection = connection.introspection
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            for column in introspection.get_table_description(cursor, table):
                try:
                    kind = introspection.get_field_type(column.type_code, column)
                except KeyError:  # arrays, binary: no free text of ours
                    continue
                if kind not in ("CharField", "TextField", "JSONField"):
                    continue
                name = f"{connection.ops.quote_name(table)}.{connection.ops.quote_name(column.name)}"
                if kind == "JSONField":  # a payload's strings are text too
                    name = f"CAST({name} AS TEXT)"
                tests = " OR ".join(f"LOWER({name}) LIKE %s" for _ in MARKERS)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {tests}",
                    [f"%{m}%" for m in MARKERS],
                )
                count = cursor.fetchone()[0]
                if count:
                    found.append((table, column.name, count))
    return found
