"""Review tables as HTML, drawn in Python: a 10,000-row table costs milliseconds instead of the seconds the
template engine needs for the same cells. Numbers follow the active language like ``floatformat``: money
and rates with two decimals rounded half-up, counts as integers, both grouped by thousands, dates in digits
(05/03/2026 in French)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from palermo import i18n, numbers

CENT = Decimal("0.01")
EMPTY = "—"


class CellFormat:
    """Cell texts in the language active when built."""

    def __init__(self) -> None:
        self.decimal_separator = str(get_format("DECIMAL_SEPARATOR"))
        self.thousand_separator = str(get_format("THOUSAND_SEPARATOR"))
        grouping = get_format("NUMBER_GROUPING")
        self.grouping = grouping if isinstance(grouping, int) and grouping > 0 else 0

    def _grouped(self, digits: str) -> str:
        return numbers.grouped(digits, self.thousand_separator, self.grouping)

    def text(self, value: Any) -> str:
        if value is None or value == "":
            return EMPTY
        if isinstance(value, Decimal):
            if not self.grouping or not value.is_finite():
                return str(floatformat(value, "2g"))
            rounded = value.quantize(CENT, ROUND_HALF_UP)
            units, cents = f"{abs(rounded):f}".split(".")
            return ("-" if rounded < 0 else "") + self._grouped(units) + self.decimal_separator + cents
        if isinstance(value, int) and not isinstance(value, bool):
            if not self.grouping:
                return str(floatformat(value, "g"))
            return ("-" if value < 0 else "") + self._grouped(str(abs(value)))
        if isinstance(value, date):
            return i18n.day(value)
        return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def table_html(table: Any, cells: CellFormat | None = None) -> SafeString:
    """``<h3>`` title, note and table of a ``tables.Table`` (or "None." when it has no row)."""
    cells = cells or CellFormat()
    parts = [f'<h3 id="{escape(table.slug)}">{escape(str(table.title))}</h3>\n']
    if table.note:
        parts.append(f'<p class="note">{escape(str(table.note))}</p>\n')
    if not table.rows:
        parts.append(f'<p class="note">{escape(_("None."))}</p>\n')
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
    header = "".join(f'<th scope="col">{escape(str(column))}</th>' for column in table.columns)
    parts.append(f"<table>\n  <thead><tr>{header}</tr></thead>\n  <tbody>")
    text = cells.text
    for row in table.rows:
        parts.append("<tr>")
        for value in row:
            if is_number(value):
                parts.append(f'<td class="num">{text(value)}</td>')
            else:
                parts.append(f"<td>{escape(text(value))}</td>")
        parts.append("</tr>")
    parts.append("</tbody>\n</table>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
