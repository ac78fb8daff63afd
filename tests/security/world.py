"""One small program for the access tests, built once per module, and the signed-in sessions of
the six roles the matrix tries.

The world holds an object for every id a URL takes, each owned by a named persona, and a second
object of the same kind owned by *another* user of the same role (the cross-user pass asks for
that one). Names that identify an object (a prospect, a customer, a person) are unique words
here, so a response body can be searched for them.

`world_scope` opens one transaction around the module's tests: the world is written once, every
test runs in its own savepoint inside it (pytest-django's `db`), and the whole world is rolled
back when the module ends, so no other test module sees it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.roles import Role
from customers.erasure.services import erasure_ask
from customers.models import GiveBack
from customers.statuses import GiveBackKind
from insights.models import DigestRecipient, GoalMetric, ProgramGoal, Team
from integrations.keys import api_key_create
from integrations.models import ImportJob
from limits.models import LimitOverride, LimitRule, LimitRun
from marketing.statuses import AssetKind
from notifications.kinds import Channel, Delivery
from notifications.message import Message
from notifications.models import Notification
from notifications.services import notify, preferences_save
from references.models import BlackoutPeriod, CurrencyRate
from references.services import ConsentSource, account_change_status, account_note_create, preferences_update
from references.statuses import ReferenceStatus
from requests_app.models import RequestStatus
from requests_app.services import nomination_submit
from tests.builders import catalogue
from tests.builders.library import make_asset, make_use
from tests.builders.marketing import grant_needed
from tests.builders.requests import drive_to, make_campaign_request, make_planned_event, make_request
from tests.builders.search import index, product
from tests.builders.webhooks import make_delivered, make_subscription
from workflows.models import Event, StaffCalendar, StepRole, Task
from workflows.nominations import nomination_qualify
from workflows.notices import TASK_DUE_SOON
from workflows.services import feedback_submit
from workflows.tasking import task_complete, task_reassign

# The roles of the matrix, and the persona who plays each one.
ROLES = ("anonymous", "sales", "owner", "manager", "marketing", "admin", "executive")
PLAYED_BY = {
    "sales": "sally",
    "owner": "olivia",
    "manager": "maria",
    "marketing": "mark",
    "admin": "root",
    "executive": "erin",
}


@dataclass
class World:
    users: dict[str, User]
    objects: dict[str, models.Model]
    sessions: dict[str, str] = field(default_factory=dict)
    first_pks: dict[type[models.Model], object] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def first_pk(self, model: type[models.Model]):
        """The id of `model`'s first row (the admin's rows ask for one of every model)."""
        if model not in self.first_pks:
            self.first_pks[model] = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        return self.first_pks[model]

    def client(self, role: str) -> Client:
        """A fresh client carrying `role`'s session (none for anonymous): a logout in one test
        cannot sign out the next."""
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _users() -> dict[str, User]:
    make = catalogue.make_user
    return {
        "sally": make("sally", Role.SALES, first_name="Sally", last_name="Seller"),
        "oscar": make("oscar", Role.SALES, first_name="Oscar", last_name="Other"),
        "olivia": make("olivia", Role.SALES, first_name="Olivia", last_name="Owner"),
        "otto": make("otto", Role.SALES, first_name="Otto", last_name="Otherowner"),
        "maria": make("maria", Role.MANAGER, first_name="Maria", last_name="Manager"),
        "mo": make("mo", Role.MANAGER, first_name="Mo", last_name="Second"),
        "mark": make("mark", Role.MARKETING, first_name="Mark", last_name="Marketer"),
        "mara": make("mara", Role.MARKETING, first_name="Mara", last_name="Othermarketer"),
        "root": make("root", is_superuser=True),
        "erin": make("erin", Role.EXECUTIVE, first_name="Erin", last_name="Executive"),
    }


def _catalogue(u: dict[str, User]) -> dict[str, models.Model]:
    globex = catalogue.make_account(u["olivia"], name="Globex Bank", products=[product("Analytics Cloud")])
    quokka = catalogue.make_account(u["otto"], name="Quokka Mutual", products=[product("Analytics Cloud")])
    make = catalogue.make_contact
    return {
        "account": globex,
        "contact": make(globex, first_name="Grace", last_name="Globex"),
        "contact_scheduled": make(globex, first_name="Gil", last_name="Globex"),
        "contact_done": make(globex, first_name="Gemma", last_name="Globex"),
        "other_account": quokka,
        "other_contact": make(quokka, first_name="Quentin", last_name="Quokka"),
        "other_contact_info": make(quokka, first_name="Quinn", last_name="Quokka"),
        "other_contact_press": make(
            quokka, first_name="Quincy", last_name="Quokka", activity_types=("press_interview",)
        ),
        "deal": catalogue.make_opportunity(u["sally"], prospect_name="Prospect Bank"),
        "other_deal": catalogue.make_opportunity(u["oscar"], prospect_name="Zephyr Freight"),
    }


def _requests(u: dict[str, User], o: dict[str, models.Model]) -> dict[str, models.Model]:
    """Sally's request waiting for Olivia (the owner); one of Sally's scheduled (to record); one
    completed with feedback; Oscar's waiting for Otto, Oscar's with a question for him and his
    press interview, whose briefing is marketing's work."""
    manager = u["maria"]

    def request(rep, contact, deal, status):
        return drive_to(make_request(rep, contact, opportunity=deal), status, contact, manager)

    made = {
        "request": request(u["sally"], o["contact"], o["deal"], RequestStatus.AWAITING_OWNER),
        "request_scheduled": request(u["sally"], o["contact_scheduled"], o["deal"], RequestStatus.SCHEDULED),
        "request_done": request(u["sally"], o["contact_done"], o["deal"], RequestStatus.COMPLETED),
        "other_request": request(
            u["oscar"], o["other_contact"], o["other_deal"], RequestStatus.AWAITING_OWNER
        ),
        "other_request_info": request(
            u["oscar"], o["other_contact_info"], o["other_deal"], RequestStatus.NEEDS_INFO
        ),
        "other_request_press": drive_to(
            make_request(
                u["oscar"], o["other_contact_press"], code="press_interview", opportunity=o["other_deal"]
            ),
            RequestStatus.CUSTOMER_ASKED,
            o["other_contact_press"],
            manager,
        ),
    }
    feedback_submit(request=made["request_done"], actor=u["sally"], took_place=True, helpfulness=5)
    # Campaign requests (no deal): Mark's and another marketer's (Mara's); a planned event.
    made["campaign_request"] = make_campaign_request(
        u["mark"], o["other_contact_press"], campaign="Mark's tour"
    )
    made["other_campaign_request"] = make_campaign_request(
        u["mara"], o["other_contact_press"], campaign="Zephyr launch"
    )
    made["planned_event"] = make_planned_event(u["mark"], o["contact"])
    return made


