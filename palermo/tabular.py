"""Tables as CSV and XLSX files: one writer for every download and release.

Pure (no Django). A text cell that a spreadsheet would read as a formula (one that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading apostrophe, as
OWASP advises against CSV injection: the reader sees the text, the spreadsheet runs nothing.
Numbers, dates and booleans are written as values, never escaped: ``-5`` stays the number -5.

Two kinds of CSV: files for people (page downloads) open right in their spreadsheet, so they carry a UTF-8
byte-order mark (accents read right) and the separators of the reader's locale (``SPREADSHEET["fr"]``: ``;``
between columns and ``,`` before decimals, as a French spreadsheet expects); files for programs (releases,
reference exports meant to be imported again) keep ``PLAIN``: ``,``, ``.``, no mark. XLSX cells are typed
(numbers, dates, date-times), the header row is bold and frozen, and each column is as wide as its content.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
Format = Literal["csv", "xlsx"]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MAX_WIDTH = 60  # characters: longer texts wrap in the cell rather than push the next columns away


@dataclass(frozen=True)
class Layout:
    """How a table is written: CSV separators and mark, and the XLSX date display."""

    delimiter: str = ","
    decimal: str = "."
    spreadsheet: bool = False  # for people: a byte-order mark, date-times on the reader's clock to the minute
    date_format: str = "yyyy-mm-dd"
    datetime_format: str = "yyyy-mm-dd hh:mm"


PLAIN = Layout()
SPREADSHEET = {
    "en": Layout(delimiter=",", decimal=".", spreadsheet=True),
    "fr": Layout(delimiter=";", decimal=",", spreadsheet=True, date_format="dd/mm/yyyy",
                 datetime_format="dd/mm/yyyy hh:mm"),
}


def spreadsheet_layout(language: str | None) -> Layout:
    """The layout a reader of ``language`` (``fr``, ``fr-be``, ``en``...) opens without a conversion step."""
    return SPREADSHEET["fr"] if (language or "").lower().startswith("fr") else SPREADSHEET["en"]


def escape_text(text: str) -> str:
    """The text as a spreadsheet shows it, never as a formula it runs."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _naive(moment: datetime) -> datetime:
    """A date-time as the reader's clock shows it (the process's time zone, Django's ``TIME_ZONE``): spreadsheets
    know no time zones."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo is not None else moment


def csv_value(value: Any, layout: Layout = PLAIN) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", layout.decimal)
    if isinstance(value, float):
        return str(value).replace(".", layout.decimal)
    if isinstance(value, datetime):
        return _naive(value).isoformat(sep=" ", timespec="minutes") if layout.spreadsheet else value
    if isinstance(value, (int, date)):
        return value
    return escape_text(str(value))


def xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        return _naive(value)
    if isinstance(value, (bool, int, float, Decimal, date)):
        return value
    return escape_text(str(value))


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], layout: Layout = PLAIN) -> bytes:
    buffer = io.StringIO()
    if layout.spreadsheet:
        buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=layout.delimiter)
    writer.writerow([csv_value(str(h), layout) for h in headers])
    for row in rows:
        writer.writerow([csv_value(v, layout) for v in row])
    return buffer.getvalue().encode("utf-8")


def _shown_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], title: str, layout: Layout = PLAIN) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (title or "data")[:31]
    header_texts = [xlsx_value(str(h)) for h in headers]
    sheet.append(header_texts)
    widths = [len(text) for text in header_texts]
    for row in rows:
        values = [xlsx_value(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            shown = _shown_width(value)
            if index >= len(widths):
                widths.append(shown)
            elif shown > widths[index]:
                widths[index] = shown
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = layout.datetime_format
            elif isinstance(cell.value, date):
                cell.number_format = layout.date_format
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(8, width + 2))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_bytes(fmt: Format, headers: Sequence[Any], rows: Iterable[Sequence[Any]], title: str,
                layout: Layout = PLAIN) -> bytes:
    return xlsx_bytes(headers, rows, title, layout) if fmt == "xlsx" else csv_bytes(headers, rows, layout)
