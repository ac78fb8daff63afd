"""Who may see and share which asset, and which permissions hold today: every page, download and
export starts here."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.roles import Role, user_roles
from marketing.statuses import AssetStatus, PermissionState, UsageRights


def works_the_library(user) -> bool:
    """Marketing and the reference managers keep the library: they see every asset in every state."""
    return user.is_authenticated and (
        user.is_superuser or bool({Role.MARKETING, Role.MANAGER} & user_roles(user))
    )


class AssetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssetQuerySet":
        """The library's keepers see everything; a sales rep sees published assets that are public
        or internal only, never one under NDA; anyone else nothing."""
        if works_the_library(user):
            return self
        if user.is_authenticated and Role.SALES in user_roles(user):
            return self.published().filter(usage_rights__in=(UsageRights.PUBLIC, UsageRights.INTERNAL))
        return self.none()

    def published(self) -> "AssetQuerySet":
        return self.filter(status=AssetStatus.PUBLISHED)

    def shareable(self) -> "AssetQuerySet":
        """What may leave the company through a link a rep sends: published and public only."""
        return self.published().filter(usage_rights=UsageRights.PUBLIC)


class AccountPermissionQuerySet(models.QuerySet):
    def in_force(self, on: date | None = None) -> "AccountPermissionQuerySet":
        """Grants that hold on `on` (today): granted, and not past their expiry."""
        on = on or timezone.localdate()
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on), state=PermissionState.GRANTED)


def library_keepers():
    """The users who may own an asset (and keep the library): active marketing users, reference
    managers and administrators, by name."""
    from django.contrib.auth.models import User

    keepers = Q(groups__name__in=[Role.MARKETING.value, Role.MANAGER.value]) | Q(is_superuser=True)
    return User.objects.filter(keepers, is_active=True).distinct().order_by("first_name", "username", "pk")
