"""Reading whole numbers out of user text (query strings, forms, files)."""

from __future__ import annotations


def whole_number(text: object) -> int | None:
    """The number written in ASCII digits, else None. ``str.isdigit`` alone also accepts "²" or "١٢",
    which ``int`` then refuses or reads differently: every user-supplied number goes through here."""
    value = str(text).strip() if text is not None else ""
    return int(value) if value and value.isascii() and value.isdigit() else None
