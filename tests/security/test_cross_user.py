"""Every URL that takes an id, asked by each role that gets in with the id of an object that
belongs to another user of the same kind: another rep's deal or request, another owner's
approval, another user's task or notification. The answer is 404 (or 403), and its body never
names the object.

The table has a row per URL pattern that takes arguments (the resolver is walked, so a new
id-taking route without a row fails `test_every_id_route_has_a_row`). A row names, per role that
the access matrix lets in, the world's object that is someone else's for that role and the words
that identify it; or says why the route's ids are not anyone's own (the shared catalogue, the
program's pages, the admin).
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.security.test_access_matrix import ADMIN_LOGIN, ANON, LOGIN, TABLE
from tests.security.world import PLAYED_BY, ROLES, World, routes, world_scope

_, SALES, OWNER, MANAGER, MARKETING, ADMIN, EXECUTIVE = ROLES

SEES_ALL = "sees every object of this kind by design"


@dataclass(frozen=True)
class Other:
    """Someone else's object for a role: its name in the world, the URL argument it fills, and
    the words that would show it."""

    name: str
    texts: tuple[str, ...]
    kwarg: str = "pk"
    attr: str = "pk"  # the object's attribute the URL takes


# Oscar's deal and his request naming Otto's customer; their identifying words.
OSCARS_DEAL = Other("other_deal", ("Zephyr Freight",))
OSCARS_REQUEST = Other("other_request", ("Zephyr Freight", "Quentin Quokka", "Oscar Other"))
# Tasks: Oscar's question to answer, Otto's approval, Mara's press briefing.
OSCARS_TASK = Other("other_rep_task", ("Zephyr Freight", "Quinn Quokka", "Answer the manager"))
OTTOS_TASK = Other("other_owner_task", ("Zephyr Freight", "Quentin Quokka", "Account owner approval"))
MARAS_TASK = Other("other_marketing_task", ("Zephyr Freight", "Quincy Quokka", "Brief the customer"))

# Oscar's nomination at Otto's account, whose consent is Otto's to give.
OTTOS_NOMINATION = Other("other_nomination_consent", ("Otis Outsider", "Quokka Mutual"))


# Mo's spreadsheet import: a job is its uploader's only.
MOS_IMPORT = Other("other_import_job", ("mo-program.csv",))


def notification_of(name: str) -> Other:
    return Other(f"notification_{name}", ())  # the title is read from the row itself


# The program's pages and the admin: whoever gets in sees every object there.
PROGRAM = "the program's pages: reference managers see every request, event, account and contact"
PORTAL = "the customer portal: only a contact's session gets in; another contact's ids are a 404"
ADMIN_SITE = "the admin: only administrators and reference managers get in (the access matrix)"
# The customer portal: no staff session gets in (the access matrix); another contact's ids are a
# 404 (tests/portals/customer/).
PORTAL = "the customer portal: contacts only, each reading from their own requests"

# The content library is kept together: an asset or an account's permissions belong to the
# program's marketing, not to one marketer (the owner is who is told before it expires).
LIBRARY = "the content library: marketing and reference managers keep every asset and permission"
SHARED_EVENTS = "planned events are marketing's and the program's together: each sees every one"
# Insights take a section's and a table's name, not an object's id: program-wide figures.
INSIGHTS = "insights: program-wide figures for reference managers and executives (the access matrix)"

CROSS: dict[str, dict[str, Other | str] | str] = {
    "insights:section": INSIGHTS,
    "insights:export": INSIGHTS,
    "content:asset": LIBRARY,
    "content:asset-edit": LIBRARY,
    "content:asset-act": LIBRARY,
    "content:asset-file": LIBRARY,
    "content:account-permissions": LIBRARY,
    "sales:reference": "the shared catalogue: every rep may open every offerable reference",
    "sales:nominate-account": "any staff user may nominate a customer of any account",
    # A magic link's token is its own credential, not the id of someone's object.
    "customer:link": "a token signs in whoever it was minted for, by design (customer/test_link.py)",
    "customer:link-renew": "a fresh link goes to the old link's own contact, never to whoever asks",
    "sales:opportunity": {SALES: OSCARS_DEAL, OWNER: OSCARS_DEAL, ADMIN: SEES_ALL},
    "sales:opportunity-edit": {SALES: OSCARS_DEAL, OWNER: OSCARS_DEAL},
    "sales:find": {SALES: OSCARS_DEAL, OWNER: OSCARS_DEAL, ADMIN: SEES_ALL},
    "sales:request": {SALES: OSCARS_REQUEST, OWNER: OSCARS_REQUEST, ADMIN: SEES_ALL},
    "sales:request-cancel": {SALES: OSCARS_REQUEST, OWNER: OSCARS_REQUEST, ADMIN: SEES_ALL},
    "sales:request-feedback": {SALES: OSCARS_REQUEST, OWNER: OSCARS_REQUEST, ADMIN: SEES_ALL},
    "sales:request-act": {SALES: OSCARS_REQUEST, OWNER: OSCARS_REQUEST, ADMIN: SEES_ALL},
    # An approval is the account owner's alone: Otto's is nobody else's, not even the program's.
    "sales:approval": dict.fromkeys((SALES, OWNER, MANAGER, ADMIN), OSCARS_REQUEST),
    "sales:approval-answer": dict.fromkeys((SALES, OWNER, MANAGER, ADMIN), OSCARS_REQUEST),
    # A nomination's consent is its account owner's alone (a manager answers from /manage/).
    "sales:nomination-consent": dict.fromkeys((SALES, OWNER, MANAGER, ADMIN), OTTOS_NOMINATION),
    # The customer portal: no staff role gets in (the access matrix); a contact's ids are their
    # own, another contact's are a 404 (tests/portals/customer/test_history_pages.py and
    # test_preferences_pages.py).
    "customer:feedback": PORTAL,
    "customer:preferences-blackout-remove": PORTAL,
    "manage:request": PROGRAM,
    "insights:goal-delete": "the program's goals: every reference manager keeps all of them",
    **{
        name: {MANAGER: MOS_IMPORT, ADMIN: MOS_IMPORT}
        for name in ("manage:import-job", "manage:import-job-status", "manage:import-job-run")
    },
    "manage:nomination": PROGRAM,
    "manage:nomination-qualify": PROGRAM,
    "manage:nomination-consent": PROGRAM,
    "manage:nomination-accept": PROGRAM,
    "manage:nomination-decline": PROGRAM,
    "manage:request-act": PROGRAM,
    "manage:request-record": PROGRAM,
    "manage:request-brief": PROGRAM,
    "customer:ask": PORTAL,
    "customer:ask-accept": PORTAL,
    "customer:ask-decline": PORTAL,
    "manage:event": PROGRAM,
    # A marketer's campaign request is theirs: another marketer's (Mara's) is a 404.
    "content:campaign": {
        MARKETING: Other("other_campaign_request", ("Zephyr launch",)),
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    "content:campaign-act": {
        MARKETING: Other("other_campaign_request", ("Zephyr launch",)),
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    "content:campaign-cancel": {
        MARKETING: Other("other_campaign_request", ("Zephyr launch",)),
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    "content:campaign-feedback": {
        MARKETING: Other("other_campaign_request", ("Zephyr launch",)),
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    "content:event": SHARED_EVENTS,
    "content:event-record": SHARED_EVENTS,
    "content:event-cancel": SHARED_EVENTS,
    "sales:event-signup": "upcoming events are open to every rep; another's deal is refused by the form",
    "manage:account": PROGRAM,
    "manage:account-edit": PROGRAM,
    "manage:account-status": PROGRAM,
    "manage:account-retire": PROGRAM,
    "manage:account-owner": PROGRAM,
    "manage:contact": PROGRAM,
    "manage:contact-edit": PROGRAM,
    "manage:contact-status": PROGRAM,
    "manage:contact-retire": PROGRAM,
    "manage:erasure": PROGRAM,
    "manage:contact-give-back": PROGRAM,
    "manage:give-back-remove": PROGRAM,
    # The digest's recipients are the program's: any manager removes any (executives: 403).
    "insights:digest-remove": PROGRAM,
    # Tasks are personal except to the program, whose managers work every task.
    "tasks:complete": {
        SALES: OSCARS_TASK,
        OWNER: OTTOS_TASK,
        MARKETING: MARAS_TASK,
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    "tasks:reassign": {
        SALES: OSCARS_TASK,
        OWNER: OTTOS_TASK,
        MARKETING: MARAS_TASK,
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    "notifications:read": {
        SALES: notification_of("oscar"),
        OWNER: notification_of("otto"),
        MANAGER: notification_of("mo"),
        MARKETING: notification_of("mara"),
        ADMIN: notification_of("oscar"),
        EXECUTIVE: notification_of("oscar"),
    },
    # The API's request is the requester's own, for everyone (the program reads it elsewhere).
    "api-request": dict.fromkeys((SALES, OWNER, MANAGER, MARKETING, ADMIN), OSCARS_REQUEST),
    "api-request-transitions": {
        SALES: OSCARS_REQUEST,
        OWNER: OSCARS_REQUEST,
        MARKETING: OSCARS_REQUEST,
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    # The program's records (api/urls_program.py): the catalogue is shared, activities are the
    # program's; deals and notifications are each user's own.
    "api-account": "the shared catalogue: every role of the program reads every account",
    "api-contact": "the shared catalogue: every role reads every contact (email and phone aside)",
    "api-activity": PROGRAM,
    "api-opportunity": {
        SALES: OSCARS_DEAL,
        OWNER: OSCARS_DEAL,
        MARKETING: OSCARS_DEAL,
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    "api-notification-read": {
        SALES: notification_of("oscar"),
        OWNER: notification_of("otto"),
        MANAGER: notification_of("mo"),
        MARKETING: notification_of("mara"),
        ADMIN: notification_of("oscar"),
        EXECUTIVE: notification_of("oscar"),
    },
    "password_reset_confirm": "a signed token, not an object's id",
    # API keys are each user's own, the administrator's profile page included (the admin lists
    # every user's keys, behind its own door).
    "profile:key-revoke": dict.fromkeys(
        (SALES, OWNER, MANAGER, MARKETING, ADMIN),
        Other("other_api_key", ("Zephyr sync",), kwarg="prefix", attr="prefix"),
    ),
    # The flows' API (api/urls_flows.py): tasks are personal but to the program; nominations a
    # rep's own (Oscar's is nobody else's); events and the library are shared, as their pages.
    "api-task": {
        SALES: OSCARS_TASK,
        OWNER: OTTOS_TASK,
        MARKETING: MARAS_TASK,
        MANAGER: SEES_ALL,
        ADMIN: SEES_ALL,
    },
    "api-nomination": {SALES: OTTOS_NOMINATION, OWNER: OTTOS_NOMINATION, MANAGER: SEES_ALL, ADMIN: SEES_ALL},
    "api-event": "upcoming events are every staff role's; a rep reads only their own sign-ups",
    "api-event-signups": "upcoming events are open to every rep; another's deal is a 400 (test_flows_events)",
    "api-asset": "the shared library: every rep may open every published asset not under NDA",
    "api-asset-uses": "the shared library; a deal in the body must be the rep's own (test_flows_assets)",
    # CRM sync: the program's managers write the whole catalogue by the CRM's ids.
    "api-crm-account": "the CRM's external ids: reference managers sync the whole catalogue",
    "api-crm-contact": "the CRM's external ids: reference managers sync the whole catalogue",
    "api-crm-opportunity": "the CRM's external ids: reference managers sync the whole catalogue",
    # The content library is shared: every rep sees every published asset that is not under NDA
    # (NDA and unpublished ones are a 404, tests/portals/sales/test_content.py); a use naming
    # another rep's deal is refused there too.
    "sales:asset": "the shared library: every rep may open every published asset not under NDA",
    "sales:asset-use": "the shared library; a deal in the body must be the rep's own (test_content.py)",
    "shared:asset": "a signed link opens its asset for anyone while it is public (test_sharing.py)",
    "shared:asset-file": "a signed link opens its asset for anyone while it is public (test_sharing.py)",
} | {
    route.key: ADMIN_SITE for route in routes() if route.route.startswith("admin/") and route.takes_arguments
}

# What a POST carries: the body the owner of the object would send, so that a refusal must come
# from whose object it is, not from a missing field.
POST_DATA = {
    "sales:request-cancel": lambda world, role: {"reason": "Not needed any more."},
    "sales:request-feedback": lambda world, role: {"took_place": "on", "helpfulness": "5"},
    "sales:request-act": lambda world, role: {"action": "close", "note": "Done."},
    "sales:approval-answer": lambda world, role: {"action": "owner_approve", "note": "Fine by me."},
    "tasks:reassign": lambda world, role: {"assignee": world.users[PLAYED_BY[role]].pk},
    "api-request-transitions": lambda world, role: {"action": "cancel", "note": "Not needed."},
}

# Task pages answer htmx posts with the task's row: those are asked both ways.
HTMX_TOO = {"tasks:complete", "tasks:reassign"}
REFUSED = {LOGIN, ADMIN_LOGIN, 403}


def reaching_roles(key: str) -> set[str]:
    """The roles the access matrix lets past the door of `key` (a 404 or 405 means they got in)."""
    cells = TABLE[key].cells
    return {
        role for role in ROLES if role != ANON and any(not cells[method][role] <= REFUSED for method in cells)
    }


def _methods(key: str, role: str) -> list[str]:
    """The methods the route answers for this role (not only with 405)."""
    cells = TABLE[key].cells
    return [method for method in cells if cells[method][role] != frozenset({405})]


def _cases():
    for key, row in CROSS.items():
        if isinstance(row, str) or key not in TABLE:  # a stale row: test_every_id_route_has_a_row
            continue
        for role, other in row.items():
            if other == SEES_ALL:
                continue
            for method in _methods(key, role):
                for htmx in (False, True) if key in HTMX_TOO else (False,):
                    label = f"{key}-{method}-{role}{'-htmx' if htmx else ''}"
                    yield pytest.param(key, role, method, htmx, id=label)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from world_scope(django_db_blocker)


pytestmark = pytest.mark.xdist_group("security-world")


def test_every_id_route_has_a_row():
    """A new route taking an id fails here until its row says whose ids it takes."""
    keys = {route.key for route in routes() if route.takes_arguments}
    assert sorted(keys - CROSS.keys()) == [], "id-taking routes without a cross-user row"
    assert sorted(CROSS.keys() - keys) == [], "cross-user rows without a route"


def test_rows_name_every_role_that_gets_in():
    """Each row covers exactly the roles the access matrix lets in."""
    for key, row in CROSS.items():
        if not isinstance(row, str) and key in TABLE:
            assert set(row) == reaching_roles(key), key


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role", "method", "htmx"), list(_cases()))
def test_another_users_object_is_not_found(world: World, key, role, method, htmx):
    other = CROSS[key][role]
    target = getattr(world, other.name)
    path = reverse(key, kwargs={other.kwarg: getattr(target, other.attr)})
    headers = {"HX-Request": "true"} if htmx else {}
    data = POST_DATA[key](world, role) if method == "POST" and key in POST_DATA else {}
    response = getattr(world.client(role), method.lower())(path, data, headers=headers)
    assert response.status_code in (403, 404), f"{method} {path} as {role}: {response.status_code}"
    body = response.content.decode()
    texts = other.texts or (target.title,)
    shown = [text for text in texts if text in body]
    assert shown == [], f"{method} {path} as {role} shows {shown}"
