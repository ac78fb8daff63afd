"""Who gets into every URL of the site: each URL pattern × method × role → the status expected.

The table below has a row for every URL pattern the root resolver knows, the admin's and the
API's included; `test_every_route_has_a_row` fails when a route appears without one (or a row
outlives its route). The admin's rows are made per registered model from the rules written here
by hand per app and model, never read back from the permission system, so that the test can
fail. POSTs carry an empty body: the question is who gets in, not whether a form is valid, so an
allowed role may get a form's errors (200 or 400) where a refused one gets a login page, 403, 404
or 405.

Expectations are sets of outcomes: a status, or LOGIN / ADMIN_LOGIN for a redirect to the
portals' or the admin's sign-in page that comes back to the very URL asked for.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from marketing.sharing import share_token
from references.models import ReferenceActivity
from tests.security.world import ROLES, World, routes, world_scope

ANON, SALES, OWNER, MANAGER, MARKETING, ADMIN, EXECUTIVE = ROLES

LOGIN = "302 to /login/"
ADMIN_LOGIN = "302 to /admin/login/"
PORTAL_SIGN_IN = "302 to /portal/sign-in/"  # the customer portal's, which no staff session opens
OK = frozenset({200})
FORM = frozenset({200, 400})  # let in; the empty form comes back with its errors
MOVED = frozenset({302})  # let in, then sent on (not to a sign-in page)
DONE = frozenset({200, 302})  # let in: the page again, or sent on
FORBIDDEN = frozenset({403})
UNAUTHORIZED = frozenset({401})  # the API: no credentials (it names the key scheme)
NOT_FOUND = frozenset({404})
NO_METHOD = frozenset({405})
GONE = frozenset({410})
INVALID = frozenset({400})  # let in; the empty body is refused, its fields named

# Who holds each portal's roles (a superuser holds every role).
SALES_ROLES = (SALES, OWNER, ADMIN)
APPROVER_ROLES = (SALES, OWNER, MANAGER, ADMIN)
MANAGER_ROLES = (MANAGER, ADMIN)
CONTENT_ROLES = (MARKETING, MANAGER, ADMIN)
STAFF_ROLES = (SALES, OWNER, MANAGER, MARKETING, ADMIN)
# An executive signs in too, but reads only the program's insights.
SIGNED_IN = (*STAFF_ROLES, EXECUTIVE)
INSIGHT_ROLES = (MANAGER, ADMIN, EXECUTIVE)

Expect = frozenset | dict  # one set for every role let in, or a set per role


@dataclass(frozen=True)
class Row:
    """The expected outcome per method and role, and how to make the URL from the world: the
    URL name's arguments, or the whole path for an unnamed route."""

    cells: dict[str, dict[str, frozenset]]
    kwargs: Callable[[World], dict] | None = None
    path: Callable[[World], str] | None = None
    query: str = ""

    def url(self, key: str, world: World) -> str:
        if self.path is not None:
            return self.path(world)
        return reverse(key, kwargs=self.kwargs(world) if self.kwargs else None) + self.query


def _per_role(expect: Expect, roles) -> dict[str, frozenset]:
    return dict(expect) if isinstance(expect, dict) else dict.fromkeys(roles, expect)


def guarded(roles, *, get: Expect, post: Expect, anonymous=LOGIN, kwargs=None) -> Row:
    """A page behind the portals' role policy: anonymous → sign-in page; a signed-in user
    without one of `roles` → 403; the others get `get` and `post`."""
    cells = {}
    for method, expect in (("GET", get), ("POST", post)):
        by_role = dict.fromkeys(SIGNED_IN, FORBIDDEN) | _per_role(expect, roles)
        by_role[ANON] = frozenset({anonymous}) if isinstance(anonymous, str) else anonymous
        cells[method] = by_role
    return Row(cells, kwargs)


def posted(roles, post: Expect, kwargs=None) -> Row:
    """A URL that only takes POSTs: a GET from anyone let in is 405."""
    return guarded(roles, get=NO_METHOD, post=post, kwargs=kwargs)


def public(*, get: Expect, post: Expect, kwargs=None) -> Row:
    """Open to everyone, signed in or not."""
    return Row({"GET": _per_role(get, ROLES), "POST": _per_role(post, ROLES)}, kwargs)


def contacts_only(*, post: Expect = FORBIDDEN, kwargs=None) -> Row:
    """A customer-portal page: only a contact's portal session opens it, so every staff role and
    the anonymous visitor are sent to the portal's sign-in (a POST is refused)."""
    sign_in = dict.fromkeys(ROLES, frozenset({PORTAL_SIGN_IN}))
    return Row({"GET": sign_in, "POST": _per_role(post, ROLES)}, kwargs)


def only(role_sets: dict[str, frozenset], others: frozenset, roles=SALES_ROLES) -> dict[str, frozenset]:
    """Per role among `roles`: what `role_sets` names, `others` for the rest."""
    return {role: role_sets.get(role, others) for role in roles}


def pk(name: str, kwarg: str = "pk") -> Callable[[World], dict]:
    return lambda world: {kwarg: getattr(world, name).pk}


