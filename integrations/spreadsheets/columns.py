"""The columns of the program spreadsheet an import reads: one row per contact with its
account's columns (a row with only account columns adds or updates the account alone)."""

import csv
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    field: str  # the model field it fills
    help: str


ACCOUNT_COLUMNS = (
    Column("account_external_id", "external_id", "The account's id in the CRM; matched first."),
    Column("account_name", "name", "Required. Matched (ignoring case) when there is no external id."),
    Column("industry", "industry", "NAICS code or name. Required for a new account."),
    Column("country", "country", "ISO 3166 two-letter code or name. Required for a new account."),
    Column(
        "size_band",
        "size_band",
        "Size band name (the part before its brackets will do). Required for a new account.",
    ),
    Column("products", "products", "Product names, separated by ';'. Empty keeps the account's."),
    Column(
        "owner_email", "owner", "The account owner (a sales rep or manager). New accounts: you when empty."
    ),
)
CONTACT_COLUMNS = (
    Column("contact_external_id", "external_id", "The contact's id in the CRM; matched first."),
    Column("first_name", "first_name", "Required for a new contact."),
    Column("last_name", "last_name", "Required for a new contact."),
    Column(
        "email", "email", "Required for a new contact; matched within the account, or anywhere when unique."
    ),
    Column("phone", "phone", ""),
    Column("title", "title", ""),
    Column("persona", "persona", "Persona code or name. Required for a new contact."),
    Column("language", "language", "ISO 639-1 code, e.g. en."),
)
COLUMNS = ACCOUNT_COLUMNS + CONTACT_COLUMNS
NAMES = tuple(column.name for column in COLUMNS)
ACCOUNT_NAMES = frozenset(column.name for column in ACCOUNT_COLUMNS)
CONTACT_NAMES = frozenset(column.name for column in CONTACT_COLUMNS)
REQUIRED = ("account_name",)
FIELD_OF = {column.name: column.field for column in COLUMNS}
COLUMN_OF_ACCOUNT_FIELD = {column.field: column.name for column in ACCOUNT_COLUMNS}
COLUMN_OF_CONTACT_FIELD = {column.field: column.name for column in CONTACT_COLUMNS}

_EXAMPLE = {
    "account_external_id": "CRM-0001",
    "account_name": "Example Logistics",
    "industry": "Transportation and Warehousing",
    "country": "DE",
    "size_band": "Mid-market",
    "products": "",
    "owner_email": "",
    "contact_external_id": "CRM-C-0001",
    "first_name": "Ada",
    "last_name": "Example",
    "email": "ada@example.com",
    "phone": "+49 30 1234567",
    "title": "Head of Operations",
    "persona": "executive",
    "language": "de",
}


def template_csv() -> str:
    """The header and one example row, as the page offers them for download."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    writer.writerow([_EXAMPLE[name] for name in NAMES])
    return out.getvalue()
