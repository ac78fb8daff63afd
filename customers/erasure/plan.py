"""Where a contact's personal data lives, and what erasing it does there: the one list.

- `CLEARS`: rows that are the contact's own (their contact row, preferences, blackouts, the
  history of their status, the nominations naming them, the notifications sent to them): their
  personal fields get neutral values, one UPDATE each. The rows stay (they are counted).
- `MENTIONS`: free texts written about anyone (notes, history, messages, reasons) that may name
  them: their full name, email and phone are replaced wherever they appear; their first or last
  name alone only in the rows tied to them (their account, their requests, their activities),
  where a lone "Anna" means them. Set-based, one UPDATE per table (`customers.erasure.mentions`).
- `DELETES`: rows that exist only for the person (portal links and sessions): deleted.
- `NOT_PERSONAL`: every other text column of every model, with why it cannot hold the contact's
  personal data. `tests/customers/test_erasure_plan.py` fails for a text column in none of these
  lists, so a field added later is classified before it ships.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from customers.erasure.terms import Terms
from customers.models import CustomerFeedback, GiveBack
from limits.models import LimitOverride, LimitRule
from marketing.models import AccountPermission, Asset, AssetEvent, AssetUse, PermissionChange
from marketing.statuses import AssetStatus
from notifications.models import Notification
from notifications.models import Status as NotificationStatus
from references.models import (
    Account,
    AccountNote,
    BlackoutPeriod,
    Contact,
    ParticipationPreferences,
    ReferenceActivity,
    StatusChange,
)
from requests_app.models import Nomination, ReferenceRequest, RequestEvent, RequestFeedback
from workflows.models import Event, PlannedEvent, Task

ERASED_REASON = "Erased at the contact's request."


@dataclass(frozen=True)
class Clear:
    """The contact's own rows of `model` (`rows(contact)`) get `values(terms)`."""

    model: type[Model]
    rows: Callable[[Contact], Q]
    values: Callable[[Terms], dict[str, Any]]

    def queryset(self, contact: Contact) -> QuerySet:
        return self.model._default_manager.filter(self.rows(contact))


@dataclass(frozen=True)
class Mentions:
    """Text `columns` of `model` that may name the contact; `near` is the SQL condition (on the
    table aliased `t`) of the rows tied to them, with its parameters, where a lone first or last
    name counts as a mention too."""

    model: type[Model]
    columns: tuple[str, ...]
    near: Callable[["Scope"], tuple[str, list]]


@dataclass(frozen=True)
class Scope:
    """The contact, and SQL naming the rows tied to them, for `Mentions.near`."""

    contact_id: int
    account_id: int

    def requests(self) -> tuple[str, list]:
        """A subquery: the requests they were proposed or chosen for, or acted on from the portal
        (an ask they declined is no longer theirs: its chosen contact is cleared)."""
        return (
            "(SELECT id FROM requests_app_referencerequest WHERE chosen_contact_id = %s"
            " UNION SELECT request_id FROM requests_app_requestcandidate WHERE contact_id = %s"
            " UNION SELECT request_id FROM requests_app_requestevent WHERE actor_contact_id = %s)",
            [self.contact_id, self.contact_id, self.contact_id],
        )

    def column_is(self, column: str, value: int) -> tuple[str, list]:
        return f"t.{column} = %s", [value]

    def column_in_requests(self, column: str) -> tuple[str, list]:
        sql, params = self.requests()
        return f"t.{column} IN {sql}", params


def either(*parts: tuple[str, list]) -> tuple[str, list]:
    return "(" + " OR ".join(sql for sql, _ in parts) + ")", [p for _, params in parts for p in params]


def _volunteered(contact: Contact) -> Q:
    """Their offers on the public page (made before they were matched to the account, maybe)."""
    return Q(source=Nomination.Source.PUBLIC, contact_email__iexact=contact.email) | Q(
        source=Nomination.Source.PUBLIC, contact=contact
    )


