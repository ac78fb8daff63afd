"""What a notification says, before it is written for each recipient."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A one-line title, a short text, and the path of the page it is about."""

    title: str
    body: str = ""
    link: str = ""