def _tasks(u: dict[str, User], o: dict[str, models.Model]) -> dict[str, Task]:
    """A task on the manager's list (recording Sally's scheduled call), and tasks of another rep
    (Oscar's question to answer), another owner (Otto's approval) and another marketer (Mara's
    press briefing, which the program gives her)."""
    open_tasks = Task.objects.open().order_by("pk")
    asked = open_tasks.get(request=o["other_request_press"], assignee_role=StepRole.MANAGER)
    task_complete(task_id=asked.pk, actor=u["maria"])  # the briefing step opens next
    press = open_tasks.get(request=o["other_request_press"], assignee_role=StepRole.MARKETING)
    task_reassign(task_id=press.pk, actor=u["maria"], assignee=u["mara"])
    return {
        "task": open_tasks.get(request=o["request_scheduled"], assignee=u["maria"]),
        "other_rep_task": open_tasks.get(request=o["other_request_info"], assignee=u["oscar"]),
        "other_owner_task": open_tasks.get(request=o["other_request"], assignee=u["otto"]),
        "other_marketing_task": open_tasks.get(pk=press.pk),
    }


def _notifications(u: dict[str, User]) -> dict[str, models.Model]:
    """An in-app notification of each persona (the workflow wrote most; the others are told of
    a task coming due), titled with the persona's name so a leak is visible."""
    for name in ("mark", "mara", "root"):
        notify(
            kind=TASK_DUE_SOON.code,
            key=f"security-world:{name}",
            message=Message(title=f"A task of {u[name].first_name} is due soon"),
            users=[u[name]],
        )
    inbox = Notification.objects.filter(channel=Channel.IN_APP).order_by("pk")
    return {f"notification_{name}": inbox.filter(user=user).first() for name, user in u.items()}


