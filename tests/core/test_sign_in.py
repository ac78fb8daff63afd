"""Staff sign in on our own pages and land on their portal; password reset works by email."""

import re

import pytest
from django.core import mail

from core.roles import Role
from tests.builders import catalogue as factories


def sign_in(client, username: str, password: str = "pw"):
    return client.post("/login/", {"username": username, "password": password}, follow=True)


@pytest.mark.parametrize(
    ("role", "landing"),
    [(Role.SALES, "/sales/"), (Role.MANAGER, "/manage/"), (Role.MARKETING, "/content/")],
)
def test_each_role_lands_on_its_portal_home_with_a_navigation_shell(client, db, role, landing):
    user = factories.make_user("person", role, first_name="Robin", last_name="Rolle")
    response = sign_in(client, user.username)
    assert response.redirect_chain[-1][0] == landing
    page = response.content.decode()
    assert "Robin Rolle" in page
    assert role.value in page
    assert 'action="/logout/"' in page


def test_superuser_without_a_role_lands_in_admin(client, admin_user):
    response = sign_in(client, admin_user.username)
    assert response.redirect_chain[-1][0] == "/admin/"


def test_wrong_password_shows_a_form_error_and_signs_nobody_in(client, sales_rep):
    response = sign_in(client, sales_rep.username, "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, sales_rep):
    sign_in(client, sales_rep.username)
    response = client.post("/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/"
    assert client.get("/sales/").status_code == 302


@pytest.mark.parametrize("url", ["/sales/", "/manage/", "/content/"])
def test_portals_send_anonymous_visitors_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={url}")


def test_a_role_cannot_open_another_roles_portal(client, sales_rep):
    client.force_login(sales_rep)
    assert client.get("/manage/").status_code == 403
    assert client.get("/content/").status_code == 403


def test_non_staff_user_cannot_reach_admin(client, outsider):
    client.force_login(outsider)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/references/account/").status_code == 302


def test_user_without_role_is_told_so(client, outsider):
    client.force_login(outsider)
    response = client.get("/", follow=True)
    assert response.status_code == 403
    assert "no RMS role" in response.content.decode()


def test_password_reset_by_email_sets_a_new_password(client, sales_rep):
    response = client.post("/password-reset/", {"email": sales_rep.email}, follow=True)
    assert response.redirect_chain[-1][0] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "a-much-longer-pass-42", "new_password2": "a-much-longer-pass-42"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/password-reset/done/"
    assert sign_in(client, sales_rep.username, "a-much-longer-pass-42").redirect_chain[-1][0] == "/sales/"
