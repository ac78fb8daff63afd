"""Twenty browsers posting one magic link at the same instant, on PostgreSQL: one session."""

import pytest
from django.test import Client
from django.urls import reverse

from customers.links import portal_link_mint, sign_in_lifetime
from customers.models import PortalLink, PortalSession
from tests.builders import catalogue as factories
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 20


def test_twenty_simultaneous_posts_of_one_token_start_exactly_one_session(account_owner, settings):
    contact = factories.make_contact(factories.make_account(account_owner))
    token = portal_link_mint(contact=contact, next_path="/portal/asks/1/", lifetime=sign_in_lifetime())
    url = reverse("customer:link", kwargs={"token": token})

    responses = race([lambda: Client().post(url) for _ in range(THREADS)])

    statuses = sorted(getattr(response, "status_code", response) for response in responses)
    assert statuses == [302] + [410] * (THREADS - 1), statuses
    [signed_in] = [response for response in responses if response.status_code == 302]
    assert signed_in["Location"] == "/portal/asks/1/" and signed_in.cookies[settings.PORTAL_COOKIE].value
    assert PortalSession.objects.filter(contact=contact).count() == 1


def test_links_minted_at_once_for_one_contact_leave_exactly_one_usable(account_owner):
    contact = factories.make_contact(factories.make_account(account_owner))

    tokens = race(
        [
            lambda: portal_link_mint(contact=contact, next_path="/portal/", lifetime=sign_in_lifetime())
            for _ in range(8)
        ]
    )

    assert all(isinstance(token, str) for token in tokens), tokens
    assert PortalLink.objects.filter(contact=contact, cancelled_at__isnull=True).count() == 1
