"""The unique-victim figures other pages show (the diagnostics dashboard): the latest count from encodings."""

from __future__ import annotations

from palermo.accounts.access import Principal
from palermo.linkage.access import may_see_linkage_figures
from palermo.linkage.models import UniqueCount


def latest_unique_count(user: Principal | None) -> UniqueCount | None:
    """The last distinct-victim estimate, for those who may see the linkage figures (no identifier in it)."""
    if not may_see_linkage_figures(user):
        return None
    return UniqueCount.objects.first()
