"""Reading whole numbers out of user text (query strings, forms, files), and writing shares for readers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def whole_number(text: object) -> int | None:
    """The number written in ASCII digits, else None. ``str.isdigit`` alone also accepts "²" or "١٢",
    which ``int`` then refuses or reads differently: every user-supplied number goes through here."""
    value = str(text).strip() if text is not None else ""
    return int(value) if value and value.isascii() and value.isdigit() else None


def percent_text(fraction: float | Decimal, decimal_separator: str = ".") -> str:
    """A share (0.25 for 25 %) as a reader sees it: whole percents, one decimal under 1 % so that a small share
    never reads "0 %", and "< 0.1 %" below that; a non-breaking space before the sign."""
    percent = Decimal(str(fraction)) * 100
    size = abs(percent)
    if size == 0:
        text = "0"
    elif size < Decimal("0.05"):
        text = "< 0.1" if percent > 0 else "> -0.1"
    else:
        places = Decimal("0.1") if size < Decimal("0.95") else Decimal("1")
        text = str(percent.quantize(places, ROUND_HALF_UP))
    return text.replace(".", decimal_separator) + "\u00a0%"
