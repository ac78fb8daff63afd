"""The dry run: every row checked against the models' rules and matched to what exists, with
nothing written. The result, a `Plan`, is what the import then writes (writing.py).

Matching, so that importing the same file twice creates nothing the second time:
- an account by `account_external_id`, else by `account_name` ignoring case (an account with
  another external id is another account; two accounts of that name are an error);
- a contact by `contact_external_id`, else by `email` among the account's contacts, else by
  `email` anywhere when exactly one contact has it (then it must be at the row's account: a
  contact never moves account by import);
- rows of the same account share it (their account columns must agree with its first row);
  a contact named by two rows is an error.
An empty cell keeps what the record has; a new record needs its required columns. An existing
account's owner changes only on its "Change the owner" page (references.services.catalogue).
Each broken rule is a row error naming the row and the column; checking costs a fixed number of
queries (lookups.py), then none per row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Model

from integrations.spreadsheets.columns import (
    ACCOUNT_NAMES,
    COLUMN_OF_ACCOUNT_FIELD,
    COLUMN_OF_CONTACT_FIELD,
    CONTACT_NAMES,
    FIELD_OF,
    NAMES,
)
from integrations.spreadsheets.lookups import Lookups
from integrations.spreadsheets.reading import CellError, Sheet
from references.models import Account, Contact

Progress = Callable[[int], None]


@dataclass
class AccountPlan:
    row: int
    account: Account
    is_new: bool
    changed: set[str] = field(default_factory=set)
    products: set[int] | None = None
    products_changed: bool = False
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class ContactPlan:
    row: int
    target: AccountPlan
    contact: Contact
    is_new: bool
    changed: set[str] = field(default_factory=set)


@dataclass
class Plan:
    accounts: list[AccountPlan]
    contacts: list[ContactPlan]
    errors: list[CellError]

    def summary(self) -> dict[str, dict[str, int]]:
        return {"accounts": _counts(self.accounts), "contacts": _counts(self.contacts)}


def _counts(plans) -> dict[str, int]:
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    for plan in plans:
        touched = plan.changed or getattr(plan, "products_changed", False)
        counts["new" if plan.is_new else "updated" if touched else "unchanged"] += 1
    return counts


def plan_import(sheet: Sheet, *, user: AbstractBaseUser, progress: Progress | None = None) -> Plan:
    """Check and match every row of the sheet; nothing is written."""
    planner = _Planner(Lookups([values for _, values in sheet.rows]), user)
    step = max(1, len(sheet.rows) // 50)
    for done, (number, values) in enumerate(sheet.rows, start=1):
        planner.row(number, values)
        if progress and (done % step == 0 or done == len(sheet.rows)):
            progress(done)
    order = {name: index for index, name in enumerate(NAMES)}
    errors = sorted([*sheet.cell_errors, *planner.errors], key=lambda e: (e.row, order.get(e.column, 99)))
    return Plan(accounts=planner.accounts, contacts=planner.contacts, errors=errors)


class _Planner:
    def __init__(self, lookups: Lookups, user: AbstractBaseUser):
        self.lk = lookups
        self.user = user
        self.errors: list[CellError] = []
        self.accounts: list[AccountPlan] = []
        self.contacts: list[ContactPlan] = []
        self.account_plans: dict[tuple, AccountPlan] = {}
        self.contact_rows: dict[tuple, int] = {}

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(CellError(row, column, message))

    def row(self, number: int, values: dict[str, str]) -> None:
        target = self._account(number, values)
        if target is not None and any(values.get(name) for name in CONTACT_NAMES):
            self._contact(number, values, target)

    # --- accounts ---------------------------------------------------------------------------

    def _account(self, number: int, values: dict[str, str]) -> AccountPlan | None:
        ext, name = values.get("account_external_id", ""), values.get("account_name", "")
        if not ext and not name:
            self.error(number, "account_name", "Give the account's name or its external id.")
            return None
        existing = self.lk.account_by_external.get(ext) if ext else None
        if existing is None and name:
            same_name = self.lk.accounts_by_name.get(name.lower(), [])
            candidates = [a for a in same_name if not ext or a.external_id is None]
            if len(candidates) > 1:
                self.error(
                    number, "account_name", "Several accounts have this name: give account_external_id."
                )
                return None
            existing = candidates[0] if candidates else None
        keys = (
            [("pk", existing.pk)] if existing else [k for k in (("ext", ext), ("name", name.lower())) if k[1]]
        )
        known = next((self.account_plans[k] for k in keys if k in self.account_plans), None)
        if known is not None:
            self._agrees(number, values, known)
            return known
        plan = self._new_account_plan(number, values, existing)
        if plan is not None:
            for key in keys:
                self.account_plans[key] = plan
            self.accounts.append(plan)
        return plan

    def _agrees(self, number: int, values: dict[str, str], plan: AccountPlan) -> None:
        for name in ACCOUNT_NAMES:
            given, first = values.get(name, ""), plan.values.get(name, "")
            if given and first and given.lower() != first.lower():
                self.error(number, name, f"Differs from row {plan.row} of the same account ({first}).")

    def _new_account_plan(
        self, number: int, values: dict[str, str], existing: Account | None
    ) -> AccountPlan | None:
        before = len(self.errors)
        account = existing or Account()
        plan = AccountPlan(row=number, account=account, is_new=existing is None, values=dict(values))
        wanted: dict[str, object] = {}
        if values.get("account_external_id"):
            wanted["external_id"] = values["account_external_id"]
        name = values.get("account_name", "")
        if name and not (existing and existing.name.lower() == name.lower()):  # matched ignoring case
            wanted["name"] = name
        for column, table, what in (
            ("industry", self.lk.industries, "industry"),
            ("country", self.lk.countries, "country"),
            ("size_band", self.lk.size_bands, "size band"),
        ):
            if values.get(column):
                found = table.get(values[column].lower())
                if found is None:
                    self.error(number, column, f"No {what} has this code or name: {values[column]}.")
                wanted[column] = found
        owner = self._owner(number, values, existing)
        if owner is not None:
            wanted["owner"] = owner
        if plan.is_new:
            for column, needed in (
                ("account_name", "name"),
                ("industry", "industry"),
                ("country", "country"),
            ):
                if needed not in wanted:
                    self.error(number, column, "Required for a new account.")
            if "size_band" not in wanted:
                self.error(number, "size_band", "Required for a new account.")
        self._products(number, values, plan)
        plan.changed = _apply(account, wanted)
        self._clean(number, account, plan.changed, COLUMN_OF_ACCOUNT_FIELD)
        return plan if len(self.errors) == before else None

    def _owner(
        self, number: int, values: dict[str, str], existing: Account | None
    ) -> AbstractBaseUser | None:
        email = values.get("owner_email", "").lower()
        if not email:
            return None if existing else self.user
        owner = self.lk.owners.get(email)
        if owner is None:
            self.error(number, "owner_email", "No active sales rep or reference manager has this email.")
        elif existing is not None and existing.owner_id != owner.pk:
            self.error(number, "owner_email", "An account changes owner only on its “Change the owner” page.")
            return None
        return owner

    def _products(self, number: int, values: dict[str, str], plan: AccountPlan) -> None:
        names = [part.strip() for part in values.get("products", "").split(";") if part.strip()]
        if not names:
            return
        ids = set()
        for name in names:
            product = self.lk.products.get(name.lower())
            if product is None:
                self.error(number, "products", f"No product has this name: {name}.")
            else:
                ids.add(product.pk)
        plan.products = ids
        plan.products_changed = plan.is_new or ids != self.lk.products_of.get(plan.account.pk, set())

    # --- contacts ---------------------------------------------------------------------------

    def _contact(self, number: int, values: dict[str, str], target: AccountPlan) -> None:
        ext, email = values.get("contact_external_id", ""), values.get("email", "").lower()
        existing = self._matching_contact(number, ext, email, target)
        if existing is False:
            return
        key = ("pk", existing.pk) if existing else ("ext", ext) if ext else ("email", id(target), email)
        seen_at = self.contact_rows.get(key) or (
            email and self.contact_rows.get(("email", id(target), email))
        )
        if seen_at:
            column = "contact_external_id" if key[0] == "ext" else "email"
            self.error(number, column, f"The same contact as row {seen_at}.")
            return
        before = len(self.errors)
        contact = existing or Contact()
        plan = ContactPlan(row=number, target=target, contact=contact, is_new=existing is None)
        wanted: dict[str, object] = {}
        for column in (
            "contact_external_id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "title",
            "language",
        ):
            if values.get(column):
                text = values[column].lower() if column == "language" else values[column]
                wanted[FIELD_OF[column]] = text
        if values.get("persona"):
            persona = self.lk.personas.get(values["persona"].lower())
            if persona is None:
                self.error(number, "persona", f"No persona has this code or name: {values['persona']}.")
            wanted["persona"] = persona
        if plan.is_new:
            for column in ("first_name", "last_name", "email", "persona"):
                if FIELD_OF[column] not in wanted:
                    self.error(number, column, "Required for a new contact.")
        plan.changed = _apply(contact, wanted)
        self._clean(number, contact, plan.changed, COLUMN_OF_CONTACT_FIELD)
        if len(self.errors) == before:
            self.contact_rows[key] = number
            if email:
                self.contact_rows[("email", id(target), email)] = number
            self.contacts.append(plan)

    def _matching_contact(
        self, number: int, ext: str, email: str, target: AccountPlan
    ) -> Contact | None | bool:
        """The existing contact the row names, None for a new one, False after an error."""
        existing = self.lk.contact_by_external.get(ext) if ext else None
        column = "contact_external_id"
        if existing is None and email:
            column = "email"
            everyone = self.lk.contacts_by_email.get(email, [])
            pool = [c for c in everyone if not ext or c.external_id is None]
            at_account = [c for c in pool if not target.is_new and c.account_id == target.account.pk]
            if at_account:
                existing = at_account[0]
            elif len(everyone) == 1 and pool:
                existing = pool[0]
            elif not target.is_new and any(c.account_id == target.account.pk for c in everyone):
                self.error(number, "email", "Another contact of this account has this email.")
                return False
        if existing is not None and (target.is_new or existing.account_id != target.account.pk):
            self.error(
                number,
                column,
                f"This contact belongs to {existing.account.name}: a contact does not move by import.",
            )
            return False
        if existing is not None and email and email != existing.email.lower():
            # A new email that another contact of the account has: the database would refuse it.
            taken = self.lk.contacts_by_email.get(email, [])
            if any(c.pk != existing.pk and c.account_id == existing.account_id for c in taken):
                self.error(number, "email", "Another contact of this account has this email.")
                return False
        return existing

    # --- the models' own rules --------------------------------------------------------------

    def _clean(self, number: int, row: Model, changed: set[str], columns: dict[str, str]) -> None:
        """Each changed plain field's own checks (length, email, choices); foreign keys were
        resolved from the lookups and database constraints are kept by the matching above."""
        plain = {f.name for f in row._meta.concrete_fields if not f.is_relation} & changed
        exclude = [f.name for f in row._meta.fields if f.name not in plain]
        try:
            row.clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.error(number, columns.get(name, name), messages[0])


def _apply(row: Model, wanted: dict[str, object]) -> set[str]:
    """Set the wanted values that differ from the row's; the names of the fields changed."""
    changed = set()
    for name, value in wanted.items():
        if value is None:
            continue
        field_ = row._meta.get_field(name)
        current = getattr(row, field_.attname)
        new = value.pk if isinstance(value, Model) else value
        if current != new:
            setattr(row, name, value)
            changed.add(name)
    return changed
