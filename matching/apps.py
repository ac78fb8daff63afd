from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Search and ranking of references: match weights, the search index, scoring and facets."""

    name = "matching"
    verbose_name = "Matching and search"

    def ready(self) -> None:
        from core.health import register_probe
        from matching.loaded import readiness_problem

        # /readyz says when this process serves an older search index than the one published.
        register_probe("search_index", readiness_problem)
