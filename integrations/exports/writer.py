"""Writing rows as a CSV or XLSX download with bounded memory.

CSV is streamed line by line (StreamingHttpResponse). XLSX is written by openpyxl's write-only
workbook, which keeps rows in a temporary file rather than in memory, then sent from that file.
Every text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return: `core.admin_actions.FORMULA_START`, the house rule) is prefixed with a quote, in
both formats; characters XML forbids are dropped from XLSX cells (openpyxl refuses them).
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from core.admin_actions import FORMULA_START

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should hold it: text that would start a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (bool, int, float, Decimal, date)):
        return value
    return safe_cell(str(value)) if not isinstance(value, str) else value


def export_response(
    *, header: Sequence[str], rows: Iterable[Sequence[object]], fmt: str, basename: str
) -> HttpResponseBase:
    """The rows as a download named `<basename>-<today>.<fmt>`."""
    filename = f"{basename}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == XLSX:
        return _xlsx(header, rows, filename)
    return _csv(header, rows, filename)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)  # a BOM: spreadsheets then read the text as UTF-8
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def _csv(header, rows, filename: str) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        _csv_lines(header, rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _xlsx(header, rows, filename: str) -> FileResponse:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(header))
    for row in rows:
        # The forbidden characters go first: "\x01=..." must not become a formula once stripped.
        cells = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        sheet.append([safe_cell(value) for value in cells])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    book.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
