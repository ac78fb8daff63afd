"""API keys in the admin: an administrator makes a key for a user (shown once, on the answer to
the add), revokes keys with an action, and never sees a hash; reference managers do not get in
(the access matrix)."""

import re

import pytest
from django.urls import reverse

from integrations.keys import api_key_create
from integrations.models import ApiKey
from tests.api.keys_fixtures import key_client

pytestmark = pytest.mark.django_db


def test_a_key_made_in_the_admin_is_shown_once(client, admin_user, sales_rep):
    client.force_login(admin_user)
    data = {
        "user": sales_rep.pk,
        "name": "Nightly export",
        "scopes": ["read"],
        "expiry_date_0": "",
        "expiry_date_1": "",
    }

    made = client.post(reverse("admin:integrations_apikey_add"), data)

    key = ApiKey.objects.get(user=sales_rep)
    raw_key = re.search(r'<code id="new-key">([^<]+)</code>', made.content.decode()).group(1)
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    assert raw_key.startswith(key.prefix + ".")
    assert key_client(raw_key).get("/api/tasks/").status_code == 200
    change = client.get(reverse("admin:integrations_apikey_change", args=[key.pk])).content.decode()
    listed = client.get(reverse("admin:integrations_apikey_changelist")).content.decode()
    for page in (change, listed):
        assert raw_key not in page and key.hashed_key not in page.replace(key.pk, "")
        assert "Nightly export" in page


def test_the_admin_refuses_crm_sync_for_a_rep_and_a_past_expiry(client, admin_user, sales_rep):
    client.force_login(admin_user)
    url = reverse("admin:integrations_apikey_add")
    crm = {
        "user": sales_rep.pk,
        "name": "CRM",
        "scopes": ["crm_sync"],
        "expiry_date_0": "",
        "expiry_date_1": "",
    }
    past = {**crm, "scopes": ["read"], "expiry_date_0": "2001-01-01", "expiry_date_1": "10:00:00"}

    for data in (crm, past):
        assert client.post(url, data).status_code == 200  # the form again, with its error
    assert not ApiKey.objects.exists()


def test_the_revoke_action_revokes_through_the_service(client, admin_user, sales_rep, other_rep):
    first, first_raw = api_key_create(user=sales_rep, name="One", scopes=["read"])
    second, _ = api_key_create(user=other_rep, name="Two", scopes=["read"])
    client.force_login(admin_user)

    client.post(
        reverse("admin:integrations_apikey_changelist"),
        {"action": "revoke", "_selected_action": [first.pk]},
    )

    revoked = ApiKey.objects.get(pk=first.pk)
    assert revoked.revoked and revoked.revoked_at is not None
    assert not ApiKey.objects.get(pk=second.pk).revoked
    assert key_client(first_raw).get("/api/tasks/").status_code == 401


def test_a_key_is_renamed_but_not_unrevoked_in_the_admin(client, admin_user, sales_rep):
    key, _ = api_key_create(user=sales_rep, name="Old name", scopes=["read"])
    ApiKey.objects.filter(pk=key.pk).update(revoked=True, revoked_at=key.created)
    client.force_login(admin_user)

    client.post(
        reverse("admin:integrations_apikey_change", args=[key.pk]), {"name": "New name", "revoked": ""}
    )

    saved = ApiKey.objects.get(pk=key.pk)
    assert saved.name == "New name" and saved.revoked and saved.scopes == ["read"]
