"""Django admin for the reference catalogue, one module per part of it.

Changelists load their foreign keys with `list_select_related` and their many-to-many columns with
one prefetch or annotation, so a page costs the same number of queries however many rows it shows.
A reference status is never edited as a field: it changes only through the "Change status" action
or button (`status.py`), which asks for a reason and calls references.services, so every change is
in the history.

Importing the modules registers their admins (Django's autodiscovery imports this package).
"""

from references.admin import accounts, consent, contacts, deals_and_activities, status, taxonomies

__all__ = ["accounts", "consent", "contacts", "deals_and_activities", "status", "taxonomies"]
