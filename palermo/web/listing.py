"""One way to list: filter with the list's FilterSet (the one its API uses), sort, paginate, download.

A list page is::

    listing = list_page(request, Action.objects.visible_to(request.user), ActionFilter,
                        sorts={"title": ("title_en",), "start": ("planned_start", "pk")}, default_sort="title")
    if listing.download:
        return download(request, name="actions", fmt=listing.download, headers=HEADERS,
                        rows=rows_of(listing.queryset))
    return render(request, "...", {"listing": listing, "page": listing.page, ...})

An invalid filter (an unknown country, a malformed year) lists nothing and shows the FilterSet's
errors, rather than silently listing everything.

A list that can hold hundreds of thousands of rows passes ``count_cap=COUNT_CAP``: its count stops there (a page
shows "more than 10,000") instead of reading every row of the scope on each page (:class:`CappedPaginator`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Expression, OrderBy
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters import FilterSet

from palermo import tabular
from palermo.accounts.access import AuthenticatedHttpRequest
from palermo.audit.models import AuditEvent
from palermo.audit.services import record

M = TypeVar("M", bound=models.Model)
PER_PAGE = 50
COUNT_CAP = 10_000
_LARGEST_LIMIT = 2**62  # an absurd page number must not overflow SQL's LIMIT


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows, or up to the end of the page asked for when it lies further: the count reads
    as many rows as the page itself, never the whole list. ``capped`` says the list goes on past ``at_least``
    rows; then the number of pages is unknown and every page asked for, however far, is reachable by "Next"."""

    def __init__(self, object_list: models.QuerySet[Any], per_page: int, *, cap: int, asked: str | None) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        number = int(asked) if asked and asked.isascii() and asked.isdigit() else 1
        self.limit = min(max(cap, number * per_page) + 1, _LARGEST_LIMIT)

    @cached_property
    def count(self) -> int:
        return self.queryset.order_by()[: self.limit].count()  # in no order: a count needs none

    @property
    def capped(self) -> bool:
        return self.count >= self.limit

    @property
    def at_least(self) -> int:
        return self.limit - 1


@dataclass
class Listing(Generic[M]):
    filterset: FilterSet
    queryset: models.QuerySet[M]  # filtered and sorted, not paginated: what a download writes
    page: Page[M]
    sort: str
    query: str  # the request's query string without its page number, for pagination links
    download: tabular.Format | None


def requested_format(request: HttpRequest) -> tabular.Format | None:
    fmt = request.GET.get("format", "")
    return cast("tabular.Format", fmt) if fmt in tabular.FORMATS else None


def list_page(
    request: HttpRequest,
    queryset: models.QuerySet[M],
    filterset_class: type[FilterSet],
    *,
    sorts: Mapping[str, Sequence[str | Expression]] | None = None,
    default_sort: str = "",
    per_page: int | None = PER_PAGE,
    count_cap: int | None = None,
) -> Listing[M]:
    """Filter ``queryset`` (already limited to what the user may see), sort by a named order, paginate.

    ``sorts`` maps the names a page offers (``?sort=name``, ``?sort=-name`` for descending) to the
    fields (or expressions) they order by; an unknown name falls back to ``default_sort``. ``per_page=None`` shows
    the whole list on one page. ``count_cap`` stops the count at that many rows (:class:`CappedPaginator`).
    """
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    # No query string at all: the whole list (an unbound FilterSet is never "valid", yet filters nothing).
    filtered: models.QuerySet[M] = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
    sort = request.GET.get("sort", "") or default_sort
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    orders = sorts or {}
    if key not in orders:
        sort, key, descending = default_sort, default_sort.lstrip("-"), default_sort.startswith("-")
    if key in orders:
        filtered = filtered.order_by(*(_ordered(f, descending) for f in orders[key]))
    asked = request.GET.get("page")
    paginator = (Paginator(filtered, per_page or sys.maxsize) if count_cap is None or per_page is None
                 else CappedPaginator(filtered, per_page, cap=count_cap, asked=asked))
    page = paginator.get_page(asked)
    query = request.GET.copy()
    query.pop("page", None)
    return Listing(filterset=filterset, queryset=filtered, page=page, sort=sort, query=query.urlencode(),
                   download=requested_format(request))


def _ordered(field: str | Expression, descending: bool) -> str | OrderBy:
    if not isinstance(field, str):
        return field.desc() if descending else field.asc()
    if not descending:
        return field
    return field[1:] if field.startswith("-") else "-" + field


def download(request: AuthenticatedHttpRequest, *, name: str, fmt: tabular.Format, headers: Sequence[Any],
             rows: Iterable[Sequence[Any]], detail: Mapping[str, Any] | None = None,
             country: str = "", file_name: str = "") -> HttpResponse:
    """The table as a file, with an audit row naming who exported what (in the caller's transaction).

    Written for the reader's spreadsheet in the active language (``tabular.spreadsheet_layout``: in French a CSV
    separated by ``;`` with decimal commas, in English by ``,``; both with a UTF-8 byte-order mark; XLSX typed,
    with column widths), so ``headers`` should be translated labels and cells words rather than codes.
    ``name`` is what the audit row calls the table (its object type) and the file's default name;
    ``file_name`` overrides the attachment's name (e.g. one naming the year)."""
    materialised = [list(row) for row in rows]
    body = tabular.table_bytes(fmt, headers, materialised, name, tabular.spreadsheet_layout(get_language()))
    record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type=name, request=request, country=country,
           detail={"format": fmt, "rows": len(materialised), "query": request.GET.urlencode()[:500],
                   **(detail or {})})
    return file_response(body, content_type=tabular.CONTENT_TYPES[fmt], file_name=file_name or f"{name}.{fmt}")


def yes_no(value: bool | None) -> str:
    """A yes/no cell of a download, in the reader's language (empty when unknown)."""
    return "" if value is None else (_("yes") if value else _("no"))


def file_response(body: bytes, *, content_type: str, file_name: str) -> HttpResponse:
    """An attachment whose name can never break the header (no quote, no line break)."""
    safe_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", file_name) or "export"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response
