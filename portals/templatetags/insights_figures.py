"""How an insights figure reads: `{{ value|figure:"money" }}` → "$1,234,567"."""

from django import template

from portals.insights.tables import COUNT, DAYS, HOURS, MONEY, PERCENT

register = template.Library()


@register.filter
def figure(value, kind: str = "text") -> str:
    if value is None or value == "":
        return "—"
    if kind == MONEY:
        return f"${round(value):,}"
    if kind == COUNT:
        return f"{int(value):,}"
    if kind == PERCENT:
        return f"{float(value):.1f} %"
    if kind == DAYS:
        return f"{float(value):.1f} d"
    if kind == HOURS:
        return f"{float(value):.1f} h"
    return str(value)
