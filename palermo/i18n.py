"""The reader's language: bilingual content stored as an English and a French field, and numbers, money, dates and
the colon written as the active language writes them (``1 770 €``, ``33,34 %``, ``05/03/2026``, ``Source :``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language

from palermo import numbers


def in_active_language(english: str, french: str) -> str:
    """The French text when French is active and a French text exists, else the English one."""
    return french if french and is_french() else english


def is_french() -> bool:
    return (get_language() or "en").startswith("fr")


def separators() -> dict[str, Any]:
    grouping = formats.get_format("NUMBER_GROUPING")
    return {
        "decimal_separator": str(formats.get_format("DECIMAL_SEPARATOR")),
        "thousand_separator": str(formats.get_format("THOUSAND_SEPARATOR")),
        "grouping": grouping if isinstance(grouping, int) else 3,
    }


def number(value: float | int | Decimal, places: int = 0) -> str:
    """A count or measure, thousands grouped: "1 770" in French, "1,770" in English."""
    return numbers.number_text(value, places, **separators())


def money(value: float | int | Decimal, places: int = 0) -> str:
    """An amount in euros: "1 770 €" in French, "€1,770" in English (whole euros unless ``places``)."""
    return numbers.money_text(value, places, symbol_after=is_french(), **separators())


def percent(fraction: float | Decimal) -> str:
    """A share (0.25 for 25 %): "25 %", "0,4 %" (``palermo.numbers.percent_text``)."""
    return numbers.percent_text(fraction, str(formats.get_format("DECIMAL_SEPARATOR")))


def share(percentage: float | Decimal) -> str:
    """A percentage as stored (33.34 for 33.34 %), with its decimals: "33,34 %" in French, "33.34 %" in English."""
    value = Decimal(str(percentage)).normalize()
    exponent = value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number(value, min(places, 2)) + "\u00a0%"


def day(value: date | datetime) -> str:
    """A date in digits: 05/03/2026 in French, 2026-03-05 in English."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def moment(value: datetime) -> str:
    """A date and time in digits, in the server's time zone: 05/03/2026 14:30 in French, 2026-03-05 14:30 in English."""
    shown = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(shown, "SHORT_DATETIME_FORMAT")


def colon() -> str:
    """The colon after a label: " :" with a no-break space in French, ":" in English (followed by a space)."""
    return "\u00a0:" if is_french() else ":"
