"""Tables as CSV and XLSX files: one writer for every download and release.

Pure (no Django). A text cell that a spreadsheet would read as a formula (one that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading apostrophe, as
OWASP advises against CSV injection: the reader sees the text, the spreadsheet runs nothing.
Numbers, dates and booleans are written as values, never escaped: ``-5`` stays the number -5.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
Format = Literal["csv", "xlsx"]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_text(text: str) -> str:
    """The text as a spreadsheet shows it, never as a formula it runs."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (int, float, date, datetime)):
        return value
    return escape_text(str(value))


def xlsx_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return value
    return escape_text(str(value))


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_value(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (title or "data")[:31]
    sheet.append([xlsx_value(str(h)) for h in headers])
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_bytes(fmt: Format, headers: Sequence[Any], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    return xlsx_bytes(headers, rows, title) if fmt == "xlsx" else csv_bytes(headers, rows)
