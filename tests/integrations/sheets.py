"""Building program spreadsheets for the import tests: CSV and XLSX bytes from rows of dicts."""

import csv
import io

from openpyxl import Workbook

from integrations.spreadsheets.columns import NAMES


def csv_bytes(rows: list[dict], columns=NAMES) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return out.getvalue().encode()


def xlsx_bytes(rows: list[dict], columns=NAMES) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(name, None) for name in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def program_rows(n: int, *, accounts: int | None = None, prefix: str = "A") -> list[dict]:
    """`n` contact rows over `accounts` accounts (n/4 by default), all new, all valid."""
    accounts = accounts or max(1, n // 4)
    return [
        {
            "account_external_id": f"{prefix}-{i % accounts}",
            "account_name": f"{prefix} Company {i % accounts}",
            "industry": "52",
            "country": "US",
            "size_band": "Mid-market",
            "products": "Analytics Cloud; Data Integration Hub",
            "contact_external_id": f"{prefix}-C-{i}",
            "first_name": "Pat",
            "last_name": f"Person {i}",
            "email": f"pat{i}@{prefix.lower()}-company-{i % accounts}.test",
            "title": "CTO",
            "persona": "technical",
            "language": "en",
        }
        for i in range(n)
    ]
