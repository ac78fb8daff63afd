"""Who may call the API: the portals' role policy (core.roles), as DRF permissions."""

from rest_framework import permissions

from core.roles import Role, has_role


class SalesRole(permissions.BasePermission):
    """Signed-in staff with the Sales or Reference manager role (superusers always)."""

    message = "Your role does not give access to the sales API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and (
            has_role(user, Role.SALES) or has_role(user, Role.MANAGER)
        )


class RequesterRole(permissions.BasePermission):
    """Who asks for references: sales reps (for deals), marketing (for campaigns), reference
    managers (both); superusers always."""

    message = "Your role does not give access to the requests API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and any(
            has_role(user, role) for role in (Role.SALES, Role.MANAGER, Role.MARKETING)
        )


class StaffRole(permissions.BasePermission):
    """Signed-in staff with any role of the program."""

    message = "Your role does not give access to the workflow API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and any(has_role(user, role) for role in Role)
