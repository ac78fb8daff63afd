"""What a dry run needs from the database, read up front in a fixed number of queries (chunked
`IN` lists), so checking 10,000 rows costs the same few queries as checking 10: the taxonomies
by code and name, the possible owners by email, and the accounts and contacts the file may name
(by external id, account name, contact email)."""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Model
from django.db.models.functions import Lower

from core.roles import ACCOUNT_OWNER_ROLES, users_with_roles
from references.models import Account, Contact, Country, Industry, Persona, Product, SizeBand

CHUNK = 2000


def _chunks(values: Iterable) -> Iterator[list]:
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _by_code_and_name(model: type[Model], code: str | None) -> dict[str, Model]:
    """Each row under its lower-cased name and code (a code wins over another row's name)."""
    found: dict[str, Model] = {}
    rows = list(model.objects.order_by("-is_active", "sort_order", "pk"))
    for row in reversed(rows):  # the first (active) row wins a shared key
        found[row.name.lower()] = row
    if code:
        for row in reversed(rows):
            found[str(getattr(row, code)).lower()] = row
    return found


class Lookups:
    """The rows the file's values can name, keyed by their lower-cased text."""

    def __init__(self, rows: list[dict[str, str]]):
        self.industries = _by_code_and_name(Industry, "naics_code")
        self.countries = _by_code_and_name(Country, "code")
        self.size_bands = _by_code_and_name(SizeBand, None)
        for band in SizeBand.objects.all():  # "Mid-market" for "Mid-market (100–999)"
            self.size_bands.setdefault(band.name.split("(")[0].strip().lower(), band)
        self.products = _by_code_and_name(Product, None)
        self.personas = _by_code_and_name(Persona, "code")
        owners = users_with_roles(*ACCOUNT_OWNER_ROLES).exclude(email="")
        self.owners = {user.email.lower(): user for user in owners}
        self._load_accounts(rows)
        self._load_contacts(rows)

    def _load_accounts(self, rows: list[dict[str, str]]) -> None:
        external = {row.get("account_external_id", "") for row in rows} - {""}
        names = {row.get("account_name", "").lower() for row in rows} - {""}
        self.account_by_external: dict[str, Account] = {}
        self.accounts_by_name: dict[str, list[Account]] = defaultdict(list)
        loaded: dict[int, Account] = {}
        for chunk in _chunks(external):
            for account in Account.objects.filter(external_id__in=chunk):
                loaded.setdefault(account.pk, account)
        for chunk in _chunks(names):
            for account in Account.objects.annotate(lname=Lower("name")).filter(lname__in=chunk):
                loaded.setdefault(account.pk, account)
        self.products_of: dict[int, set[int]] = defaultdict(set)
        through = Account.products.through
        for chunk in _chunks(loaded):
            for account_id, product_id in through.objects.filter(account_id__in=chunk).values_list(
                "account_id", "product_id"
            ):
                self.products_of[account_id].add(product_id)
        for account in loaded.values():
            if account.external_id:
                self.account_by_external[account.external_id] = account
            self.accounts_by_name[account.name.lower()].append(account)

    def _load_contacts(self, rows: list[dict[str, str]]) -> None:
        external = {row.get("contact_external_id", "") for row in rows} - {""}
        emails = {row.get("email", "").lower() for row in rows} - {""}
        loaded: dict[int, Contact] = {}
        for chunk in _chunks(external):
            for contact in Contact.objects.filter(external_id__in=chunk).select_related("account"):
                loaded.setdefault(contact.pk, contact)
        for chunk in _chunks(emails):
            query = Contact.objects.annotate(lemail=Lower("email")).filter(lemail__in=chunk)
            for contact in query.select_related("account"):
                loaded.setdefault(contact.pk, contact)
        self.contact_by_external = {c.external_id: c for c in loaded.values() if c.external_id}
        self.contacts_by_email: dict[str, list[Contact]] = defaultdict(list)
        for contact in loaded.values():
            self.contacts_by_email[contact.email.lower()].append(contact)