CLEARS: tuple[Clear, ...] = (
    Clear(
        Contact,
        lambda c: Q(pk=c.pk),
        lambda t: {
            "first_name": "Erased",
            "last_name": f"contact #{t.contact_id}",
            "title": "",
            "email": t.placeholder_email,
            "phone": "",
            # The CRM's id would tie the row back to the person; a later CRM sync of them makes
            # a new contact, which the program decides about again.
            "external_id": None,
            "updated_at": timezone.now(),  # the search index re-reads changed contacts
        },
    ),
    Clear(
        ParticipationPreferences,
        lambda c: Q(contact=c),
        lambda t: {"wants_in_return": "", "topics_to_avoid": ""},
    ),
    # Their rating stays (it is counted); what they wrote goes.
    Clear(CustomerFeedback, lambda c: Q(contact=c), lambda t: {"comment": ""}),
    # What the program gave them stays (it is counted against their asks); what was written goes.
    Clear(GiveBack, lambda c: Q(contact=c), lambda t: {"note": "", "message": ""}),
    Clear(BlackoutPeriod, lambda c: Q(contact=c), lambda t: {"reason": ""}),
    Clear(StatusChange, lambda c: Q(contact=c), lambda t: {"reason": ERASED_REASON}),
    Clear(LimitRule, lambda c: Q(contact=c), lambda t: {"reason": ""}),
    # What they wrote when they volunteered on the public page is their own text
    # (before their email below, which finds the rows, is replaced).
    Clear(Nomination, lambda c: _volunteered(c), lambda t: {"reason": ERASED_REASON}),
    Clear(
        Nomination,
        lambda c: Q(contact=c) | Q(account_id=c.account_id, contact_email__iexact=c.email) | _volunteered(c),
        lambda t: {"contact_name": t.label, "contact_title": "", "contact_email": t.placeholder_email},
    ),
    Clear(Notification, lambda c: Q(contact=c), lambda t: {"email": t.placeholder_email}),
    # Content featuring them (their words, their face in a video) is no longer shown.
    Clear(
        Asset,
        lambda c: Q(pk__in=Asset.objects.filter(contacts=c, status=AssetStatus.PUBLISHED).values("pk")),
        lambda t: {"status": AssetStatus.WITHDRAWN, "status_changed_at": timezone.now()},
    ),
    # Messages to them not yet sent are not sent to the placeholder.
    Clear(
        Notification,
        lambda c: Q(contact=c, status__in=(NotificationStatus.PENDING, NotificationStatus.HELD)),
        lambda t: {"status": NotificationStatus.SKIPPED},
    ),
)


def _log_entries(scope: Scope) -> tuple[str, list]:
    """Admin history of their contact row and of their account (inline edits name them)."""
    kinds = "(SELECT id FROM django_content_type WHERE app_label = 'references' AND model = %s)"
    return either(
        (f"(t.content_type_id IN {kinds} AND t.object_id = %s)", ["contact", str(scope.contact_id)]),
        (f"(t.content_type_id IN {kinds} AND t.object_id = %s)", ["account", str(scope.account_id)]),
    )


def _activities(scope: Scope) -> tuple[str, list]:
    served, params = scope.requests()
    return either(
        scope.column_is("contact_id", scope.contact_id),
        (
            f"t.id IN (SELECT activity_id FROM workflows_requestactivity WHERE request_id IN {served})",
            params,
        ),
    )


def _events(scope: Scope) -> tuple[str, list]:
    served, params = scope.requests()
    return either(
        ("t.id IN (SELECT event_id FROM workflows_event_speakers WHERE contact_id = %s)", [scope.contact_id]),
        (
            f"t.id IN (SELECT event_id FROM workflows_event_requests WHERE referencerequest_id IN {served})",
            params,
        ),
    )


def _assets(scope: Scope) -> tuple[str, list]:
    """Content tied to them or to their account (a case study names its customer's people)."""
    return either(
        ("t.id IN (SELECT asset_id FROM marketing_asset_contacts WHERE contact_id = %s)", [scope.contact_id]),
        ("t.id IN (SELECT asset_id FROM marketing_asset_accounts WHERE account_id = %s)", [scope.account_id]),
    )


def _of_assets(scope: Scope) -> tuple[str, list]:
    sql, params = _assets(scope)
    return sql.replace("t.id IN", "t.asset_id IN"), params


