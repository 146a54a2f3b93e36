"""CSV and XLSX downloads of any list, each logged as an export."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook

from palermo.audit.models import AuditEvent
from palermo.audit.services import record

FORMATS = ("csv", "xlsx")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, date, datetime)):
        return value
    return str(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else (f"{v:f}" if isinstance(v, Decimal) else v) for v in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(request: HttpRequest, *, name: str, fmt: str, headers: Sequence[str],
             rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """The list as a file, with an audit row naming who exported what."""
    materialised = [list(r) for r in rows]
    if fmt == "xlsx":
        body = xlsx_bytes(headers, materialised, name)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = csv_bytes(headers, materialised)
        content_type = "text/csv; charset=utf-8"
    record(actor=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
           action=AuditEvent.Action.EXPORT, object_type=name, request=request,
           detail={"format": fmt, "rows": len(materialised), "query": request.GET.urlencode()[:500]})
    response = HttpResponse(body, content_type=content_type)
    safe_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "export"  # never a quote or line break in a header
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{fmt}"'
    return response
