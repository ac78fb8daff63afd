"""A manager signs in through single sign-on in Chromium: the button, the local provider, back to
the manager portal with the role its claim names."""

import pytest

from core.models import SsoIdentity
from tests.builders.oidc_provider import oidc_provider, oidc_server  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_manager_clicks_single_sign_on_and_lands_in_the_manager_portal(page, oidc_provider):  # noqa: F811
    oidc_provider.sign_in_as(
        "emp-2001", email="ria@vendor.test", groups=["rms-managers"], given_name="Ria", family_name="Rao"
    )
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with single sign-on").click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith("/manage"))

    assert "Ria Rao" in page.locator(".whoami").inner_text()
    assert "Reference manager" in page.locator(".role-badge").inner_text()
    assert SsoIdentity.objects.get(subject="emp-2001").user.is_staff
    assert page.js_errors == []