MENTIONS: tuple[Mentions, ...] = (
    Mentions(Account, ("reference_story",), lambda s: s.column_is("id", s.account_id)),
    Mentions(AccountNote, ("body",), lambda s: s.column_is("account_id", s.account_id)),
    Mentions(StatusChange, ("reason",), lambda s: s.column_is("account_id", s.account_id)),
    Mentions(ReferenceActivity, ("notes",), _activities),
    Mentions(ReferenceRequest, ("campaign", "notes", "customer_brief"), lambda s: s.column_in_requests("id")),
    Mentions(RequestEvent, ("note",), lambda s: s.column_in_requests("request_id")),
    Mentions(RequestFeedback, ("outcome_note",), lambda s: s.column_in_requests("request_id")),
    Mentions(CustomerFeedback, ("comment",), lambda s: s.column_in_requests("request_id")),
    Mentions(
        Nomination,
        ("contact_name", "contact_title", "reason", "decision_note", "owner_consent_note"),
        lambda s: either(s.column_is("contact_id", s.contact_id), s.column_is("account_id", s.account_id)),
    ),
    Mentions(Task, ("title",), lambda s: s.column_in_requests("request_id")),
    Mentions(Event, ("title", "notes"), _events),
    Mentions(
        PlannedEvent,
        ("title", "notes", "feedback", "cancel_reason"),
        lambda s: (
            "t.id IN (SELECT plannedevent_id FROM workflows_plannedevent_speakers WHERE contact_id = %s)",
            [s.contact_id],
        ),
    ),
    Mentions(
        LimitRule,
        ("reason",),
        lambda s: either(s.column_is("contact_id", s.contact_id), s.column_is("account_id", s.account_id)),
    ),
    Mentions(LimitOverride, ("refusal", "reason"), lambda s: s.column_is("contact_id", s.contact_id)),
    Mentions(
        Notification,
        ("title", "body", "last_error"),
        lambda s: either(s.column_is("contact_id", s.contact_id), s.column_in_requests("request_id")),
    ),
    Mentions(LogEntry, ("object_repr", "change_message"), _log_entries),
    Mentions(Asset, ("title", "summary", "quote_text", "file_name"), _assets),
    Mentions(AssetEvent, ("note",), _of_assets),
    Mentions(AssetUse, ("campaign", "note"), _of_assets),
    Mentions(AccountPermission, ("source_note",), lambda s: s.column_is("account_id", s.account_id)),
    Mentions(PermissionChange, ("note",), lambda s: s.column_is("account_id", s.account_id)),
)

# Rows that exist only for the person, deleted outright (each has a `contact` foreign key).
DELETES: tuple[str, ...] = ("customers.PortalSession", "customers.PortalLink")