def crm_upsert() -> Row:
    """A CRM upsert by external id: PUT only, for reference managers."""
    row = guarded(MANAGER_ROLES, get=NO_METHOD, post=NO_METHOD, anonymous=UNAUTHORIZED)
    put = dict.fromkeys(SIGNED_IN, FORBIDDEN) | dict.fromkeys(MANAGER_ROLES, INVALID) | {ANON: UNAUTHORIZED}
    return Row({**row.cells, "PUT": put}, lambda world: {"external_id": "CRM-NEW-1"})


def crm_batch() -> Row:
    """A CRM batch: POST only, for reference managers."""
    return guarded(MANAGER_ROLES, get=NO_METHOD, post=INVALID, anonymous=UNAUTHORIZED)


# --- The portals, the API and the pages around them: one row per URL name ------------------
# The objects are the world's: Sally's deal and requests, Olivia's account and approval, a task
# on Maria's list, Sally's notification. Roles the object does not belong to get 404.

SALLYS = only({SALES: OK, ADMIN: OK}, NOT_FOUND)  # Sally's deal or request: hers and the admin's
# Maria's task: a manager (or the admin) works it (the empty form sends them back to the list
# with the reason); nobody else may find it.
MARIAS_TASK = only({MANAGER: MOVED, ADMIN: MOVED}, NOT_FOUND, STAFF_ROLES)

MARIAS_IMPORT = only({MANAGER: OK}, NOT_FOUND, MANAGER_ROLES)

