"""Delivering webhook messages (the webhooks helper fills this in)."""
