"""`{% facet_column page.facets %}` and `{% result_cards page.cards detail_query %}`: the search
page's long lists, built in Python (`portals.sales.search_html` says why)."""

from django import template

from portals.sales import search_html

register = template.Library()

register.simple_tag(search_html.facet_column, name="facet_column")
register.simple_tag(search_html.result_cards, name="result_cards")