def _program(u: dict[str, User], o: dict[str, models.Model]) -> dict[str, models.Model]:
    """Rows the admin lists that the workflow does not write on its own."""
    candidate = catalogue.make_account(u["olivia"], name="Candidate Corp", status=ReferenceStatus.CANDIDATE)
    account_change_status(
        account=candidate, to_status=ReferenceStatus.ACTIVE, reason="Qualified.", actor=u["maria"]
    )
    event = Event.objects.create(
        title="Round table on fraud", activity_type=catalogue.activity_type(), occurred_on=date.today()
    )
    event.speakers.add(o["contact_done"])
    preferences_save(user=u["sally"], choices={TASK_DUE_SOON.code: Delivery.BOTH})
    LimitRun.objects.create(reached=1)
    willing = [catalogue.activity_type(), catalogue.activity_type("site_visit")]  # a consent entry
    preferences_update(
        contact=o["contact_done"], consent=ConsentSource.staff(u["maria"]), activity_types=willing
    )
    soon = date.today() + timedelta(days=90)
    return {
        "event": event,
        "nomination": nomination_submit(
            nominator=u["sally"], account=o["account"], contact_name="Nina Newcomer", reason="Loves us."
        ),
        **_nominations(u, o),
        "note": account_note_create(account=o["account"], body="Renewal in spring.", author=u["maria"]),
        "blackout": BlackoutPeriod.objects.create(
            contact=o["contact"], start=soon, end=soon + timedelta(days=7)
        ),
        "limit_rule": LimitRule.objects.create(account=o["account"], account_max=5, reason="Big customer."),
        "limit_override": LimitOverride.objects.create(
            contact=o["contact_done"],
            activity_type=catalogue.activity_type(),
            request=o["request_done"],
            limit="rest",
            refusal="Resting until next week.",
            reason="The CEO asked.",
            actor=u["maria"],
        ),
        "calendar": StaffCalendar.objects.create(user=u["maria"], country=catalogue.country()),
        "erasure": erasure_ask(contact=o["contact_done"]),
        # Spreadsheet imports are their uploader's: Maria's dry run found errors (so posting
        # "Import" is refused, not run), Mo's is another manager's.
        **{
            name: ImportJob.objects.create(
                user=u[user],
                filename=f"{user}-program.csv",
                content=b"account_name\nX\n",
                status=ImportJob.Status.INVALID,
                total_rows=1,
            )
            for name, user in (("import_job", "maria"), ("other_import_job", "mo"))
        },
        # On Grace's page, so the crawl of the forms finds its Remove button.
        "give_back": GiveBack.objects.create(
            contact=o["contact"],
            kind=GiveBackKind.PEER_EVENT,
            given_on=date.today(),
            recorded_by=u["maria"],
        ),
        **_sign_in_records(),
        "currency_rate": CurrencyRate.objects.order_by("pk").first()
        or CurrencyRate.objects.create(currency="EUR", per_usd=Decimal("0.9")),
    }


def _marketing(u: dict[str, User], o: dict[str, models.Model]) -> dict[str, models.Model]:
    """Mark's draft case study about Globex, Mara's published quote about Quokka (with the
    permission it needs), and a use of it on Sally's deal."""
    from marketing.models import AssetUse
    from marketing.statuses import AssetKind, AssetStatus, PermissionKind
    from tests.builders.marketing import grant, make_asset

    grant(o["other_account"], PermissionKind.QUOTE, u["mara"])
    quote = make_asset(
        u["mara"],
        accounts=[o["other_account"]],
        kind=AssetKind.QUOTE,
        title="Quokka quote",
        status=AssetStatus.PUBLISHED,
        approver=u["maria"],
    )
    return {
        "asset": make_asset(u["mark"], accounts=[o["account"]], title="Aurora case study"),
        "other_asset": quote,
        "asset_use": AssetUse.objects.create(asset=quote, used_by=u["sally"], opportunity=o["deal"]),
        "permission": grant(o["account"], PermissionKind.LOGO, u["mark"]),
    }


