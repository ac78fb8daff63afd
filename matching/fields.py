"""A list-of-ids column that works on both supported databases.

On PostgreSQL it is a real `integer[]` (GIN-indexable, `&&` overlap, `unnest`); elsewhere (SQLite)
it is a JSON array in a text column, read with `json_each`. The search SQL in `matching.sql`
knows both forms; nothing else filters on these columns.
"""

import json
from collections.abc import Iterable

from django.db import models


class IdListField(models.Field):
    """A sorted list of distinct integer ids."""

    description = "Sorted list of integer ids"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def db_type(self, connection) -> str:
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        ids = normalize_ids(value)
        return ids if connection.vendor == "postgresql" else json.dumps(ids)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value) -> list[int]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = json.loads(value)
        return normalize_ids(value)


def normalize_ids(values: Iterable) -> list[int]:
    return sorted({int(value) for value in values})
