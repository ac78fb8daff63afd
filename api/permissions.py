"""Who may call the API: the portals' role policy (core.roles) as DRF permissions, and, for a
call made with an API key, the key's scopes.

Every permission of the API derives from `SignedIn`, so a key's scopes are checked on every
endpoint (tests/api/test_keys.py walks them): `read` for GET, `write` for the other methods, and
the scope a view names in `key_scope` (the CRM's upserts: `crm_sync`) instead when it names one.
"""

from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from core.roles import PROGRAM_ROLES, Role, has_role
from integrations.models import ApiKey, KeyScope


def scope_needed(request, view) -> str:
    named = getattr(view, "key_scope", None)
    if named:
        return named
    return KeyScope.READ if request.method in permissions.SAFE_METHODS else KeyScope.WRITE


class SignedIn(permissions.BasePermission):
    """A signed-in user, or an API key whose scopes allow this call."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if isinstance(request.auth, ApiKey):
            needed = scope_needed(request, view)
            if not request.auth.allows(needed):
                raise PermissionDenied(f"This API key does not have the “{needed}” scope.")
        return self.role_allows(user)

    def role_allows(self, user) -> bool:
        return True


class SalesRole(SignedIn):
    """Staff with the Sales or Reference manager role (superusers always)."""

    message = "Your role does not give access to the sales API."

    def role_allows(self, user) -> bool:
        return has_role(user, Role.SALES) or has_role(user, Role.MANAGER)


class RequesterRole(SignedIn):
    """Who asks for references: sales reps (for deals), marketing (for campaigns), reference
    managers (both); superusers always."""

    message = "Your role does not give access to the requests API."

    def role_allows(self, user) -> bool:
        return any(has_role(user, role) for role in (Role.SALES, Role.MANAGER, Role.MARKETING))


class StaffRole(SignedIn):
    """Staff with any role of the program."""

    message = "Your role does not give access to this part of the API."

    def role_allows(self, user) -> bool:
        return any(has_role(user, role) for role in PROGRAM_ROLES)


class ManagerRole(SignedIn):
    """Reference managers (superusers always): program-wide data and the CRM's upserts."""

    message = "Only reference managers may use this part of the API."

    def role_allows(self, user) -> bool:
        return has_role(user, Role.MANAGER)


class ContentRole(SignedIn):
    """Marketing and reference managers (superusers always): the content library's keepers."""

    message = "Your role does not give access to the content API."

    def role_allows(self, user) -> bool:
        return has_role(user, Role.MARKETING) or has_role(user, Role.MANAGER)
