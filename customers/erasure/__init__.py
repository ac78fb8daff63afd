"""Erasing a contact's personal data at their request: the plan (where it lives) and the services."""
