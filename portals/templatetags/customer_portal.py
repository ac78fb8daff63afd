from django import template

from portals.customer.nav import portal_nav as pages_of

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_nav(context):
    return pages_of(context["request"])
