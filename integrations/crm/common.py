"""What the three upserts share: the batch's problems by item, the lookups loaded once per
batch, and the planner and writer that turn items into created, updated or unchanged rows.

A batch is read in a fixed number of queries whatever its size: each taxonomy once, the owners
named once, the rows with the batch's external ids once (locked: the batch is one
transaction), their many-to-many ids once per field. It is checked whole before anything is
written: every item at fault is named (`BatchInvalid`), and a batch with one bad item writes
nothing. Then new rows go in with one bulk insert, changed rows with one bulk update, and the
many-to-many rows of the changed ones are replaced through their through-models.

An item that would change nothing is "unchanged": its row is not written, so its `updated_at`
(which the search index refresh reads) stays as it was.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, InvalidInput
from core.roles import ACCOUNT_OWNER_ROLES, users_with_roles

# The most items one batch may carry.
MAX_ITEMS = 1000


class UpsertResult(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    UNCHANGED = "unchanged", _("unchanged")


@dataclass(frozen=True)
class ItemResult:
    """What happened to item `index` of a batch: the row's id in RMS and whether it was created,
    updated or left as it was."""

    index: int
    external_id: str
    result: str
    id: int


class BatchInvalid(InvalidInput):
    """Items of a batch at fault, `{index: {field: [messages]}}`: nothing was written."""

    def __init__(self, errors: Mapping[int, Mapping[str, Any]]):
        count = len(errors)
        message = (
            f"{count} item{'s' if count > 1 else ''} of the batch {'are' if count > 1 else 'is'} not valid"
        )
        super().__init__(f"{message} (first: item {min(errors)}); nothing was written.", field="items")
        self.errors = {key: dict(value) for key, value in sorted(errors.items())}


class Problems:
    """The problems of a batch, gathered item by item and field by field."""

    def __init__(self, refused: Mapping[int, Mapping[str, Any]] | None = None) -> None:
        self.by_item: dict[int, dict[str, Any]] = {
            index: dict(fields) for index, fields in (refused or {}).items()
        }

    def add(self, index: int, name: str, message: str) -> None:
        self.by_item.setdefault(index, {}).setdefault(name, []).append(str(message))

    def add_error(self, index: int, error: ValidationError, names: Mapping[str, str]) -> None:
        """A model's ValidationError, its fields named as the item names them."""
        for name, messages in error.message_dict.items():
            key = "non_field_errors" if name == NON_FIELD_ERRORS else names.get(name, name)
            for message in messages:
                self.add(index, key, message)

    def has(self, index: int) -> bool:
        return index in self.by_item

    def raise_any(self) -> None:
        if self.by_item:
            raise BatchInvalid(self.by_item)


# --- what a batch reads once --------------------------------------------------------------


def by_code(model: type[models.Model], code_field: str) -> dict[str, models.Model]:
    """The active entries of a taxonomy by code, case folded: one query (the lists are short)."""
    rows = model._default_manager.filter(is_active=True)
    return {str(getattr(row, code_field)).casefold(): row for row in rows}


def owners_by_email(emails: Iterable[str]) -> dict[str, list]:
    """The active users who may own accounts and deals (sales reps and reference managers), by
    email case folded: one query. A list per email, so two people sharing one are told apart."""
    wanted = {email.casefold() for email in emails if email}
    found: dict[str, list] = {}
    if not wanted:
        return found
    rows = users_with_roles(*ACCOUNT_OWNER_ROLES).annotate(email_folded=Lower("email"))
    for user in rows.filter(email_folded__in=wanted):
        found.setdefault(user.email_folded, []).append(user)
    return found


def pick(
    values: dict, problems: Problems, index: int, name: str, code: str, known: Mapping, what: str
) -> None:
    """Set `values[name]` to the entry `code` names, or name the problem."""
    found = known.get(code.casefold())
    if found is None:
        problems.add(index, name, f"“{code}” is not {what} in use.")
    else:
        values[name] = found


def pick_many(
    problems: Problems, index: int, name: str, codes: Iterable[str], known: Mapping, what: str
) -> set[int]:
    """The ids of the entries `codes` name; each unknown one is a problem."""
    ids = set()
    for code in codes:
        found = known.get(code.casefold())
        if found is None:
            problems.add(index, name, f"“{code}” is not {what} in use.")
        else:
            ids.add(found.pk)
    return ids


