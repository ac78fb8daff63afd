"""Admin searches that an index answers: at 100,000 accounts and 300,000 contacts, Django's default
(`icontains` on every search field) reads every row of the table for each search.

What a reference manager types, and what answers it on PostgreSQL (migration references 0009):

- the start of a name, in any case (`^name` in `search_fields`: `UPPER(name) LIKE 'GLOB%'`), read
  from an expression index on `UPPER(name)` with `text_pattern_ops`, the operator class that
  serves prefix LIKE whatever the database's collation;
- a whole email address (`=email`: `UPPER(email) = UPPER('…')`), an index on `UPPER(email)`;
- the start of a related row's name (`account__starts` on contacts, `register_starts`): the ids
  of the related rows that match, looked up first, then the row's own foreign-key index. A
  condition on a joined table inside the search's OR would have PostgreSQL scan the table.

SQLite (a development database) answers the same searches by scanning.
"""

from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import Field, ForeignKey, Lookup, Q

from core.dialect import Dialect


class RelatedStartsWith(Lookup):
    """`<foreign key>__starts=term`: the related row's `prefix_fields` (one of them) start with
    `term`, in any case. The related ids are computed once (`Dialect.in_rows`), so the foreign
    key's index is read; no join."""

    lookup_name = "starts"
    prepare_rhs = False  # the term is text, not a value of the key
    prefix_fields: tuple[str, ...] = ()

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        related = self.lhs.output_field.related_model
        starts = [(f"{name}__istartswith", self.rhs) for name in self.prefix_fields]
        condition = Q.create(starts, connector=Q.OR)
        ids = related._base_manager.filter(condition).order_by().values("pk").query
        ids.bump_prefix(compiler.query)  # its own table aliases, apart from the outer query's
        select, select_params = ids.get_compiler(connection=connection).as_sql()
        return Dialect.current(connection).in_rows(column, select), (*params, *select_params)


def register_starts(field: Field, *prefix_fields: str) -> None:
    """Let `search_fields` name `<field>__starts`, matching the start of the related row's
    `prefix_fields` (on this field only, not on every foreign key)."""
    assert isinstance(field, ForeignKey), field
    name = f"{field.model.__name__}{field.name.title()}Starts"
    field.register_lookup(type(name, (RelatedStartsWith,), {"prefix_fields": prefix_fields}))


def as_phrase(search_term: str) -> str:
    """The search box's text as one quoted phrase, which Django's admin search does not split into
    words: "globex co" is the start of one name, not two names' starts."""
    phrase = " ".join(search_term.split())
    if not phrase:
        return ""
    escaped = phrase.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def is_search(request) -> bool:
    """Whether `request` searches: a changelist's search box, or an autocomplete's typed text."""
    return any(request.GET.get(name, "").strip() for name in (SEARCH_VAR, "term"))
