"""Template filters that put words on workflow codes (no queries), and the limits its forms accept."""

from django import template

from core.text import REASON_MAX_LENGTH
from requests_app.models import RequestStatus
from workflows.transitions import past_tense

register = template.Library()


@register.filter
def action_words(action: str) -> str:
    """The past tense of a history row's action: "approved", "escalated"…"""
    return past_tense(action)


@register.filter
def status_label(status: str) -> str:
    try:
        return RequestStatus(status).label
    except ValueError:
        return status or "—"


@register.filter
def person(user, empty: str = "") -> str:
    """A user's full name, else their username; `empty` when there is no user."""
    if user is None:
        return empty
    return user.get_full_name() or user.username


@register.filter
def event_actor(event, empty: str = "System") -> str:
    """Who took a history row's action: a staff user, the customer from their portal, or `empty`."""
    if event.actor_id is None and event.actor_contact_id is not None:
        return f"{event.actor_contact.full_name} (the customer)"
    return person(event.actor, empty)


@register.simple_tag
def reason_max_length() -> int:
    """The longest reason the transition form takes, for the fields' `maxlength`."""
    return REASON_MAX_LENGTH
