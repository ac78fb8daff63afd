"""Paths of pages by URL name, for messages written far from any view (emails, notifications)."""

from django.urls import NoReverseMatch, reverse


def url_or(name: str, fallback: str, *args) -> str:
    """reverse(name), or `fallback` while the page does not exist in this deployment."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback
