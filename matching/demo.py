"""Demo data for search: build the search index once every other seeder has run.

`matching` comes after the catalogue, requests and workflows in INSTALLED_APPS, so the index sees
the final catalogue and every activity the demo recorded.
"""

import time

from core.demo_pipeline import DemoContext
from matching.indexing import search_index_rebuild


def seed(ctx: DemoContext) -> None:
    started = time.perf_counter()
    stats = search_index_rebuild()
    ctx.log(
        f"  search index: {stats.entries:,} references at {stats.documents:,} accounts "
        f"in {time.perf_counter() - started:.1f} s"
    )
