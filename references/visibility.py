"""Who may see which part of the catalogue, said once.

The querysets' `visible_to(user)` methods (`references.querysets`) read these rules, and every
front end starts from them: the portals' selectors, the API and the admin (its changelists, change
forms, inlines, autocomplete and CSV export, `references.admin.visibility`).

- Program staff (any role) see the accounts and contacts a search or a nomination shows.
- Reference managers (and administrators) run the program: they see everything in the catalogue,
  the account notes and status history, activities, preferences, blackouts and every deal.
- A contact's email and phone go to reference managers only; a sales rep reads them on an approved
  request (`requests_app.selectors.released_contact_details`), never from the catalogue.
- A deal goes to its owner, its deal team and the managers (`OpportunityQuerySet.visible_to`).
"""

from core.roles import PROGRAM_ROLES, Role, user_roles

# The contact fields only `sees_contact_details` users may read (list, form, search, export).
CONTACT_DETAIL_FIELDS = ("email", "phone")


def is_program_staff(user) -> bool:
    """Signed in with a role of the program (or an administrator)."""
    return user.is_authenticated and (user.is_superuser or bool(user_roles(user) & set(PROGRAM_ROLES)))


def runs_the_program(user) -> bool:
    """A reference manager or an administrator: sees the whole catalogue."""
    return user.is_authenticated and (user.is_superuser or Role.MANAGER in user_roles(user))


def sees_contact_details(user) -> bool:
    """Whether `user` may read a contact's email and phone in the catalogue."""
    return runs_the_program(user)