# Text columns that cannot hold the contact's personal data, and why (choices-only fields are
# never free text and need no entry).
NOT_PERSONAL: dict[str, dict[str, str]] = {
    "admin.LogEntry": {"object_id": "a primary key"},
    "auth.Permission": {"name": "fixed by the code", "codename": "fixed by the code"},
    "auth.Group": {"name": "a role"},
    "auth.User": dict.fromkeys(
        ("password", "username", "first_name", "last_name", "email"), "staff users, not contacts"
    ),
    "contenttypes.ContentType": {"app_label": "fixed by the code", "model": "fixed by the code"},
    "customers.PortalSession": {"key_hash": "a hash of a random key; the rows are deleted"},
    "customers.PortalLink": {
        "token_hash": "a hash of a random token; the rows are deleted",
        "next_path": "a portal page's path (ids, no names); the rows are deleted",
    },
    "sessions.Session": {"session_key": "random", "session_data": "staff sessions (signed, encoded)"},
    "core.SsoIdentity": {"issuer": "staff sign-in", "subject": "staff sign-in"},
    "references.Industry": {"name": "taxonomy", "naics_code": "taxonomy"},
    "references.Product": {"name": "taxonomy"},
    "references.UseCase": {"name": "taxonomy"},
    "references.Competitor": {"name": "taxonomy"},
    "references.Region": {"name": "taxonomy", "code": "taxonomy"},
    "references.Country": {"name": "taxonomy", "code": "taxonomy"},
    "references.SizeBand": {"name": "taxonomy"},
    "references.Persona": {"name": "taxonomy", "code": "taxonomy"},
    "references.ActivityType": {"name": "taxonomy", "code": "taxonomy"},
    "references.Account": {
        "name": "the organization, not the person",
        "currency": "a code",
        "external_id": "the organization's id in the CRM",
    },
    "references.Contact": {"language": "a code the reports group by", "time_zone": "a zone name"},
    # The consent ledger keeps the fact (what, when, given or not, how) and has no free text.
    "references.ConsentEntry": {"wording_version": "the version of our text they saw"},
    "references.CurrencyRate": {"currency": "a code"},
    "references.Opportunity": {
        "external_id": "the CRM's id",
        "prospect_name": "the prospect company",
        "currency": "a code",
    },
    "requests_app.RequestEvent": {"action": "a transition's code"},
    "requests_app.ReferenceRequest": {"verification_code": "random letters and digits"},
    "requests_app.Nomination": {
        "company_name": "the organization a volunteer named, not the person",
        "consent_text": "our wording, as the public page showed it",
    },
    "workflows.WorkflowTemplate": {"name": "configuration"},
    "workflows.WorkflowStep": {"name": "configuration"},
    "workflows.StaffCalendar": {"time_zone": "staff"},
    "insights.Team": {"name": "a group of staff users"},
    "matching.SearchDocument": {
        "name": "derived from the account: re-indexed by the erasure",
        "tags": "derived from the taxonomies",
        "story": "derived from the account's story: re-indexed by the erasure",
    },
    "matching.ReferenceEntry": {"language": "a code"},
    "marketing.Asset": {"link_url": "where the content lives", "file_content_type": "a media type"},
    "marketing.AssetEvent": {"action": "a workflow action's code"},
    "matching.SearchSnapshot": {"digest": "a hash", "usage_fingerprint": "a hash"},
    "limits.ContactUsage": {"limit_code": "a limit's code"},
    "limits.LimitOverride": {"limit": "a limit's code"},
    "notifications.Notification": {"key": "an event's id", "kind": "a code", "link": "a path"},
    "notifications.NotificationPreference": {"kind": "a code"},
    # API keys belong to staff users.
    "integrations.ApiKey": {
        "id": "a key's prefix and hash",
        "prefix": "a key's public part",
        "hashed_key": "a hash",
        "name": "staff's label for a key",
    },
    # An uploaded spreadsheet's job is deleted IMPORT_KEEP_DAYS after upload, file and row errors
    # with it (integrations/spreadsheets/retention.py): a file is not searched for one person.
    "integrations.ImportJob": {
        "filename": "the manager's name for the file",
        "message": "a job-level message, no cell's value",
    },
    # The library's own key model, unused (integrations.ApiKey is the program's).
    "rest_framework_api_key.APIKey": {
        "id": "unused",
        "prefix": "unused",
        "hashed_key": "unused",
        "name": "unused",
    },
    # Webhooks: payloads hold ids and codes only (webhooks.outbox refuses personal keys).
    "webhooks.Subscription": {"name": "an outside system", "url": "an outside system", "secret": "a key"},
    "webhooks.Message": {"webhook_id": "a random id"},
    "webhooks.Delivery": {"last_error": "the receiver's answer"},
    "webhooks.DeliveryAttempt": {"error": "the receiver's answer"},
    "axes.AccessFailureLog": dict.fromkeys(
        ("user_agent", "username", "http_accept", "path_info"), "staff password sign-ins"
    ),
    "axes.AccessAttempt": dict.fromkeys(
        ("user_agent", "username", "http_accept", "path_info", "get_data", "post_data"),
        "staff password sign-ins",
    ),
    "axes.AccessLog": dict.fromkeys(
        ("user_agent", "username", "http_accept", "path_info", "session_hash"), "staff password sign-ins"
    ),
}


def classified_fields() -> set[tuple[str, str]]:
    """Every (model label, field) this plan says something about."""
    found: set[tuple[str, str]] = set()
    for clear in CLEARS:
        # The values do not depend on the contact's data, only on who they are: name them once.
        found |= {(clear.model._meta.label, name) for name in clear.values(Terms.example())}
    for mention in MENTIONS:
        found |= {(mention.model._meta.label, column) for column in mention.columns}
    for label, fields in NOT_PERSONAL.items():
        found |= {(label, name) for name in fields}
    return found
