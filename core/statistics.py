"""Fresh planner statistics after a large write.

PostgreSQL's autovacuum analyzes a table some time after a tenth of it changed; until then the
planner plans with the old figures (after `seed_demo` and a search index rebuild, a rare-word page
took 188 ms instead of 7 ms). Whatever rewrites much of a table at once therefore analyzes it
itself, at the end: `seed_demo`, `rebuild_search_index` and the limits job's large runs.

`ANALYZE` may run inside a transaction on both databases (unlike `VACUUM`): rows the transaction
wrote are sampled, and the statistics are visible to others once it commits. SQLite keeps them in
`sqlite_stat1`.
"""

from collections.abc import Iterable

from django.db import connections
from django.db.models import Model


def analyzable(models: Iterable[type[Model]]) -> list[str]:
    """The tables of `models` that hold rows of their own (not proxies, not unmanaged), once each."""
    tables = (model._meta.db_table for model in models if model._meta.managed and not model._meta.proxy)
    return list(dict.fromkeys(tables))


def analyze(*models: type[Model], using: str = "default") -> list[str]:
    """Refresh the planner's statistics of `models`' tables; returns the tables analyzed."""
    tables = analyzable(models)
    connection = connections[using]
    names = [connection.ops.quote_name(table) for table in tables]
    if connection.vendor == "postgresql" and names:
        statements = [f"ANALYZE {', '.join(names)}"]
    else:  # SQLite analyzes one table (or all of them) per statement
        statements = [f"ANALYZE {name}" for name in names]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return tables
