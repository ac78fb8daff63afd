import pytest


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
