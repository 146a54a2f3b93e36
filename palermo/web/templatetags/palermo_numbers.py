"""Numbers, money, dates and the colon as readers read them in the active language: ``{% load palermo_numbers %}``
(the rules are in ``palermo/i18n.py``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import formats

from palermo import i18n

register = template.Library()
UNKNOWN = "–"


@register.filter
def percent(fraction: float | Decimal | None) -> str:
    """A share (0.25 for 25 %): ``{{ row.share|percent }}``; "–" when unknown (suppressed or no denominator)."""
    if fraction is None or fraction == "":
        return UNKNOWN
    return i18n.percent(fraction)


@register.filter
def share(percentage: float | Decimal | None) -> str:
    """A stored percentage (33.34): ``{{ s.percentage|share }}`` is "33,34 %" in French."""
    if percentage is None or percentage == "":
        return UNKNOWN
    return i18n.share(percentage)


@register.filter
def money(amount: float | int | Decimal | None, places: int = 0) -> str:
    """Euros: ``{{ total|money }}`` is "1 770 €" in French, "€1,770" in English; ``|money:2`` keeps the cents."""
    if amount is None or amount == "":
        return UNKNOWN
    return i18n.money(amount, int(places))


@register.filter
def number(value: float | int | Decimal | None, places: int = 0) -> str:
    """A count or measure with its thousands grouped: ``{{ n|number }}``, ``{{ x|number:1 }}``."""
    if value is None or value == "":
        return UNKNOWN
    return i18n.number(value, int(places))


@register.filter
def day(value: date | datetime | None) -> str:
    """A date in digits: ``{{ d|day }}`` is 05/03/2026 in French, 2026-03-05 in English."""
    return i18n.day(value) if value else UNKNOWN


@register.filter
def stamp(value: datetime | str | None) -> str:
    """A moment to the minute in digits (05/03/2026 14:30 in French), from a datetime or from the
    "YYYY-MM-DD HH:MM" text a frozen record keeps (any other text as it is)."""
    if not value:
        return UNKNOWN
    if isinstance(value, str):
        try:
            written = datetime.strptime(value, "%Y-%m-%d %H:%M")
        except ValueError:
            return value
        return formats.date_format(written, "SHORT_DATETIME_FORMAT")
    return i18n.moment(value)


@register.simple_tag
def colon() -> str:
    """``{% translate "Source" %}{% colon %} …``: "Source : …" with a no-break space in French."""
    return i18n.colon()
