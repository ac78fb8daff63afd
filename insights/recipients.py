"""Who receives the monthly executive digest: reference managers add and remove recipients, each a
manager or an executive (the readers of the program's figures)."""

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from core.errors import InvalidInput
from core.roles import users_with_roles
from insights.digest import RECIPIENT_ROLES
from insights.models import DigestRecipient


def eligible_users():
    """Active managers and executives who do not receive the digest yet, by name."""
    return users_with_roles(*RECIPIENT_ROLES).exclude(pk__in=DigestRecipient.objects.values("user_id"))


def recipients_listed():
    """The recipients, with their users, by name (the page's list)."""
    return DigestRecipient.objects.select_related("user").order_by("user__first_name", "user__username", "pk")


def recipient_add(*, user: User, actor: User) -> DigestRecipient:
    """Add `user` to the digest's recipients; refused unless they are an active manager or
    executive not on the list yet."""
    if not users_with_roles(*RECIPIENT_ROLES).filter(pk=user.pk).exists():
        raise InvalidInput("Only a reference manager or an executive receives the digest.", field="user")
    try:
        with transaction.atomic():
            return DigestRecipient.objects.create(user=user, added_by=actor)
    except IntegrityError:  # added meanwhile by someone else: they receive it, as asked
        return DigestRecipient.objects.get(user=user)


def recipient_remove(*, recipient: DigestRecipient) -> None:
    """Stop sending the digest to this recipient (a removed row is a no-op)."""
    DigestRecipient.objects.filter(pk=recipient.pk).delete()