ROWS: dict[str, Row] = {
    # Sales portal (role_required(SALES)).
    "sales:home": guarded(SALES_ROLES, get=OK, post=OK),
    "sales:search": guarded(SALES_ROLES, get=OK, post=NO_METHOD),
    "sales:search-export": guarded(SALES_ROLES, get=OK, post=NO_METHOD),
    "sales:requests-export": guarded(SALES_ROLES, get=OK, post=NO_METHOD),
    "sales:reference": guarded(SALES_ROLES, get=OK, post=NO_METHOD, kwargs=pk("contact", "contact_id")),
    "sales:opportunities": guarded(SALES_ROLES, get=OK, post=OK),
    "sales:opportunity-new": guarded(SALES_ROLES, get=OK, post=FORM),
    "sales:opportunity": guarded(SALES_ROLES, get=SALLYS, post=SALLYS, kwargs=pk("deal")),
    "sales:opportunity-edit": guarded(
        SALES_ROLES,
        # The admin may read the deal but edits it in the admin: only the owner and team edit here.
        get=only({SALES: OK, ADMIN: FORBIDDEN}, NOT_FOUND),
        post=only({SALES: FORM, ADMIN: FORBIDDEN}, NOT_FOUND),
        kwargs=pk("deal"),
    ),
    "sales:find": guarded(
        SALES_ROLES, get=only({SALES: MOVED, ADMIN: MOVED}, NOT_FOUND), post=NO_METHOD, kwargs=pk("deal")
    ),
    "sales:requests": guarded(SALES_ROLES, get=OK, post=OK),
    "sales:request-new": guarded(SALES_ROLES, get=OK, post=FORM),
    "sales:request": guarded(SALES_ROLES, get=SALLYS, post=SALLYS, kwargs=pk("request")),
    # The admin sees the request but may not cancel it (only its requester may).
    "sales:request-cancel": posted(
        SALES_ROLES, only({SALES: FORM, ADMIN: FORM | FORBIDDEN}, NOT_FOUND), pk("request")
    ),
    "sales:request-feedback": posted(SALES_ROLES, only({SALES: FORM, ADMIN: FORM}, NOT_FOUND), pk("request")),
    "sales:request-act": posted(SALES_ROLES, only({SALES: FORM, ADMIN: FORM}, NOT_FOUND), pk("request")),
    "sales:nominations": guarded(SALES_ROLES, get=OK, post=OK),
    "sales:nominate": guarded(SALES_ROLES, get=OK, post=OK),
    # Every staff user may nominate a customer of any account.
    "sales:nominate-account": guarded(SALES_ROLES, get=OK, post=FORM, kwargs=pk("account", "account_pk")),
    # The owner's consent to a nomination of their account: Olivia's alone (a manager answers on
    # the owner's behalf from the nomination's page in /manage/).
    "sales:nomination-consent": guarded(
        APPROVER_ROLES,
        get=only({OWNER: OK}, NOT_FOUND, APPROVER_ROLES),
        post=only({OWNER: FORM}, NOT_FOUND, APPROVER_ROLES),
        kwargs=pk("nomination_consent"),
    ),
    # Approvals: the account owner's (Olivia's); a manager holds the role but owns no account.
    "sales:approvals": guarded(APPROVER_ROLES, get=OK, post=OK),
    "sales:approval": guarded(
        APPROVER_ROLES,
        get=only({OWNER: OK}, NOT_FOUND, APPROVER_ROLES),
        post=only({OWNER: OK}, NOT_FOUND, APPROVER_ROLES),
        kwargs=pk("request"),
    ),
    "sales:approval-answer": posted(
        APPROVER_ROLES,
        only({OWNER: FORM}, NOT_FOUND, APPROVER_ROLES),
        kwargs=pk("request"),
    ),
    # Manager portal (role_required(MANAGER)): the program's every object.
    "manage:home": guarded(MANAGER_ROLES, get=OK, post=OK),
    "manage:bulk": posted(MANAGER_ROLES, MOVED),
    "manage:request": guarded(MANAGER_ROLES, get=OK, post=OK, kwargs=pk("request")),
    "manage:request-act": posted(MANAGER_ROLES, FORM, kwargs=pk("request")),
    "manage:request-record": guarded(MANAGER_ROLES, get=OK, post=FORM, kwargs=pk("request_scheduled")),
    "manage:request-brief": posted(MANAGER_ROLES, MOVED, kwargs=pk("request")),
    "manage:events": guarded(MANAGER_ROLES, get=OK, post=OK),
    "manage:event-new": guarded(MANAGER_ROLES, get=OK, post=FORM),
    "manage:event": guarded(MANAGER_ROLES, get=OK, post=OK, kwargs=pk("event")),
    "manage:accounts": guarded(MANAGER_ROLES, get=OK, post=OK),
    "manage:account": guarded(MANAGER_ROLES, get=OK, post=OK, kwargs=pk("account")),
    "manage:account-edit": guarded(MANAGER_ROLES, get=OK, post=FORM, kwargs=pk("account")),
    "manage:account-status": posted(MANAGER_ROLES, FORM, kwargs=pk("account")),
    "manage:account-new": guarded(MANAGER_ROLES, get=OK, post=FORM),
    "manage:account-retire": guarded(MANAGER_ROLES, get=OK, post=FORM, kwargs=pk("account")),
    "manage:account-owner": guarded(MANAGER_ROLES, get=OK, post=FORM, kwargs=pk("account")),
    "manage:contacts": guarded(MANAGER_ROLES, get=OK, post=OK),
    "manage:contact": guarded(MANAGER_ROLES, get=OK, post=OK, kwargs=pk("contact")),
    "manage:contact-edit": guarded(MANAGER_ROLES, get=OK, post=FORM, kwargs=pk("contact")),
    "manage:contact-status": posted(MANAGER_ROLES, FORM, kwargs=pk("contact")),
    "manage:contact-new": guarded(MANAGER_ROLES, get=OK, post=FORM),
    "manage:contact-retire": guarded(MANAGER_ROLES, get=OK, post=FORM, kwargs=pk("contact")),
    # Give-back: the program's list, recording one for a contact, removing a mistake.
    "manage:give-back": guarded(MANAGER_ROLES, get=OK, post=OK),
    "manage:contact-give-back": guarded(MANAGER_ROLES, get=OK, post=FORM, kwargs=pk("contact")),
    "manage:give-back-remove": posted(MANAGER_ROLES, MOVED, kwargs=pk("give_back")),
    # A contact's erasure request, carried out from My tasks (the empty form erases nothing).
    "manage:erasure": guarded(MANAGER_ROLES, get=OK, post=FORM, kwargs=pk("erasure")),
    # Nominations: the program's queue and pages (an empty POST moves nothing, or qualifies a
    # submitted nomination, which needs no more).
    # Exports (CSV / XLSX) of the manager's lists.
    "manage:requests-export": guarded(MANAGER_ROLES, get=OK, post=NO_METHOD),
    "manage:activities-export": guarded(MANAGER_ROLES, get=OK, post=NO_METHOD),
    "manage:nominations-export": guarded(MANAGER_ROLES, get=OK, post=NO_METHOD),
    # Spreadsheet import: a job is its uploader's (Maria's here); the administrator gets a 404.
    "manage:import": guarded(MANAGER_ROLES, get=OK, post=FORM),
    "manage:import-template": guarded(MANAGER_ROLES, get=OK, post=OK),
    "manage:import-job": guarded(
        MANAGER_ROLES, get=MARIAS_IMPORT, post=MARIAS_IMPORT, kwargs=pk("import_job")
    ),
    "manage:import-job-status": guarded(
        MANAGER_ROLES, get=MARIAS_IMPORT, post=MARIAS_IMPORT, kwargs=pk("import_job")
    ),
    "manage:import-job-run": posted(
        MANAGER_ROLES, only({MANAGER: MOVED}, NOT_FOUND, MANAGER_ROLES), kwargs=pk("import_job")
    ),
    "manage:nominations": guarded(MANAGER_ROLES, get=OK, post=OK),
    "manage:nomination": guarded(MANAGER_ROLES, get=OK, post=OK, kwargs=pk("nomination")),
    "manage:nomination-qualify": posted(MANAGER_ROLES, FORM | MOVED, kwargs=pk("nomination")),
    "manage:nomination-consent": posted(MANAGER_ROLES, FORM, kwargs=pk("nomination_consent")),
    "manage:nomination-accept": posted(MANAGER_ROLES, FORM, kwargs=pk("nomination_consent")),
    "manage:nomination-decline": posted(MANAGER_ROLES, FORM, kwargs=pk("nomination")),
    # My tasks, for all staff.
    "tasks:list": guarded(STAFF_ROLES, get=OK, post=OK),
    "tasks:complete": posted(STAFF_ROLES, MARIAS_TASK, pk("task")),
    "tasks:reassign": posted(STAFF_ROLES, MARIAS_TASK, pk("task")),
    "tasks:time-zone": posted(SIGNED_IN, MOVED),  # the form is on every preferences page
    "content:home": guarded(CONTENT_ROLES, get=OK, post=OK),
    # The content library's pages: marketing and reference managers (and the admin) keep every
    # asset and every account's permissions; sales reps never get in.
    "content:asset-new": guarded(CONTENT_ROLES, get=OK, post=FORM),
    "content:asset": guarded(CONTENT_ROLES, get=OK, post=NO_METHOD, kwargs=pk("asset")),
    "content:asset-edit": guarded(CONTENT_ROLES, get=OK, post=FORM, kwargs=pk("asset")),
    "content:asset-act": posted(CONTENT_ROLES, FORM, pk("asset")),
    # The world's asset has no file: keepers get the "no file" 404, everyone else is refused first.
    "content:asset-file": guarded(CONTENT_ROLES, get=NOT_FOUND, post=NO_METHOD, kwargs=pk("asset")),
    "content:permissions": guarded(CONTENT_ROLES, get=OK, post=NO_METHOD),
    "content:account-permissions": guarded(
        CONTENT_ROLES, get=OK, post=FORM, kwargs=pk("account", "account_id")
    ),
    "content:customers": guarded(CONTENT_ROLES, get=OK, post=NO_METHOD),
    "content:customers-csv": guarded(CONTENT_ROLES, get=OK, post=NO_METHOD),
    "content:customers-json": guarded(CONTENT_ROLES, get=OK, post=NO_METHOD),
    # The content library: marketing and the managers keep it; reps use what is published.
    "content:assets": guarded(CONTENT_ROLES, get=OK, post=NO_METHOD),
    "sales:content": guarded(SALES_ROLES, get=OK, post=NO_METHOD),
    "sales:asset": guarded(SALES_ROLES, get=OK, post=NO_METHOD, kwargs=pk("library_asset")),
    "sales:asset-use": posted(SALES_ROLES, FORM, kwargs=pk("library_asset")),
    # A shareable link opens its published, public asset for anyone, signed in or not (the
    # world's asset has no file to download).
    "shared:asset": public(get=OK, post=NO_METHOD, kwargs=lambda w: {"token": share_token(w.library_asset)}),
    "shared:asset-file": public(
        get=NOT_FOUND, post=NO_METHOD, kwargs=lambda w: {"token": share_token(w.library_asset)}
    ),
    # Campaign requests: Mark's own (marketing); the program sees every one; the admin too.
    "content:campaigns": guarded(CONTENT_ROLES, get=OK, post=OK),
    "content:campaign-new": guarded(CONTENT_ROLES, get=OK, post=FORM),
    "content:campaign": guarded(CONTENT_ROLES, get=OK, post=OK, kwargs=pk("campaign_request")),
    # Only the requester acts (the empty post is a form error); the program may not cancel his.
    "content:campaign-act": posted(
        CONTENT_ROLES,
        {MARKETING: FORM, MANAGER: FORM | FORBIDDEN, ADMIN: FORM | FORBIDDEN},
        pk("campaign_request"),
    ),
    "content:campaign-cancel": posted(
        CONTENT_ROLES,
        {MARKETING: FORM, MANAGER: FORM | FORBIDDEN, ADMIN: FORM | FORBIDDEN},
        pk("campaign_request"),
    ),
    "content:campaign-feedback": posted(
        CONTENT_ROLES, FORM | FORBIDDEN | frozenset({409}), pk("campaign_request")
    ),
    # Planned events: marketing and the program plan and record them.
    "content:events": guarded(CONTENT_ROLES, get=OK, post=OK),
    "content:event-new": guarded(CONTENT_ROLES, get=OK, post=FORM),
    "content:event": guarded(CONTENT_ROLES, get=OK, post=OK, kwargs=pk("planned_event")),
    "content:event-record": posted(CONTENT_ROLES, FORM, pk("planned_event")),
    "content:event-cancel": posted(CONTENT_ROLES, FORM, pk("planned_event")),
    # Reps sign their deals up (the empty post names the missing deal).
    "sales:events": guarded(SALES_ROLES, get=OK, post=OK),
    "sales:event-signup": posted(SALES_ROLES, FORM, pk("planned_event")),
    # Notifications: everyone signed in, each their own (the notification is Sally's).
    "notifications:list": guarded(SIGNED_IN, get=OK, post=OK),
    "notifications:read": posted(
        SIGNED_IN,
        only({SALES: MOVED}, NOT_FOUND, SIGNED_IN),
        kwargs=pk("notification_sally"),
    ),
    "notifications:read-all": posted(SIGNED_IN, MOVED),
    "notifications:preferences": guarded(SIGNED_IN, get=OK, post=FORM),
    # The API: a key or a session; anonymous gets a 401 naming the key scheme.
    "api-schema": guarded(SIGNED_IN, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-references": guarded(APPROVER_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    # Reps ask for deals, marketing for campaigns, the program for both.
    "api-requests": guarded(STAFF_ROLES, get=OK, post=FORM, anonymous=UNAUTHORIZED),
    # A rep's own requests only: nobody else's, not even a manager's or the admin's view.
    "api-request": guarded(
        STAFF_ROLES,
        get=only({SALES: OK}, NOT_FOUND, STAFF_ROLES),
        post=NO_METHOD,
        anonymous=UNAUTHORIZED,
        kwargs=pk("request"),
    ),
    # The requester, the owner of the chosen contact's account and the program see the actions.
    "api-request-transitions": guarded(
        STAFF_ROLES,
        get=only({MARKETING: NOT_FOUND}, OK, STAFF_ROLES),
        post=only({MARKETING: NOT_FOUND}, FORM, STAFF_ROLES),
        anonymous=UNAUTHORIZED,
        kwargs=pk("request"),
    ),
    "api-tasks": guarded(STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    # The API's front door and its docs: anyone signed in (a person signed out is sent to sign
    # in for the docs page).
    "api-root": guarded(SIGNED_IN, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-docs": guarded(SIGNED_IN, get=OK, post=NO_METHOD),
    # Each staff user's own profile and API keys (the empty POST names the missing fields); the
    # world's key is Sally's: nobody else may even see its revoke page.
    # Insights (reference managers and executives; GET only).
    "insights:home": guarded(INSIGHT_ROLES, get=OK, post=NO_METHOD),
    "insights:section": guarded(
        INSIGHT_ROLES, get=OK, post=NO_METHOD, kwargs=lambda world: {"section": "fulfilment"}
    ),
    # The contacts behind a utilization figure (names and accounts only; executives too).
    "insights:contacts": guarded(INSIGHT_ROLES, get=OK, post=NO_METHOD),
    "insights:requests": guarded(INSIGHT_ROLES, get=OK, post=NO_METHOD),
    "insights:export": guarded(
        INSIGHT_ROLES,
        get=OK,
        post=NO_METHOD,
        kwargs=lambda world: {"section": "revenue", "key": "by-activity-type", "fmt": "csv"},
    ),
    # The deals behind the revenue figures (program-wide, like the figures).
    "insights:deals": guarded(INSIGHT_ROLES, get=OK, post=NO_METHOD),
    # Goals: everyone who reads insights sees them; reference managers (and the admin) set and
    # remove them (the empty form is refused, the world's goal removed); executives get 403.
    "insights:goals": guarded(INSIGHT_ROLES, get=OK, post=NO_METHOD),
    "insights:goal-set": posted(MANAGER_ROLES, INVALID),
    "insights:goal-delete": posted(MANAGER_ROLES, MOVED, kwargs=pk("goal")),
    # The executive digest: its preview for every insights reader; recipients and "Send now" are
    # the managers' (an executive's POST is 403).
    "insights:digest": guarded(INSIGHT_ROLES, get=OK, post=NO_METHOD),
    "insights:digest-add": posted(MANAGER_ROLES, INVALID),
    "insights:digest-remove": posted(MANAGER_ROLES, MOVED, kwargs=pk("digest_recipient")),
    "insights:digest-send": posted(MANAGER_ROLES, MOVED),
    # "Recompute now" of the revenue figures: the managers' (the empty body names no page: 400).
    "insights:recompute": posted(MANAGER_ROLES, INVALID),
    "profile:home": guarded(STAFF_ROLES, get=OK, post=FORM),
    "profile:key-revoke": guarded(
        STAFF_ROLES,
        get=only({SALES: OK}, NOT_FOUND, STAFF_ROLES),
        post=only({SALES: MOVED}, NOT_FOUND, STAFF_ROLES),
        kwargs=lambda world: {"prefix": world.api_key.prefix},
    ),
    # The program's records (api/urls_program.py), read-only: the catalogue for every role; deals
    # as the pages show them (Sally's: hers, the program's and the admin's); activities are the
    # program's records; notifications each user's own (Sally's here).
    "api-accounts": guarded(STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-account": guarded(STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED, kwargs=pk("account")),
    "api-contacts": guarded(STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-contact": guarded(STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED, kwargs=pk("contact")),
    "api-opportunities": guarded(STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-opportunity": guarded(
        STAFF_ROLES,
        get=only({SALES: OK, MANAGER: OK, ADMIN: OK}, NOT_FOUND, STAFF_ROLES),
        post=NO_METHOD,
        anonymous=UNAUTHORIZED,
        kwargs=pk("deal"),
    ),
    "api-activities": guarded(MANAGER_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-activity": guarded(
        MANAGER_ROLES,
        get=OK,
        post=NO_METHOD,
        anonymous=UNAUTHORIZED,
        kwargs=lambda world: {"pk": world.first_pk(ReferenceActivity)},
    ),
    "api-notifications": guarded(SIGNED_IN, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-notification-read": guarded(
        SIGNED_IN,
        get=NO_METHOD,
        post=only({SALES: OK}, NOT_FOUND, SIGNED_IN),
        anonymous=UNAUTHORIZED,
        kwargs=pk("notification_sally"),
    ),
    "api-notifications-read-all": guarded(SIGNED_IN, get=NO_METHOD, post=OK, anonymous=UNAUTHORIZED),
    # The flows' API (api/urls_flows.py): the pages' visibility, read-only rows answer 405 to a POST.
    # Maria's task: the program reads every task; nobody else has it on their list.
    "api-task": guarded(
        STAFF_ROLES,
        get=only({MANAGER: OK, ADMIN: OK}, NOT_FOUND, STAFF_ROLES),
        post=NO_METHOD,
        anonymous=UNAUTHORIZED,
        kwargs=pk("task"),
    ),
    # Planned events: every staff role reads the upcoming one; reps sign deals up (the empty
    # post names the missing deal), marketing and the program do not.
    "api-events": guarded(STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-event": guarded(
        STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED, kwargs=pk("planned_event")
    ),
    "api-event-signups": guarded(
        SALES_ROLES, get=NO_METHOD, post=FORM, anonymous=UNAUTHORIZED, kwargs=pk("planned_event")
    ),
    # Nominations: reps their own (Sally's here), the program every one; marketing none.
    "api-nominations": guarded(APPROVER_ROLES, get=OK, post=FORM, anonymous=UNAUTHORIZED),
    "api-nomination": guarded(
        APPROVER_ROLES,
        get=only({OWNER: NOT_FOUND}, OK, APPROVER_ROLES),
        post=NO_METHOD,
        anonymous=UNAUTHORIZED,
        kwargs=pk("nomination_consent"),
    ),
    # The content library: a published, public asset every staff role reads and may use (the
    # empty post names the missing deal or campaign).
    "api-assets": guarded(STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    "api-asset": guarded(
        STAFF_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED, kwargs=pk("library_asset")
    ),
    "api-asset-uses": guarded(
        STAFF_ROLES, get=NO_METHOD, post=FORM, anonymous=UNAUTHORIZED, kwargs=pk("library_asset")
    ),
    # Campaigns: marketing's own, the program's every one.
    "api-campaigns": guarded(CONTENT_ROLES, get=OK, post=NO_METHOD, anonymous=UNAUTHORIZED),
    # CRM sync: reference managers (a session, or a key with the crm_sync scope); an empty body
    # is a 400 (a new record's required fields), the methods not taken 405 once let in.
    "api-crm-account": crm_upsert(),
    "api-crm-accounts-bulk": crm_batch(),
    "api-crm-contact": crm_upsert(),
    "api-crm-contacts-bulk": crm_batch(),
    "api-crm-opportunity": crm_upsert(),
    "api-crm-opportunities-bulk": crm_batch(),
    # The customer portal: its front page and sign-in are public; everything else is a contact's.
    "customer:home": public(get=OK, post=NO_METHOD),
    "customer:sign-in": public(get=OK, post=FORM),
    # A magic link: anyone may open it (a made-up token shows the dead-link page; its POST signs
    # nobody in, 410) and ask for a fresh one (the same answer for every token); signing out
    # takes a contact's session (a POST without one is refused).
    "customer:link": public(get=OK, post=GONE, kwargs=lambda w: {"token": "made-up-token"}),
    "customer:link-renew": public(get=NO_METHOD, post=OK, kwargs=lambda w: {"token": "made-up-token"}),
    "customer:sign-out": public(get=NO_METHOD, post=FORBIDDEN),
    "customer:asks": contacts_only(),
    "customer:ask": contacts_only(kwargs=pk("request")),
    "customer:ask-accept": contacts_only(kwargs=pk("request")),
    "customer:ask-decline": contacts_only(kwargs=pk("request")),
    "customer:verify": contacts_only(),
    "customer:preferences": contacts_only(),
    "customer:preferences-pause": contacts_only(),
    "customer:preferences-unpause": contacts_only(),
    "customer:preferences-stop": contacts_only(),
    "customer:preferences-take-part": contacts_only(),
    "customer:preferences-blackouts": contacts_only(),
    "customer:preferences-blackout-remove": contacts_only(kwargs=lambda world: {"pk": 1}),
    "customer:history": contacts_only(),
    "customer:feedback": contacts_only(kwargs=pk("request")),
    "customer:data": contacts_only(post=NO_METHOD),
    "customer:data-download": contacts_only(post=NO_METHOD),
    # Asking to be erased is a POST of the signed-in contact's: no staff session makes it.
    "customer:erase": Row({"GET": _per_role(NO_METHOD, ROLES), "POST": _per_role(FORBIDDEN, ROLES)}),
    # Anyone may volunteer as a reference (the empty form comes back with its errors).
    "volunteer": public(get=OK, post=FORM),
    # Sign-in, the landing redirect and the health endpoints.
    "home": guarded(SIGNED_IN, get=MOVED, post=MOVED),
    "no-role": guarded(SIGNED_IN, get=FORBIDDEN, post=FORBIDDEN),
    "favicon": public(get=OK, post=NO_METHOD),
    "healthz": public(get=OK, post=NO_METHOD),
    "readyz": public(get=OK, post=NO_METHOD),
    "login": public(get=only({ANON: OK}, MOVED, ROLES), post=only({ANON: OK}, MOVED, ROLES)),
    "logout": public(get=NO_METHOD, post=MOVED),
    # Single sign-on is off in the tests (no OIDC_ISSUER): its routes are not there.
    "oidc_authentication_init": public(get=NOT_FOUND, post=NO_METHOD),
    "oidc_authentication_callback": public(get=NOT_FOUND, post=NO_METHOD),
    "password_reset": public(get=OK, post=OK),
    "password_reset_done": public(get=OK, post=NO_METHOD),
    "password_reset_confirm": public(
        get=OK, post=OK, kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"}
    ),
    "password_reset_complete": public(get=OK, post=NO_METHOD),
}


# --- The admin: only for administrators and, on the catalogue, reference managers -----------
# Active superusers, and active staff holding the Reference manager role, use the admin; anyone
# else gets the admin's sign-in page on every admin URL (sec-admin).
ADMIN_USERS = (MANAGER, ADMIN)
# The Reference manager group may view, add, change and delete every model of these apps (teams,
# goals and digest recipients: insights 0002), and nothing else...
MANAGER_APPS = {"references", "insights"}
# ...but currency rates, which came after the roles migration gave the groups their permissions:
# they are the administrator's alone.
ADMIN_ONLY = {"references.currencyrate"}
# What each model's admin allows even a superuser: histories and the records jobs write are
# read-only; some rows are made by the workflow or the migrations, never added (or deleted) by hand.
READ_ONLY = {
    "references.statuschange",
    "references.consententry",
    "requests_app.requestevent",
    "workflows.task",
    "workflows.eventnotice",
    "workflows.event",
    "limits.contactusage",
    "limits.limitoverride",
    "limits.limitrun",
    # Recorded in /content/ (with their history and checks), shown read-only here.
    "marketing.accountpermission",
    "marketing.permissionchange",
    "marketing.assetuse",
    # Written by the webhooks outbox and delivery; "Send again" is an action of the list.
    "webhooks.message",
    "webhooks.delivery",
}
NEVER_ADDED = {
    "marketing.asset",  # made in /content/assets/new/, where its file is checked
    "requests_app.referencerequest",
    "limits.limitpolicy",
    "matching.matchweights",
    "notifications.notification",
    # django-axes writes its records of sign-ins itself.
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
# Records a reference manager keeps: retired by status, closed, or history (core 0004); only the
# administrator deletes them.
MANAGER_KEEPS = {
    "references.account",
    "references.contact",
    "references.opportunity",
    "references.referenceactivity",
    "references.accountnote",
    "references.participationpreferences",
}
NEVER_DELETED = {
    "integrations.apikey",  # revoked, never deleted: the row is the key's history
    "marketing.asset",
    "limits.limitpolicy",
    "matching.matchweights",
    "notifications.notification",
}
# The admin's views of a model, and what each one gives a user allowed the model: (GET, POST).
MODEL_VIEWS = {
    "changelist": (OK, OK),  # an empty POST is no action: the list again
    "add": (OK, FORM),
    "change": (OK, DONE),
    "delete": (OK, OK),  # an empty POST does not confirm: the question again
    "history": (OK, OK),
    "object": (MOVED, MOVED),  # <id>/ → <id>/change/ (for anyone the admin lets in)
    "change_status": (OK, OK),  # the status form, with its errors
    "password": (OK, OK),  # a user's password form, with its errors
}


def _admin_cells(by_role: dict[str, tuple[frozenset, frozenset]], outsiders=ADMIN_LOGIN) -> dict:
    """Cells of an admin URL: the admin's users as given, everyone else `outsiders`."""
    refused = frozenset({outsiders}) if isinstance(outsiders, str) else outsiders
    return {
        method: {role: by_role[role][i] if role in by_role else refused for role in ROLES}
        for i, method in enumerate(("GET", "POST"))
    }


def _model_allows(label: str, view: str) -> bool:
    if view == "add":
        return label not in READ_ONLY | NEVER_ADDED
    if view == "delete":
        return label not in READ_ONLY | NEVER_DELETED
    return True


def _model_cells(label: str, view: str) -> dict:
    get, post = MODEL_VIEWS[view]
    if not _model_allows(label, view):
        get = post = FORBIDDEN
    elif view in ("change", "change_status") and label in READ_ONLY:
        post = FORBIDDEN  # shown read-only, never saved
    by_role = {ADMIN: (get, post)}
    if view == "delete" and label in MANAGER_KEEPS:
        by_role[MANAGER] = (FORBIDDEN, FORBIDDEN)
    elif label.split(".")[0] in MANAGER_APPS and label not in ADMIN_ONLY:
        by_role[MANAGER] = (get, post)
    elif view != "object":
        by_role[MANAGER] = (FORBIDDEN, FORBIDDEN)
    else:
        by_role[MANAGER] = (get, post)
    return _admin_cells(by_role)


def _first(model) -> Callable[[World], object]:
    return lambda world: world.first_pk(model)


def admin_model_rows() -> dict[str, Row]:
    rows = {}
    for model in admin.site._registry:
        opts, label = model._meta, model._meta.label_lower
        first = _first(model)
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        rows[f"{prefix}_changelist"] = Row(_model_cells(label, "changelist"))
        rows[f"{prefix}_add"] = Row(_model_cells(label, "add"))
        for view in ("change", "delete", "history"):
            rows[f"{prefix}_{view}"] = Row(
                _model_cells(label, view), lambda w, first=first: {"object_id": first(w)}
            )
        rows[f"admin/{opts.app_label}/{opts.model_name}/<path:object_id>/"] = Row(
            _model_cells(label, "object"),
            path=lambda w, o=opts, first=first: f"/admin/{o.app_label}/{o.model_name}/{first(w)}/",
        )
    # The catalogue's own view: a reference status changes with a reason (needs change).
    for name in ("account", "contact"):
        rows[f"admin:references_{name}_change_status"] = Row(
            _model_cells(f"references.{name}", "change_status"), pk(name, "object_id")
        )
    rows["admin:auth_user_password_change"] = Row(_model_cells("auth.user", "password"), pk_of_user("sally"))
    return rows


def pk_of_user(name: str) -> Callable[[World], dict]:
    return lambda world: {"id": world.users[name].pk}


ADMIN_ROWS: dict[str, Row] = {
    "admin:index": Row(_admin_cells(dict.fromkeys(ADMIN_USERS, (OK, OK)))),
    # The sign-in page: shown to anyone the admin does not let in (it says so to a signed-in
    # user); its users are sent on to the index.
    "admin:login": Row(_admin_cells({MANAGER: (MOVED, OK), ADMIN: (MOVED, OK)}, outsiders=OK)),
    # Signing out is a POST; anyone the admin does not let in is sent to its index.
    "admin:logout": Row(_admin_cells(dict.fromkeys(ADMIN_USERS, (NO_METHOD, MOVED)), outsiders=MOVED)),
    "admin:password_change": Row(_admin_cells(dict.fromkeys(ADMIN_USERS, (OK, OK)))),
    "admin:password_change_done": Row(_admin_cells(dict.fromkeys(ADMIN_USERS, (OK, NO_METHOD)))),
    # Autocomplete for a catalogue field: the target model's view permission decides.
    "admin:autocomplete": Row(
        _admin_cells(dict.fromkeys(ADMIN_USERS, (OK, NO_METHOD))),
        query="?app_label=references&model_name=contact&field_name=account",
    ),
    "admin:jsi18n": Row(_admin_cells(dict.fromkeys(ADMIN_USERS, (OK, NO_METHOD)))),
    # "View on site" of an account: the catalogue has no public page.
    "admin:view_on_site": Row(
        _admin_cells(dict.fromkeys(ADMIN_USERS, (NOT_FOUND, NOT_FOUND))),
        lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.account).pk,
            "object_id": w.account.pk,
        },
    ),
    "admin:app_list": Row(
        _admin_cells(dict.fromkeys(ADMIN_USERS, (OK, OK))), lambda w: {"app_label": "references"}
    ),
    "admin/(?P<url>.*)$": Row(
        _admin_cells(dict.fromkeys(ADMIN_USERS, (NOT_FOUND, NOT_FOUND))),
        path=lambda w: "/admin/no-such-page/",
    ),
} | admin_model_rows()

TABLE: dict[str, Row] = ROWS | ADMIN_ROWS


def _cells():
    for key, row in TABLE.items():
        for method in row.cells:
            for role in ROLES:
                yield pytest.param(key, method, role, id=f"{key}-{method}-{role}")


def outcome(response, path: str) -> int | str:
    """The status, or LOGIN / ADMIN_LOGIN / PORTAL_SIGN_IN for a redirect to a sign-in page that
    comes back here."""
    if response.status_code == 302:
        come_back = f"?next={quote(path)}"
        if response["Location"] == reverse("login") + come_back:
            return LOGIN
        if response["Location"] == reverse("admin:login") + come_back:
            return ADMIN_LOGIN
        # The portal's sign-in takes `next` form-encoded (customers' contact_required).
        if response["Location"] in (
            reverse("customer:sign-in") + come_back,
            reverse("customer:sign-in") + "?" + urlencode({"next": path}),
        ):
            return PORTAL_SIGN_IN
    return response.status_code


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from world_scope(django_db_blocker)


pytestmark = pytest.mark.xdist_group("security-world")


def test_every_route_has_a_row():
    """A new route without a row fails here, and so does a row whose route is gone."""
    keys = {route.key for route in routes()}
    assert sorted(keys - TABLE.keys()) == [], "routes without a row in the access matrix"
    assert sorted(TABLE.keys() - keys) == [], "rows of the access matrix without a route"


def test_every_api_method_has_a_column():
    """An API view that starts allowing PUT, PATCH or DELETE needs its expectations here."""
    for route in routes():
        view = route.view_class
        if view is None or not route.route.startswith("api/"):
            continue
        allowed = {m.upper() for m in view.http_method_names if hasattr(view, m)} - {"HEAD", "OPTIONS"}
        assert allowed <= TABLE[route.key].cells.keys(), route.key


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "method", "role"), list(_cells()))
def test_access(world, key, method, role):
    row = TABLE[key]
    path = row.url(key, world)
    response = world.client(role).generic(method, path)
    got = outcome(response, path)
    assert got in row.cells[method][role], f"{method} {path} as {role}: {got}"


def test_world_has_a_row_of_every_admin_model(world, db):
    """The admin's object pages are asked about a real row of each model (a missing one would
    only show the admin's "does not exist" redirect)."""
    missing = [model._meta.label for model in admin.site._registry if world.first_pk(model) is None]
    assert missing == []
