"""The profile page: a staff user makes an API key (shown once, on the answer to the POST, never
cached, never shown again), sees their own keys only, and revokes one after confirming."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.keys import api_key_create
from integrations.models import ApiKey
from tests.api.keys_fixtures import key_client

pytestmark = pytest.mark.django_db
PROFILE = "/profile/"


def _make(client, **fields):
    data = {"name": "CRM bridge", "scopes": ["read"], "days": "", "expires_on": "", **fields}
    return client.post(PROFILE, data)


def test_a_new_key_is_shown_once_and_works(client, sales_rep):
    client.force_login(sales_rep)

    made = _make(client, scopes=["read", "write"])

    key = ApiKey.objects.get(user=sales_rep)
    page = made.content.decode()
    raw_key = page.split('<code id="new-key" class="secret">')[1].split("</code>")[0]
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    assert raw_key.startswith(key.prefix + ".") and "shown only this once" in page
    assert key.scopes == ["read", "write"] and key.name == "CRM bridge"
    assert key_client(raw_key).get("/api/tasks/").status_code == 200
    # Never again: not on the list, not on the revoke page, not in the row.
    for later in (client.get(PROFILE), client.get(reverse("profile:key-revoke", args=[key.prefix]))):
        assert raw_key not in later.content.decode() and key.prefix in later.content.decode()
    assert raw_key not in str(ApiKey.objects.filter(pk=key.pk).values().get())


def test_the_key_expires_after_the_default_days_or_on_the_day_chosen(client, settings, sales_rep):
    settings.API_KEY_DEFAULT_DAYS = 90
    client.force_login(sales_rep)
    _make(client, name="Default")
    _make(client, name="Thirty", days="30")
    day = timezone.localdate() + timedelta(days=10)
    _make(client, name="Dated", days="30", expires_on=day.isoformat())

    expiries = {key.name: key.expiry_date for key in ApiKey.objects.filter(user=sales_rep)}
    now = timezone.now()
    assert abs(expiries["Default"] - (now + timedelta(days=90))) < timedelta(minutes=1)
    assert abs(expiries["Thirty"] - (now + timedelta(days=30))) < timedelta(minutes=1)
    assert timezone.localtime(expiries["Dated"]).date() == day + timedelta(days=1)  # through that day


@pytest.mark.parametrize(
    "fields",
    [{"days": "731"}, {"days": "0"}, {"expires_on": "2001-01-01"}, {"scopes": []}, {"name": ""}],
    ids=["too-long", "zero", "past", "no-scope", "no-name"],
)
def test_a_key_the_form_refuses_is_not_made(client, sales_rep, fields):
    client.force_login(sales_rep)
    response = _make(client, **fields)
    assert response.status_code == 400
    assert 'id="new-key"' not in response.content.decode()
    assert not ApiKey.objects.exists()


def test_crm_sync_is_offered_to_managers_only(client, sales_rep, manager):
    client.force_login(sales_rep)
    assert 'value="crm_sync"' not in client.get(PROFILE).content.decode()
    assert _make(client, scopes=["read", "crm_sync"]).status_code == 400  # posted anyway: refused
    assert not ApiKey.objects.exists()

    client.force_login(manager)
    assert 'value="crm_sync"' in client.get(PROFILE).content.decode()
    assert _make(client, scopes=["crm_sync"]).status_code == 200
    assert ApiKey.objects.get(user=manager).scopes == ["crm_sync"]


def test_the_page_lists_only_your_own_keys(client, sales_rep, other_rep, admin_user):
    api_key_create(user=sales_rep, name="Sally's sync", scopes=["read"])
    api_key_create(user=other_rep, name="Oscar's sync", scopes=["read"])

    for user, mine, theirs in ((sales_rep, "Sally's", "Oscar's"), (admin_user, None, "Sally's")):
        client.force_login(user)
        page = client.get(PROFILE).content.decode()
        assert (mine is None or mine in page.replace("&#x27;", "'")) and theirs not in page.replace(
            "&#x27;", "'"
        )


def test_revoking_asks_first_then_refuses_the_key_at_once(client, sales_rep):
    key, raw_key = api_key_create(user=sales_rep, name="Old script", scopes=["read"])
    client.force_login(sales_rep)
    url = reverse("profile:key-revoke", args=[key.prefix])

    asked = client.get(url)
    assert asked.status_code == 200 and not ApiKey.objects.get(pk=key.pk).revoked

    done = client.post(url)

    assert done.status_code == 302 and done["Location"] == PROFILE
    assert ApiKey.objects.get(pk=key.pk).revoked
    assert key_client(raw_key).get("/api/tasks/").status_code == 401
    assert "revoked" in client.get(PROFILE).content.decode()


def test_another_users_key_cannot_be_revoked(client, sales_rep, other_rep, manager):
    key, _ = api_key_create(user=other_rep, name="Oscar's sync", scopes=["read"])
    for user in (sales_rep, manager):
        client.force_login(user)
        assert client.post(reverse("profile:key-revoke", args=[key.prefix])).status_code == 404
    assert not ApiKey.objects.get(pk=key.pk).revoked


def test_the_header_links_to_the_profile(client, marketer):
    client.force_login(marketer)
    assert f'href="{PROFILE}"' in client.get(reverse("notifications:list")).content.decode()


@pytest.mark.parametrize("keys", [3, 30])
def test_the_page_costs_the_same_with_few_or_many_keys(
    client, sales_rep, base_queries, keys, django_assert_max_num_queries
):
    for n in range(keys):
        api_key_create(user=sales_rep, name=f"Key {n}", scopes=["read"])
    client.force_login(sales_rep)
    # The signed-in page's own (base_queries), plus the keys' one query.
    with django_assert_max_num_queries(base_queries + 1):
        assert client.get(PROFILE).status_code == 200
