"""Moved: tables are written by ``palermo.tabular`` and downloaded through ``palermo.web.listing.download``.

Only ``palermo/partners/views.py`` still imports this module; remove it once partners has switched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.http import HttpRequest, HttpResponse

from palermo import tabular
from palermo.accounts.access import AuthenticatedHttpRequest
from palermo.tabular import FORMATS, csv_bytes, xlsx_bytes
from palermo.web import listing

__all__ = ["FORMATS", "csv_bytes", "download", "xlsx_bytes"]


def download(request: HttpRequest, *, name: str, fmt: str, headers: Sequence[str],
             rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """``palermo.web.listing.download`` for callers that have not switched yet (a signed-in request)."""
    return listing.download(cast(AuthenticatedHttpRequest, request), name=name, fmt=cast(tabular.Format, fmt),
                            headers=headers, rows=rows)
