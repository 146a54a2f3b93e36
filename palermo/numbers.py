"""Reading whole numbers out of user text (query strings, forms, files), and writing numbers, money and shares for
readers (the separators come from the caller: ``palermo.i18n`` passes the active language's)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any


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


def grouped(digits: str, separator: str, size: int = 3) -> str:
    """Digits grouped by thousands from the right: ``grouped("1234567", " ")`` is "1 234 567"."""
    if size <= 0 or len(digits) <= size:
        return digits
    head = len(digits) % size or size
    return separator.join([digits[:head], *(digits[i : i + size] for i in range(head, len(digits), size))])


def number_text(
    value: float | int | Decimal,
    places: int = 0,
    *,
    decimal_separator: str = ".",
    thousand_separator: str = ",",
    grouping: int = 3,
) -> str:
    """A number rounded half-up to ``places`` decimals (Django's ``number_format`` cuts instead), thousands
    grouped: ``number_text(1769.5, thousand_separator="\u202f")`` is "1 770"; never "-0"."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    units, _, decimals = f"{abs(rounded):f}".partition(".")
    text = grouped(units, thousand_separator, grouping) + (decimal_separator + decimals if decimals else "")
    return "-" + text if rounded < 0 else text


def money_text(value: float | int | Decimal, places: int = 0, *, symbol_after: bool, **separators: Any) -> str:
    """An amount in euros: "1 770 €" where the sign follows the number (French, with a no-break space),
    "€1,770" where it leads (English)."""
    text = number_text(value, places, **separators)
    if symbol_after:
        return text + "\u00a0€"
    return "-€" + text[1:] if text.startswith("-") else "€" + text
