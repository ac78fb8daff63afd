"""Chainable queryset methods for the catalogue: who may see what starts here."""

from django.db import models
from django.db.models import Q

from core.roles import Role, user_roles
from references.statuses import USABLE_STATUSES


class AccountQuerySet(models.QuerySet):
    def usable_as_reference(self) -> "AccountQuerySet":
        """Accounts that may be offered: never defected, at risk, retired or paused."""
        return self.filter(status__in=USABLE_STATUSES, at_risk=False)

    def visible_to(self, user) -> "AccountQuerySet":
        """Program staff see every account; others none."""
        if user.is_superuser or user_roles(user) & {Role.MANAGER, Role.MARKETING, Role.SALES}:
            return self
        return self.none()


class ContactQuerySet(models.QuerySet):
    def offerable(self) -> "ContactQuerySet":
        """Contacts that search may offer: active or resting, not opted out or self-paused,
        at an account that is itself usable."""
        return self.filter(
            status__in=USABLE_STATUSES,
            preferences__opted_out=False,
            preferences__paused_by_contact=False,
            account__status__in=USABLE_STATUSES,
            account__at_risk=False,
        )


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OpportunityQuerySet":
        """A rep sees the deals they own or are on the team of; managers see all."""
        if user.is_superuser or Role.MANAGER in user_roles(user):
            return self
        return self.filter(Q(owner=user) | Q(team=user)).distinct()
