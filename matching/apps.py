from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Search and ranking of references: match weights, the search index, scoring and facets."""

    name = "matching"
    verbose_name = "Matching and search"
