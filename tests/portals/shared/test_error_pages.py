"""The error pages: styled like the portals, each with a way back (the user's own portals, the
sign-in page), and the favicon browsers ask for on every page."""

import re

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

from core.roles import Role
from tests.builders import catalogue

pytestmark = pytest.mark.django_db


def links(response) -> set[str]:
    return set(re.findall(r'<a class="button[^"]*" href="([^"]+)"', response.content.decode()))


def test_marketing_opening_sales_gets_the_styled_403_with_a_way_to_their_own_portal(client):
    client.force_login(catalogue.make_user("mark", Role.MARKETING))

    response = client.get("/sales/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is not for your role" in page and 'href="/static/css/rms.css"' in page
    assert "Your role does not give access to this page." in page
    assert links(response) == {"/content/", "/login/"}


def test_an_expired_form_is_a_styled_403(sales_rep):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sales_rep)

    response = client.post("/sales/opportunities/new/", {})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert links(response) == {"/sales/", "/login/"}


def test_a_missing_page_is_a_styled_404_with_the_way_home(client, sales_rep):
    client.force_login(sales_rep)

    response = client.get("/sales/requests/999999/")

    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()
    assert links(response) == {"/sales/", "/login/"}


def test_a_missing_page_for_someone_signed_out_offers_the_sign_in(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()
    assert links(response) == {"/login/"}


@pytest.mark.urls("tests.portals.shared.boom_urls")
def test_a_failing_page_is_the_styled_500(sales_rep):
    client = Client(raise_request_exception=False)
    client.force_login(sales_rep)

    response = client.get("/boom/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and 'href="/static/css/rms.css"' in page
    assert links(response) == {"/", "/login/"}


@pytest.mark.django_db(databases=[])
def test_the_500_page_renders_without_a_database_or_request_context():
    """Django renders it with an empty context; no query may run (the database may be down)."""
    response = defaults.server_error(RequestFactory().get("/anything/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_favicon_is_there(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_every_page_names_its_icon(client, sales_rep):
    client.force_login(sales_rep)

    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/sales/").content.decode()
