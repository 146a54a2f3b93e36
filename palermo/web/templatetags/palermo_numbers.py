"""Numbers as readers read them, in the active language: ``{% load palermo_numbers %}``."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import get_format

from palermo import numbers

register = template.Library()


@register.filter
def percent(fraction: float | Decimal | None) -> str:
    """A share (0.25 for 25 %): ``{{ row.share|percent }}``; "–" when unknown (suppressed or no denominator)."""
    if fraction is None or fraction == "":
        return "–"
    return numbers.percent_text(fraction, str(get_format("DECIMAL_SEPARATOR")))
