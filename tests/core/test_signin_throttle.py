"""Sign-in throttling (django-axes with core.signin): after 5 failures a user, after 20 an address,
is refused, even with the right password, until 15 minutes after the last failure; admins unlock.
However many attempts arrive at once, no more passwords are checked than the limits allow."""

import threading
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F, Sum
from django.test import Client

from tests.builders import catalogue as factories
from tests.concurrency import race

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username: str, password: str, *, url: str = "/login/", ip: str = ATTACKER):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, username: str, times: int, **where) -> list[int]:
    return [sign_in(client, username, "wrong", **where).status_code for _ in range(times)]


def cool_off_passes() -> None:
    """Fifteen minutes and a second go by since every recorded failure."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=15, seconds=1))


def failures_of(username: str) -> int:
    return AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0


def test_after_five_wrong_passwords_the_right_one_is_refused_until_the_cool_off_passes(client, sales_rep):
    assert fail(client, "sally", 4) == [200] * 4
    assert sign_in(client, "sally", "wrong").status_code == 429  # the fifth locks

    sixth = sign_in(client, "sally", "pw")

    assert sixth.status_code == 429
    assert "Too many failed sign-ins, try again in 15 minutes" in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    cool_off_passes()
    assert sign_in(client, "sally", "pw").status_code == 302
    assert client.session["_auth_user_id"] == str(sales_rep.pk)


def test_the_lock_holds_from_any_address_and_an_attempt_while_locked_restarts_the_cool_off(client, sales_rep):
    fail(client, "sally", 5)
    assert sign_in(Client(), "sally", "pw", ip=ELSEWHERE).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))

    page = sign_in(client, "sally", "pw")

    assert page.status_code == 429
    assert "try again in 15 minutes" in page.content.decode()
    assert page["Retry-After"] == "900"
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    assert sign_in(client, "sally", "pw").status_code == 429
    cool_off_passes()
    assert sign_in(client, "sally", "pw").status_code == 302


def test_a_successful_sign_in_clears_the_users_failures(client, sales_rep):
    fail(client, "sally", 4)
    assert sign_in(client, "sally", "pw").status_code == 302
    client.post("/logout/")

    assert fail(client, "sally", 4) == [200] * 4


def test_the_locked_page_is_the_same_for_an_unknown_username(sales_rep):
    known, unknown = Client(), Client()
    fail(known, "sally", 5)
    fail(unknown, "nosuchuser", 5, ip=ELSEWHERE)

    pages = [sign_in(known, "sally", "pw"), sign_in(unknown, "nosuchuser", "pw", ip=ELSEWHERE)]

    assert [page.status_code for page in pages] == [429, 429]
    assert pages[0].content == pages[1].content
    assert b"sally" not in pages[0].content


def test_admin_sign_in_locks_a_superuser_after_five_failures_until_the_cool_off(client, admin_user):
    fail(client, "root", 5, url="/admin/login/")

    refused = sign_in(client, "root", "pw", url="/admin/login/")

    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.content.decode()
    assert client.get("/admin/").status_code == 302  # not signed in
    cool_off_passes()
    assert sign_in(client, "root", "pw", url="/admin/login/").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_failures_on_the_admin_and_the_portal_sign_in_add_up(client, sales_rep):
    fail(client, "sally", 3, url="/admin/login/")
    fail(client, "sally", 2)

    assert sign_in(client, "sally", "pw").status_code == 429


def test_an_address_guessing_many_usernames_is_locked_for_everyone(client, sales_rep):
    for n in range(19):
        assert sign_in(client, f"user{n}", "wrong").status_code == 200
    assert sign_in(client, "user19", "wrong").status_code == 429  # the twentieth

    assert sign_in(client, "sally", "pw").status_code == 429
    assert sign_in(Client(), "sally", "pw", ip=ELSEWHERE).status_code == 302


def test_signing_in_to_ones_own_account_does_not_reset_the_address(client, sales_rep):
    for n in range(19):
        sign_in(client, f"user{n}", "wrong")
    assert sign_in(client, "sally", "pw").status_code == 302
    client.post("/logout/")

    assert sign_in(client, "user19", "wrong").status_code == 429


def test_an_admin_unlocks_a_user_in_the_admin(client, sales_rep, admin_user):
    fail(client, "sally", 5)
    admin = Client()
    admin.force_login(admin_user)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "sally" in listing.content.decode()

    admin.post(
        "/admin/axes/accessattempt/",
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert sign_in(client, "sally", "pw").status_code == 302


def test_axes_reset_username_unlocks_from_the_command_line(client, sales_rep):
    fail(client, "sally", 5)

    call_command("axes_reset_username", "sally")

    assert sign_in(client, "sally", "pw").status_code == 302


class TicketBackend:
    """Stands in for a password-less backend (the staff single sign-on): a ticket names the user."""

    def authenticate(self, request, ticket=None):
        return User.objects.filter(username=ticket).first() if ticket else None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id).first()


def test_a_password_less_backend_is_neither_gated_nor_counted(client, settings, rf, sales_rep):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, f"{__name__}.TicketBackend"]
    fail(client, "sally", 20)  # the user and the address are locked
    request = rf.get("/oidc/callback/", REMOTE_ADDR=ATTACKER)
    rows = AccessAttempt.objects.count()

    assert authenticate(request, ticket="sally") == sales_rep
    assert authenticate(request, ticket="") is None
    assert AccessAttempt.objects.count() == rows and failures_of("sally") == 20


def test_a_client_cannot_dodge_the_address_limit_with_a_forged_forwarded_for(client, sales_rep):
    for n in range(20):
        client.post(
            "/login/",
            {"username": f"user{n}", "password": "wrong"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    assert sign_in(client, "sally", "pw").status_code == 429


class Burst:
    """Simultaneous sign-ins, and every password check they make, in the order the checks end.

    A check first waits until each attempt of the burst has either reached its own check or been
    answered: no check ends, and so no failure is recorded by it, before the gate has decided on
    every attempt. That is the worst case of a real burst, made certain."""

    def __init__(self, size: int):
        self.size, self.checking, self.answered = size, 0, 0
        self.checks: list[bool] = []  # True: the right password
        self.turn = threading.Condition()

    def sign_in(self, username: str, password: str, ip: str = ATTACKER):
        try:
            return Client().post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
        finally:
            with self.turn:
                self.answered += 1
                self.turn.notify_all()

    def check(self, verify) -> bool:
        with self.turn:
            self.checking += 1
            self.turn.notify_all()
            self.turn.wait_for(lambda: self.checking + self.answered >= self.size, timeout=60)
        matched = verify()
        with self.turn:
            self.checks.append(matched)
        return matched


BURST = Burst(0)


class BurstHasher(MD5PasswordHasher):
    """The test hasher, reporting each password check to the running burst."""

    algorithm = "md5-burst"

    def verify(self, password, encoded):
        return BURST.check(lambda: MD5PasswordHasher.verify(self, password, encoded))


@pytest.fixture
def burst(settings):
    """Twelve sign-ins at once; passwords set from here on are checked through BURST."""
    global BURST
    BURST = Burst(12)
    settings.PASSWORD_HASHERS = [f"{__name__}.BurstHasher"]
    return BURST


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_burst_of_guesses_gets_at_most_five_passwords_checked_and_the_right_one_no_later(burst):
    factories.make_user("sally")
    passwords = ["wrong"] * 11 + ["pw"]

    responses = race([lambda password=password: burst.sign_in("sally", password) for password in passwords])

    assert all(not isinstance(response, Exception) for response in responses), responses
    checks = list(burst.checks)
    assert len(checks) <= 5, checks  # without the fix, all twelve
    signed_in = [response for response in responses if response.status_code == 302]
    assert len(signed_in) == checks.count(True)  # only a checked right password signs in
    assert sum(response.status_code == 429 for response in responses) >= len(passwords) - len(checks)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_burst_of_wrong_passwords_is_counted_in_full_and_locks_the_user_until_an_admin_unlocks(burst):
    factories.make_user("sally")

    responses = race([lambda: burst.sign_in("sally", "wrong") for _ in range(12)])

    assert all(not isinstance(response, Exception) for response in responses), responses
    assert len(burst.checks) <= 5 and not any(burst.checks)
    assert failures_of("sally") == 12  # the refused attempts count too
    assert sign_in(Client(), "sally", "pw", ip=ELSEWHERE).status_code == 429
    call_command("axes_reset_username", "sally")
    assert sign_in(Client(), "sally", "pw", ip=ELSEWHERE).status_code == 302


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_colleagues_signing_in_at_once_from_one_office_address_all_get_in_and_leave_no_count(burst):
    for n in range(12):
        factories.make_user(f"colleague{n}")

    responses = race([lambda n=n: burst.sign_in(f"colleague{n}", "pw") for n in range(12)])

    assert [getattr(response, "status_code", response) for response in responses] == [302] * 12
    assert burst.checks == [True] * 12
    assert not AccessAttempt.objects.exists()
