"""The one way templates write dates (a builtin: no `{% load %}` needed).

`{{ value|day }}` → "20 Dec 2026"; `{{ value|moment }}` → "20 Dec 2026, 17:00" in the reader's zone;
`{{ value|moment:"zone" }}` adds the zone's abbreviation ("… 17:00 CET"); `{% time_zone %}` names
the zone times are shown in. Machine-readable values (`<time datetime>`) keep `|date:"c"`."""

from django import template

from core.dates import day_text, moment_text, zone_text

register = template.Library()


@register.filter
def day(value) -> str:
    return day_text(value) if value else ""


@register.filter
def moment(value, arg: str = "") -> str:
    return moment_text(value, with_zone=arg == "zone") if value else ""


@register.simple_tag
def time_zone() -> str:
    return zone_text()
