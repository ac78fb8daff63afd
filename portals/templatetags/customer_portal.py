from django import template

from portals.customer.nav import portal_nav as pages_of
from references import words

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_nav(context):
    return pages_of(context["request"])


@register.filter
def activity_name(activity_type) -> str:
    return words.activity_name(activity_type)


@register.filter
def activity_noun(activity_type) -> str:
    return words.activity_noun(activity_type)
