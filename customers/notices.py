"""What customers' actions tell the program's people: a contact asked to be erased."""

from core.dates import day_text
from core.links import url_or
from customers.models import ErasureRequest
from notifications.kinds import Delivery, Kind, register
from notifications.message import Message
from notifications.services import notify
from workflows.querysets import request_managers

ERASURE_REQUESTED = Kind(
    "erasure_requested", "A contact asked to be erased (to reference managers)", default=Delivery.BOTH
)


def register_kinds() -> None:
    register([ERASURE_REQUESTED])


def erasure_requested(erasure: ErasureRequest) -> None:
    """Tell the reference managers, once per erasure request (its key)."""
    contact = erasure.contact
    message = Message(
        title=f"{contact.full_name} ({contact.account.name}) asked to be erased",
        body=f"Carry out the erasure by {day_text(erasure.due_on)}: it is on My tasks.",
        link=url_or("manage:erasure", "/tasks/", erasure.pk),
    )
    notify(
        kind=ERASURE_REQUESTED.code, key=f"erasure:{erasure.pk}", message=message, users=request_managers()
    )
