"""Reading an uploaded CSV or XLSX into rows of text, refusing what is not a program spreadsheet.

A file-level problem (type, size, encoding, no rows, too many rows, unknown or missing columns)
is an `InvalidInput` on the upload's `file` field. A cell-level problem (an XLSX formula or
date where text is expected) is a row error kept with the sheet, reported beside the dry run's.
Rows are numbered as the spreadsheet shows them: the header is row 1.
"""

import csv
import io
import math
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings

from core.errors import InvalidInput
from integrations.spreadsheets.columns import NAMES, REQUIRED

EXTENSIONS = (".csv", ".xlsx")
XLSX_MAGIC = b"PK\x03\x04"
# What openpyxl raises on a damaged file (a broken XML part is an ElementTree ParseError, a
# SyntaxError).
XLSX_ERRORS = (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError, SyntaxError)


@dataclass
class CellError:
    row: int
    column: str
    message: str


@dataclass
class Sheet:
    """The header's known columns and the non-blank rows: (row number, {column: text})."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    cell_errors: list[CellError] = field(default_factory=list)


def sheet_read(*, filename: str, data: bytes) -> Sheet:
    """The rows of an uploaded file, or InvalidInput(field="file") saying what is wrong with it."""
    return _sheet(_raw_rows(filename, data))


def sheet_peek(*, filename: str, data: bytes) -> int:
    """A quick look, for deciding where to check the file: the file-level refusals that need no
    more than its header, and about how many rows it has (lines of a CSV, row elements of an
    XLSX sheet, read without parsing their cells)."""
    raw = _raw_rows(filename, data)
    for cells in raw:
        if any(text.strip() for text, _ in cells):
            _header(cells)
            break
    else:
        raise InvalidInput("The file is empty: no header row.", field="file")
    raw.close()
    if filename.lower().endswith(".xlsx"):
        return _xlsx_row_count(data)
    return max(data.count(b"\n"), data.count(b"\r"))  # "CSV (Macintosh)" ends lines with \r alone


def _raw_rows(filename: str, data: bytes):
    name = (filename or "").lower()
    if not name.endswith(EXTENSIONS):
        raise InvalidInput("Upload a .csv or .xlsx file.", field="file")
    if len(data) > settings.IMPORT_UPLOAD_MAX_MB * 1024 * 1024:
        raise InvalidInput(f"The file is larger than {settings.IMPORT_UPLOAD_MAX_MB} MB.", field="file")
    if not data:
        raise InvalidInput("The file is empty.", field="file")
    return _xlsx_rows(data) if name.endswith(".xlsx") else _csv_rows(data)


def _xlsx_row_count(data: bytes) -> int:
    """The row elements of the first sheet's XML, counted on the decompressed stream in chunks
    (bounded memory; it stops past IMPORT_MAX_ROWS, which the full read then refuses)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        stream = book.worksheets[0]._get_source()
        count, tail = 0, b""
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            count += window.count(b"<row ") + window.count(b"<row>")
            tail = window[-5:]
            count -= tail.count(b"<row ") + tail.count(b"<row>")  # counted again next time
            if count > settings.IMPORT_MAX_ROWS + 1:
                break
        return count + tail.count(b"<row ") + tail.count(b"<row>")
    except XLSX_ERRORS:
        raise InvalidInput(
            "The XLSX file cannot be read. Save it again from your spreadsheet.", field="file"
        ) from None
    finally:
        book.close()


def _csv_rows(data: bytes):
    if data.startswith(XLSX_MAGIC) or b"\x00" in data:
        raise InvalidInput(
            "This is not a CSV file (binary content). Upload a .csv or .xlsx file.", field="file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "The CSV file is not UTF-8. Save it as “CSV UTF-8” and upload it again.", field="file"
        ) from None
    # The delimiter is the header's: column names hold none, while cells may (products use ";").
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [(cell, None) for cell in cells]
    except csv.Error as error:
        raise InvalidInput(f"The CSV file cannot be read: {error}.", field="file") from None


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    if not data.startswith(XLSX_MAGIC):
        raise InvalidInput("This is not an XLSX file. Upload a .csv or .xlsx file.", field="file")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except XLSX_ERRORS:
        raise InvalidInput(
            "The XLSX file cannot be read. Save it again from your spreadsheet.", field="file"
        ) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return
        for row in sheet.iter_rows():
            yield [_xlsx_cell(cell) for cell in row]
    except XLSX_ERRORS:
        raise InvalidInput(
            "The XLSX file cannot be read. Save it again from your spreadsheet.", field="file"
        ) from None
    finally:
        book.close()


def _xlsx_cell(cell) -> tuple[str, str | None]:
    """A cell's text, and what is wrong with it when it is not plain text or a whole number."""
    value = getattr(cell, "value", None)
    if value is None:
        return "", None
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        return "", "A formula: paste its value instead."
    if isinstance(value, (datetime, date, time)):
        return "", "A date where text is expected: format the column as text."
    if isinstance(value, bool):
        return "", "A true/false value where text is expected."
    if isinstance(value, float | Decimal):
        if not math.isfinite(value):  # "1E999" in the file: infinity has no whole number
            return "", "Not a number a spreadsheet can hold."
        return (str(int(value)), None) if value == int(value) else (str(value), None)
    return str(value), None


def _sheet(raw) -> Sheet:
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[CellError] = []
    limit = settings.IMPORT_MAX_ROWS
    for number, cells in enumerate(raw, start=1):
        if header is None:
            if not any(text.strip() for text, _ in cells):
                continue  # blank lines above the header
            header = _header(cells)
            header_row = number
            continue
        values: dict[str, str] = {}
        flawed = False
        for index, (text, problem) in enumerate(cells):
            name = header[index] if index < len(header) else ""
            if not name:
                continue
            if problem:
                errors.append(CellError(number, name, problem))
                flawed = True
            values[name] = text.strip()
        if flawed or any(values.values()):
            rows.append((number, values))
            if len(rows) > limit:
                raise InvalidInput(f"The file has more than {limit:,} rows. Split it in parts.", field="file")
    if header is None:
        raise InvalidInput("The file is empty: no header row.", field="file")
    if not rows:
        raise InvalidInput(f"The file has a header (row {header_row}) but no rows.", field="file")
    return Sheet(columns=[name for name in header if name], rows=rows, cell_errors=errors)


def _header(cells) -> list[str]:
    names = [text.strip().lower().replace(" ", "_") for text, _ in cells]
    unknown = [name for name in names if name and name not in NAMES]
    if unknown:
        raise InvalidInput(
            f"Unknown column(s): {', '.join(unknown[:10])}. The columns are: {', '.join(NAMES)}.",
            field="file",
        )
    seen = [name for name in names if name]
    twice = sorted({name for name in seen if seen.count(name) > 1})
    if twice:
        raise InvalidInput(f"Column(s) given twice: {', '.join(twice)}.", field="file")
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        raise InvalidInput(f"Missing required column(s): {', '.join(missing)}.", field="file")
    return names
