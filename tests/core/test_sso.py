"""Staff sign in through an OpenID Connect provider (a real one on 127.0.0.1 signing real RS256
ID tokens): they land with the roles its claim names, tokens that are not exactly right sign
nobody in, and an email the provider did not verify never reaches an existing account."""

from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth.models import Group, User

from core.models import SsoIdentity
from core.roles import Role
from tests.builders import catalogue as factories
from tests.builders.oidc_provider import TAMPERINGS

SSO_BUTTON = "Sign in with single sign-on"


def sso_sign_in(client, start: str = "/sso/authenticate/"):
    """Click the button, let the provider approve, come back to the callback; follow to the end."""
    started = client.get(start)
    assert started.status_code == 302
    at_provider = requests.get(started["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/sso/callback/"
    return client.get(f"{back.path}?{back.query}", follow=True)


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def roles_of(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_without_an_issuer_there_is_no_button_and_the_sso_urls_are_404(client, db, settings):
    settings.OIDC_ISSUER = None
    assert SSO_BUTTON not in client.get("/login/").content.decode()
    assert client.get("/sso/authenticate/").status_code == 404
    assert client.get("/sso/callback/?code=x&state=y").status_code == 404


def test_the_sign_in_page_offers_single_sign_on_when_configured(client, oidc_provider):
    page = client.get("/login/?next=/sales/requests/").content.decode()
    assert SSO_BUTTON in page
    assert 'href="/sso/authenticate/?next=/sales/requests/"' in page


@pytest.mark.parametrize(
    ("group", "role", "landing", "staff"),
    [
        ("rms-sales", Role.SALES, "/sales/", False),
        ("rms-managers", Role.MANAGER, "/manage/", True),
        ("rms-marketing", Role.MARKETING, "/content/", False),
    ],
)
def test_a_staff_user_signs_in_and_lands_with_the_role_the_claim_names(
    client, oidc_provider, group, role, landing, staff
):
    oidc_provider.sign_in_as(
        "emp-1001", email="pat@vendor.test", groups=[group, "all-staff"], given_name="Pat", family_name="Lee"
    )
    response = sso_sign_in(client)

    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200
    user = signed_in_user(client)
    assert roles_of(user) == {role.value}
    assert user.is_staff is staff
    assert not user.is_superuser
    assert (user.email, user.get_full_name()) == ("pat@vendor.test", "Pat Lee")
    assert not user.has_usable_password()
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (oidc_provider.issuer, "emp-1001")


def test_a_claim_value_rms_does_not_know_gives_no_role(client, oidc_provider):
    oidc_provider.sign_in_as("emp-1002", email="quinn@vendor.test", groups=["rms-admins", "Sales"])
    response = sso_sign_in(client)

    assert response.redirect_chain[-1][0] == "/no-role/"
    assert response.status_code == 403
    user = signed_in_user(client)
    assert roles_of(user) == set()
    assert not user.is_staff


def test_roles_follow_the_claim_at_every_sign_in_and_other_groups_stay(client, oidc_provider):
    oidc_provider.sign_in_as("emp-1003", email="robin@vendor.test", groups=["rms-managers"])
    sso_sign_in(client)
    user = signed_in_user(client)
    newsletter = Group.objects.create(name="Newsletter editors")
    user.groups.add(newsletter)
    client.logout()

    # Moved to sales at the provider, with a new email: the same RMS user, by subject.
    oidc_provider.sign_in_as("emp-1003", email="robin.new@vendor.test", groups=["rms-sales"])
    response = sso_sign_in(client)

    assert response.redirect_chain[-1][0] == "/sales/"
    assert signed_in_user(client) == user
    user.refresh_from_db()
    assert roles_of(user) == {Role.SALES.value, "Newsletter editors"}
    assert not user.is_staff
    assert user.email == "robin.new@vendor.test"
    client.logout()

    # The provider takes every RMS group away: no role left.
    oidc_provider.sign_in_as("emp-1003", email="robin.new@vendor.test", groups=[])
    assert sso_sign_in(client).redirect_chain[-1][0] == "/no-role/"
    assert roles_of(user) == {"Newsletter editors"}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_a_token_that_is_not_exactly_right_signs_nobody_in(client, oidc_provider, tampering):
    oidc_provider.sign_in_as("emp-1004", email="sam@vendor.test", groups=["rms-sales"])
    oidc_provider.tamper = tampering
    users_before = User.objects.count()

    response = sso_sign_in(client)

    assert response.redirect_chain[-1][0] == "/login/"
    assert "Single sign-on did not sign you in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    assert not SsoIdentity.objects.exists()


def test_a_verified_email_links_the_existing_user_on_the_first_sign_in(client, oidc_provider, sales_rep):
    oidc_provider.sign_in_as("emp-1005", email="SALLY@vendor.test", groups=["rms-sales", "rms-marketing"])
    response = sso_sign_in(client)

    assert response.redirect_chain[-1][0] == "/content/"
    assert signed_in_user(client) == sales_rep
    assert roles_of(sales_rep) == {Role.SALES.value, Role.MARKETING.value}
    assert SsoIdentity.objects.get(subject="emp-1005").user == sales_rep
    assert sales_rep.check_password("pw")  # the local password stays


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_unverified_email_never_reaches_an_existing_user(client, oidc_provider, manager, verified):
    oidc_provider.sign_in_as("attacker", email=manager.email, email_verified=verified, groups=["rms-sales"])
    sso_sign_in(client)

    newcomer = signed_in_user(client)
    assert newcomer != manager
    assert newcomer.email == ""  # not kept either: a later verified sign-in must not find it
    assert roles_of(newcomer) == {Role.SALES.value}
    assert not SsoIdentity.objects.filter(user=manager).exists()
    assert roles_of(manager) == {Role.MANAGER.value}


def test_sso_never_signs_in_a_superuser(client, oidc_provider, admin_user):
    oidc_provider.sign_in_as("emp-1006", email=admin_user.email, groups=["rms-managers"])
    response = sso_sign_in(client)

    assert response.redirect_chain[-1][0] == "/login/"
    assert "_auth_user_id" not in client.session
    assert not SsoIdentity.objects.exists()
    admin_user.refresh_from_db()
    assert admin_user.is_superuser and roles_of(admin_user) == set()


def test_a_new_user_gets_a_username_of_their_own(client, oidc_provider, sales_rep):
    oidc_provider.sign_in_as(
        "emp-1007", email="sally@elsewhere.test", email_verified=False, preferred_username="sally"
    )
    sso_sign_in(client)
    newcomer = signed_in_user(client)
    assert newcomer != sales_rep
    assert newcomer.username == "sally-2"


def test_a_callback_used_twice_or_forged_signs_nobody_in(client, oidc_provider):
    oidc_provider.sign_in_as("emp-1008", email="tess@vendor.test", groups=["rms-sales"])
    started = client.get("/sso/authenticate/")
    back = requests.get(started["Location"], allow_redirects=False, timeout=10).headers["Location"]
    callback = urlsplit(back)
    client.get(f"{callback.path}?{callback.query}")
    client.logout()

    replayed = client.get(f"{callback.path}?{callback.query}", follow=True)
    forged = client.get("/sso/callback/?code=made-up&state=made-up", follow=True)

    for response in (replayed, forged):
        assert response.redirect_chain[-1][0] == "/login/"
    assert "_auth_user_id" not in client.session


def test_the_page_asked_for_before_sign_in_is_where_the_user_lands(client, oidc_provider):
    oidc_provider.sign_in_as("emp-1009", email="uma@vendor.test", groups=["rms-sales"])
    response = sso_sign_in(client, start="/sso/authenticate/?next=/sales/requests/")
    assert response.redirect_chain[-1][0] == "/sales/requests/"


def test_an_unreachable_provider_sends_back_to_the_password_form(client, db, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # discard port: nothing answers
    response = client.get("/sso/authenticate/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/"
    assert "Single sign-on is unavailable right now" in response.content.decode()


def test_passwords_still_work_when_sso_is_configured(client, oidc_provider, sales_rep):
    response = client.post("/login/?code=x&state=y", {"username": "sally", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == "/sales/"
    assert signed_in_user(client) == sales_rep


def test_password_sign_in_of_a_superuser_is_untouched(client, oidc_provider, admin_user):
    factories.make_user("break-glass", is_superuser=True)
    response = client.post("/login/", {"username": "break-glass", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"


def test_the_roles_claim_can_sit_inside_an_object(client, oidc_provider, settings):
    settings.OIDC_ROLES_CLAIM = "realm_access.roles"
    oidc_provider.sign_in_as("emp-1010", email="val@vendor.test", realm_access={"roles": ["rms-marketing"]})
    assert sso_sign_in(client).redirect_chain[-1][0] == "/content/"


def test_a_deactivated_user_is_signed_out_and_cannot_sign_in_again(client, oidc_provider):
    oidc_provider.sign_in_as("emp-1011", email="wes@vendor.test", groups=["rms-sales"])
    sso_sign_in(client)
    user = signed_in_user(client)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert client.get("/sales/")["Location"].startswith("/login/")  # the open session ends
    response = sso_sign_in(client)

    assert response.redirect_chain[-1][0] == "/login/"
    assert client.get("/sales/")["Location"].startswith("/login/")


def test_a_malformed_signing_key_at_the_provider_signs_nobody_in(client, oidc_provider):
    """A key the JWT library cannot even load (its errors are not token errors) is a refusal."""
    oidc_provider.sign_in_as("emp-1010", email="kim@vendor.test", groups=["rms-sales"])
    broken = {"kty": "RSA", "kid": oidc_provider.kid, "alg": "RS256", "use": "sig", "n": "AA", "e": "AA"}
    oidc_provider.jwks = lambda: {"keys": [broken]}

    response = sso_sign_in(client)

    assert response.redirect_chain[-1][0] == "/login/"
    assert "_auth_user_id" not in client.session
    assert not SsoIdentity.objects.exists()
