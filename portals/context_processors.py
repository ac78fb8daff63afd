"""Template context every page needs: the signed-in user's role and portal links."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from core.roles import PROGRAM_ROLES, Role, has_role, may_use_admin, role_label, user_roles
from notifications.selectors import unread_count
from workflows.selectors import task_counts


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    links = []
    if has_role(user, Role.SALES):
        links.append(("Sales", reverse("sales:home")))
    if has_role(user, Role.MANAGER):
        links.append(("Manage", reverse("manage:home")))
    if has_role(user, Role.MARKETING):
        links.append(("Content", reverse("content:home")))
    if has_role(user, Role.MANAGER) or has_role(user, Role.EXECUTIVE):
        links.append(("Insights", reverse("insights:home")))
    if may_use_admin(user):
        links.append(("Admin", reverse("admin:index")))
    context = {
        "portal_links": links,
        "role_label": role_label(user),
        # The bell: one COUNT, run only when the page shows it.
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
    if user.is_superuser or user_roles(user) & set(PROGRAM_ROLES):
        # My tasks in the navigation: one aggregate query (open and late counts), run only
        # when the page shows it (admin pages don't).
        context["task_counts"] = SimpleLazyObject(lambda: task_counts(user))
        context["profile_url"] = reverse("profile:home")  # their API keys, in the header
    return context
