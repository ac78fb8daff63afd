"""Roles are Django groups; this module names them and says where each one lands."""

from enum import StrEnum

from django.urls import reverse


class Role(StrEnum):
    SALES = "Sales"
    MANAGER = "Reference manager"
    MARKETING = "Marketing"
    # Leadership: reads the program's insights, works in no portal.
    EXECUTIVE = "Executive"


# The roles that work in the portals; an executive only reads the program's insights.
PROGRAM_ROLES = (Role.SALES, Role.MANAGER, Role.MARKETING)

# The portal each role lands on after sign-in, most powerful role first.
PORTAL_HOME = [
    (Role.MANAGER, "manage:home"),
    (Role.MARKETING, "content:home"),
    (Role.SALES, "sales:home"),
    (Role.EXECUTIVE, "insights:home"),
]


def user_roles(user) -> set[Role]:
    """The roles of a signed-in user (cached on the user object for the request)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_rms_roles", None)
    if cached is None:
        names = {group.name for group in user.groups.all()}
        cached = {role for role in Role if role.value in names}
        user._rms_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return user.is_superuser or role in user_roles(user)


def may_use_admin(user) -> bool:
    """Whether `user` may enter the Django admin: active superusers, and active staff who run the
    program (reference managers). Sales and marketing work in their portals, even with `is_staff`
    set by mistake."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and Role.MANAGER in user_roles(user))


def home_url_for(user) -> str:
    """Where a user lands after signing in."""
    roles = user_roles(user)
    for role, url_name in PORTAL_HOME:
        if role in roles:
            return reverse(url_name)
    if user.is_superuser:
        return reverse("admin:index")
    return reverse("no-role")


def role_label(user) -> str:
    roles = user_roles(user)
    if roles:
        return ", ".join(sorted(role.value for role in roles))
    return "Administrator" if user.is_superuser else "No role"


def users_with_role(role: Role):
    """The active users holding `role` (its group), in id order."""
    from django.contrib.auth.models import User

    return User.objects.filter(is_active=True, groups__name=role.value).order_by("pk")


# Who may own a customer account, and so answer the requests to use it.
ACCOUNT_OWNER_ROLES = (Role.SALES, Role.MANAGER)


def users_with_roles(*roles: Role):
    """The active users holding any of `roles` (every program role when none is given), by name."""
    from django.contrib.auth.models import User

    names = [role.value for role in (roles or PROGRAM_ROLES)]
    return (
        User.objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("first_name", "username", "pk")
    )
