from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from palermo.steering import cells

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    """A table cell: money and rates with the language's separators, dates ISO, nothing as a dash."""
    return cells.CellFormat().text(value)


@register.filter
def is_number(value: Any) -> bool:
    return cells.is_number(value)


@register.filter
def as_html(table: Any) -> SafeString:
    """A whole review table, drawn in Python (see ``cells.table_html``)."""
    return cells.table_html(table)