def pick_owner(values: dict, problems: Problems, index: int, email: str, owners: Mapping[str, list]) -> None:
    """Set `values["owner"]` to the one user `email` names, or name the problem."""
    matches = owners.get(email.casefold(), [])
    if len(matches) == 1:
        values["owner"] = matches[0]
    elif matches:
        problems.add(index, "owner_email", f"More than one person of the program has the email “{email}”.")
    else:
        message = f"“{email}” is not the email of an active sales rep or reference manager."
        problems.add(index, "owner_email", message)


def rows_by_external_id(
    model: type[models.Model], external_ids: Iterable[str], *, lock: bool = True
) -> dict[str, models.Model]:
    """The rows of `model` with these external ids: one query, locked for the batch's transaction."""
    rows = model._default_manager.filter(external_id__in=list(external_ids)).order_by("pk")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return {row.external_id: row for row in rows}


class Batch:
    """The items of a batch that a caller could read, by their index in the batch (an item it
    could not read is None, its problems in `refused`), with the batch's problems so far: the
    caller's, and each external id sent twice (the later item is at fault)."""

    def __init__(self, items: Sequence[Mapping[str, Any] | None], refused: Mapping[int, Mapping] | None):
        self.problems = Problems(refused)
        self.items = [(index, item) for index, item in enumerate(items) if item is not None]
        first: dict[str, int] = {}
        for index, item in self.items:
            external_id = item["external_id"]
            if external_id in first:
                self.problems.add(
                    index, "external_id", f"Already sent at item {first[external_id]} of this batch."
                )
            else:
                first[external_id] = index

    @property
    def external_ids(self) -> list[str]:
        return [item["external_id"] for _index, item in self.items]

    def values(self, name: str) -> set[str]:
        """The values the items give for `name`."""
        return {item[name] for _index, item in self.items if item.get(name)}


# --- planning: what each item changes ------------------------------------------------------


@dataclass
class Plan:
    """One item resolved: the model's values it sets (related rows as objects) and the ids of
    the many-to-many fields it sets; fields it leaves out keep their values."""

    index: int
    external_id: str
    values: dict[str, Any]
    many: dict[str, set[int]] = field(default_factory=dict)
    given: frozenset[str] = frozenset()  # the item's own field names


@dataclass
class Changes:
    """What a batch will write: the rows to create, those to update (with the fields that change)
    and the many-to-many ids to set, and the result of each item."""

    model: type[models.Model]
    created: list[models.Model] = field(default_factory=list)
    updated: list[tuple[models.Model, list[str]]] = field(default_factory=list)
    many: dict[str, list[tuple[models.Model, set[int]]]] = field(default_factory=dict)
    outcomes: list[tuple[Plan, models.Model, str]] = field(default_factory=list)

    @property
    def rows(self) -> Iterator[tuple[Plan, models.Model]]:
        for plan, row, _result in self.outcomes:
            yield plan, row


def plan_changes(
    model: type[models.Model],
    plans: Sequence[Plan],
    existing: Mapping[str, models.Model],
    problems: Problems,
    *,
    names: Mapping[str, str],
    check: Callable[[models.Model, Plan], Iterable[tuple[str, str]]] = lambda row, plan: (),
) -> Changes:
    """Set each plan's values on its row (a new one for an unknown external id), see which
    change, and check those against the model's own field rules and `check` (the kind's rules
    over the row as it would be). Problems are named with the item's field names (`names`: model
    field → item field)."""
    changes = Changes(model)
    many_now = _many_ids(model, [existing[p.external_id] for p in plans if p.external_id in existing], plans)
    for plan in plans:
        row = existing.get(plan.external_id)
        if row is None:
            row = model(external_id=plan.external_id, **plan.values)
            changed, result = list(plan.values), UpsertResult.CREATED
            many = plan.many
        else:
            changed = [name for name, value in plan.values.items() if _differs(row, name, value)]
            many = {name: ids for name, ids in plan.many.items() if ids != many_now[name].get(row.pk, set())}
            for name in changed:
                setattr(row, name, plan.values[name])
            result = UpsertResult.UPDATED if changed or many else UpsertResult.UNCHANGED
        for name, message in check(row, plan):
            problems.add(plan.index, name, message)
        _check_fields(row, changed, plan.index, problems, names)
        if result == UpsertResult.CREATED:
            changes.created.append(row)
        elif result == UpsertResult.UPDATED:
            changes.updated.append((row, changed))
        for name, ids in many.items():
            changes.many.setdefault(name, []).append((row, ids))
        changes.outcomes.append((plan, row, result))
    return changes


def _differs(row: models.Model, name: str, value: Any) -> bool:
    field_ = row._meta.get_field(name)
    if field_.is_relation:
        return getattr(row, field_.attname) != (value.pk if value is not None else None)
    current = getattr(row, name)
    if isinstance(value, Decimal) and current is not None:
        return Decimal(current) != value
    return current != value


