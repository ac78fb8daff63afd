"""Every kind of notification: what it is called and how it is delivered unless a user chooses.

Kinds are registered by the app that raises them (workflows: the request events and task
reminders; limits: the limit changes; insights: the weekly digest), from its AppConfig.ready(),
so this app never imports the apps above it. Notifications owns only the daily digest, which is
itself the delivery of held notifications. Writing a notification of a kind nobody registered is
a programming error (`kind`, below).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models


class Channel(models.TextChoices):
    """Where a notification is delivered."""

    EMAIL = "email", "Email"
    IN_APP = "in_app", "In the app"


class Delivery(models.TextChoices):
    """How a staff user wants one kind of notification."""

    BOTH = "both", "Email and in the app"
    EMAIL = "email", "Email only"
    IN_APP = "in_app", "In the app only"
    DIGEST = "digest", "In the app, and a daily email digest"
    NONE = "none", "Not at all"


@dataclass(frozen=True)
class Kind:
    """One kind of notification: its code (stored on each row), its label, and its delivery for
    users who did not choose (everything in the app, and email for what needs an answer)."""

    code: str
    label: str
    default: Delivery = Delivery.BOTH
    choosable: bool = True  # whether users set a preference for it

    def __str__(self) -> str:
        return self.code


DAILY_DIGEST = Kind(
    "daily_digest", "Daily digest of held notifications", default=Delivery.EMAIL, choosable=False
)

_REGISTERED: dict[str, Kind] = {}


def register(kinds: Iterable[Kind]) -> None:
    """Make `kinds` known; registering the same kind again is harmless, a different one under a
    code already taken is refused."""
    for new in kinds:
        known = _REGISTERED.setdefault(new.code, new)
        if known != new:
            raise ImproperlyConfigured(f"Notification kind “{new.code}” is registered twice, differently.")


register([DAILY_DIGEST])


def kind(code: str) -> Kind:
    """The registered kind of `code`."""
    try:
        return _REGISTERED[str(code)]
    except KeyError:
        raise ImproperlyConfigured(
            f"Unknown notification kind “{code}”: the app that raises it registers it in ready()."
        ) from None


def label(code: str) -> str:
    """The kind's label, or the code itself for a row of a kind no longer registered."""
    found = _REGISTERED.get(str(code))
    return found.label if found else str(code)


def default_for(code: str) -> Delivery:
    """The kind's default delivery; in the app and by email for a row of a kind no longer registered."""
    found = _REGISTERED.get(str(code))
    return found.default if found else Delivery.BOTH


def choosable() -> list[Kind]:
    """Kinds a staff user may set a preference for, in the order they were registered."""
    return [k for k in _REGISTERED.values() if k.choosable]


def channels_for(delivery: str) -> tuple[str, ...]:
    """The channels of a delivery choice: both for both; a digest holds the email (and shows in the app)."""
    return {
        Delivery.BOTH: (Channel.EMAIL, Channel.IN_APP),
        Delivery.EMAIL: (Channel.EMAIL,),
        Delivery.IN_APP: (Channel.IN_APP,),
        Delivery.DIGEST: (Channel.EMAIL, Channel.IN_APP),
        Delivery.NONE: (),
    }[Delivery(delivery)]