def _nominations(u: dict[str, User], o: dict[str, models.Model]) -> dict[str, models.Model]:
    """Nominations being qualified: Sally's at Olivia's account (Olivia's consent asked) and
    Oscar's at Otto's (Otto's consent asked)."""
    sallys = nomination_submit(
        nominator=u["sally"], account=o["account"], contact_name="Nell Nominee", reason="Presents well."
    )
    oscars = nomination_submit(
        nominator=u["oscar"], account=o["other_account"], contact_name="Otis Outsider", reason="Big fan."
    )
    for nomination in (sallys, oscars):
        nomination_qualify(nomination_id=nomination.pk, actor=u["maria"])
    return {"nomination_consent": sallys, "other_nomination_consent": oscars}


def _sign_in_records() -> dict[str, models.Model]:
    """django-axes' records of sign-ins, for a stranger's address (nobody in the world is locked)."""
    where = {
        "username": "stranger",
        "ip_address": "203.0.113.9",
        "user_agent": "curl",
        "path_info": "/login/",
    }
    return {
        "access_attempt": AccessAttempt.objects.create(
            **where, get_data="", post_data="", http_accept="*/*", failures_since_start=1
        ),
        "access_log": AccessLog.objects.create(**where, http_accept="*/*"),
        "access_failure_log": AccessFailureLog.objects.create(**where, http_accept="*/*"),
    }


def _library(u: dict[str, User], o: dict[str, models.Model]) -> dict[str, models.Model]:
    """Mark's published, public case study about Sally's customer (used once on her deal), which
    the customer permits (so its public link opens)."""
    grant_needed(o["account"], AssetKind.CASE_STUDY, u["mark"])
    asset = make_asset(u["mark"], title="Globex cuts fraud", accounts=[o["account"]])
    make_use(asset, u["sally"], opportunity=o["deal"])
    return {"library_asset": asset}


def _insights(u: dict[str, User]) -> dict[str, models.Model]:
    """A sales team, a goal of this quarter for it, and the executive receiving the digest (managers
    may remove her)."""
    team = Team.objects.create(name="Team North")
    team.members.set([u["sally"], u["olivia"]])
    today = date.today()
    goal = ProgramGoal.objects.create(
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        team=team,
        metric=GoalMetric.REQUESTS_FULFILLED,
        target=Decimal(10),
        set_by=u["maria"],
    )
    recipient = DigestRecipient.objects.create(user=u["erin"], added_by=u["maria"])
    return {"team": team, "goal": goal, "digest_recipient": recipient}


def _webhooks(u: dict[str, User]) -> dict:
    subscription = make_subscription(u["root"])
    return {"subscription": subscription, "delivery": make_delivered(subscription)}


def build_world() -> World:
    users = _users()
    objects = _catalogue(users)
    objects |= _requests(users, objects)
    objects |= _tasks(users, objects)
    objects |= _notifications(users)
    objects |= _program(users, objects)
    objects |= _marketing(users, objects)
    objects |= _library(users, objects)
    objects |= _webhooks(users)
    objects |= _api_keys(users)
    objects |= _insights(users)
    index()  # the usage rows, a limits run and the search index over the catalogue
    world = World(users=users, objects=objects)
    for role, name in PLAYED_BY.items():
        client = Client()
        client.force_login(users[name])
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return world


def _api_keys(u: dict[str, User]) -> dict[str, models.Model]:
    """Sally's API key (her profile page revokes it) and Oscar's, which nobody else may touch."""
    sallys, _ = api_key_create(user=u["sally"], name="Sally's script", scopes=["read"])
    oscars, _ = api_key_create(user=u["oscar"], name="Zephyr sync", scopes=["read", "write"])
    return {"api_key": sallys, "other_api_key": oscars}


# --- The routes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern of the site: `key` is its namespaced name, or its route when unnamed."""

    key: str
    route: str
    pattern: URLPattern

    @property
    def takes_arguments(self) -> bool:
        return bool(self.pattern.pattern.regex.groups)

    @property
    def view_class(self):
        callback = self.pattern.callback
        return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def routes() -> list[Route]:
    """Every URL pattern, the admin's and the API's included, walked from the root resolver."""

    def walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                key = ":".join((*namespaces, pattern.name)) if pattern.name else route
                yield Route(key, route, pattern)

    return list(walk(get_resolver(), "", ()))


def world_scope(django_db_blocker):
    """Build the world in a transaction that stays open while the module's tests run, and roll
    it back afterwards. The tests themselves use pytest-django's `db`: each runs in a savepoint
    of this transaction, so what one writes (an empty POST may still end a session or mark a
    notification read) is gone before the next."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
