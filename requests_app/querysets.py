"""Chainable queryset methods for requests and nominations: who may see what starts here."""

from django.db import models

from core.roles import Role, user_roles
from requests_app.statuses import OPEN_STATUSES


def _sees_all(user) -> bool:
    return user.is_superuser or Role.MANAGER in user_roles(user)


class ReferenceRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferenceRequestQuerySet":
        """Reference managers see every request; anyone else the requests they made."""
        if _sees_all(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(requester=user)

    def open(self) -> "ReferenceRequestQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def with_open_first(self) -> "ReferenceRequestQuerySet":
        """Annotate `closed_rank`: 0 for an open request, 1 for a finished one, so a list can put
        the requests still in play before those that are done."""
        rank = models.Case(
            models.When(status__in=OPEN_STATUSES, then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        )
        return self.annotate(closed_rank=rank)


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NominationQuerySet":
        """Reference managers see every nomination; anyone else the ones they made."""
        if _sees_all(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(nominated_by=user)
