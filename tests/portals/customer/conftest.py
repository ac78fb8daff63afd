"""Fixtures of the customer portal tests: an in-memory broker (tests/customers/broker.py)."""

from tests.customers.broker import broker  # noqa: F401 - a fixture
