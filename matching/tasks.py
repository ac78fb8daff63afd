"""Celery tasks keeping the search index current: thin interfaces over matching.indexing."""

from dataclasses import asdict

from celery import shared_task

from matching import indexing


@shared_task(name="matching.refresh_search_index", acks_late=True, ignore_result=True)
def refresh_search_index() -> dict[str, int]:
    """Every minute: re-index what changed since the last run. Two runs at once take turns."""
    return asdict(indexing.search_index_refresh_changed())


@shared_task(name="matching.rebuild_search_index", acks_late=True, ignore_result=True)
def rebuild_search_index() -> dict[str, int]:
    """Nightly: rebuild everything (picks up renamed taxonomies and moved countries)."""
    stats = indexing.search_index_rebuild()
    indexing.analyze_index()
    return asdict(stats)