def _check_fields(
    row: models.Model, changed: Sequence[str], index: int, problems: Problems, names: Mapping[str, str]
) -> None:
    """Each changed field's own checks (length, choices, validators), without the database:
    related rows come from the batch's lookups, so their fields are left out."""
    checked = {name for name in changed if not row._meta.get_field(name).is_relation}
    if not checked:
        return
    exclude = [f.name for f in row._meta.concrete_fields if f.name not in checked]
    try:
        row.clean_fields(exclude=exclude)
    except ValidationError as error:
        problems.add_error(index, error, names)


def _many_ids(
    model: type[models.Model], rows: Sequence[models.Model], plans: Sequence[Plan]
) -> dict[str, dict[int, set[int]]]:
    """The current ids of each many-to-many field the plans set, per row: one query per field."""
    wanted = {name for plan in plans for name in plan.many}
    found: dict[str, dict[int, set[int]]] = {name: {} for name in wanted}
    if not rows:
        return found
    for name in sorted(wanted):
        through, source, target = _through(model, name)
        pairs = through.objects.filter(**{f"{source}__in": [row.pk for row in rows]})
        for row_id, target_id in pairs.values_list(source, target):
            found[name].setdefault(row_id, set()).add(target_id)
    return found


def _through(model: type[models.Model], name: str) -> tuple[type[models.Model], str, str]:
    relation = model._meta.get_field(name)
    through = relation.remote_field.through
    return through, relation.m2m_column_name(), relation.m2m_reverse_name()


# --- writing -------------------------------------------------------------------------------


def write_changes(changes: Changes) -> list[ItemResult]:
    """Write what `plan_changes` found, in a fixed number of queries, and say what happened to
    each item. A unique index that another writer took in the meantime is a 409."""
    model = changes.model
    with unique_or_conflict():
        # Updates first: a value an existing row gives up (a contact's email the CRM hands to a
        # new contact of the account) is free before the new rows take it.
        if changes.updated:
            _update(model, changes.updated)
        if changes.created:
            model._default_manager.bulk_create(changes.created)
        for name, ids_by_row in changes.many.items():
            _many_set(model, name, ids_by_row)
    return [
        ItemResult(plan.index, plan.external_id, result, row.pk) for plan, row, result in changes.outcomes
    ]


def _update(model: type[models.Model], updated: Sequence[tuple[models.Model, list[str]]]) -> None:
    """Write the changed fields of these rows and their time of change. A field that every row
    changes to the same value (a batch of deals all won) and the time go in one plain UPDATE;
    the fields that differ row by row in one `bulk_update` (a CASE per row and field, which
    costs Python time): at most two queries whatever the rows."""
    now = timezone.now()
    rows = [row for row, _changed in updated]
    changed = {name for _row, names in updated for name in names}
    same = {}
    for name in changed:
        attname = model._meta.get_field(name).attname
        values = {getattr(row, attname) for row, names in updated if name in names}
        if len(values) == 1 and all(name in names for _row, names in updated):
            same[attname] = values.pop()
    for row in rows:
        row.updated_at = now
    model._default_manager.filter(pk__in=[row.pk for row in rows]).update(updated_at=now, **same)
    varying = sorted(name for name in changed if model._meta.get_field(name).attname not in same)
    if varying:
        model._default_manager.bulk_update(
            [row for row, names in updated if set(names) & set(varying)], varying
        )


def _many_set(
    model: type[models.Model], name: str, ids_by_row: Sequence[tuple[models.Model, set[int]]]
) -> None:
    """Replace the many-to-many rows of `name` for these rows: one delete, one insert."""
    through, source, target = _through(model, name)
    through.objects.filter(**{f"{source}__in": [row.pk for row, _ids in ids_by_row]}).delete()
    links = [through(**{source: row.pk, target: pk}) for row, ids in ids_by_row for pk in sorted(ids)]
    through.objects.bulk_create(links)


@contextmanager
def unique_or_conflict() -> Iterator[None]:
    """Another writer took an external id (or a contact's email) between our read and our write:
    the batch is refused whole, to be sent again."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise Conflict(
            "Another change wrote one of these records at the same time; send the batch again."
        ) from None


def missing(row: models.Model, plan: Plan, required: Sequence[str], message: str) -> list[tuple[str, str]]:
    """For a new row, the required item fields the item left out."""
    if row.pk is not None:
        return []
    return [(name, message) for name in required if name not in plan.given]
