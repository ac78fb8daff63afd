from tests.customers.broker import broker  # noqa: F401 - a fixture
