"""`manage.py rebuild_search_index`: rebuild the reference search index from the catalogue.

A rebuild rewrites every row of the index, so it ends by analyzing the index's tables (a refresh
of what changed writes few rows and leaves that to autovacuum).
"""

import time

from django.core.management.base import BaseCommand

from matching.indexing import analyze_index, search_index_rebuild, search_index_refresh_changed


class Command(BaseCommand):
    help = "Rebuild the reference search index (or, with --changed, refresh what changed since the last run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--changed", action="store_true", help="Only re-index what changed since the last refresh."
        )

    def handle(self, *args, changed: bool = False, **options):
        started = time.perf_counter()
        stats = search_index_refresh_changed() if changed else search_index_rebuild()
        if not changed:
            analyze_index()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Search index: {stats.documents:,} account documents, {stats.entries:,} reference entries "
            f"in {elapsed:.1f} s."
        )
