"""The one rule for bilingual content stored as an English and a French field."""

from __future__ import annotations

from django.utils.translation import get_language


def in_active_language(english: str, french: str) -> str:
    """The French text when French is active and a French text exists, else the English one."""
    return french if french and (get_language() or "en").startswith("fr") else english
