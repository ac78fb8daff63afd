"""What the portals' page tests share."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


@pytest.fixture
def base_queries(client, manager):
    """What every signed-in page costs before its own content: session, user, the user's groups
    (roles) and the navigation's counts (My tasks, notifications). Measured on a bare page."""
    client.force_login(manager)
    with CaptureQueriesContext(connection) as bare:
        client.get(reverse("no-role"))
    return len(bare.captured_queries)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
