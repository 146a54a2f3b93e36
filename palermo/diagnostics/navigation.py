"""Links and the home headline the diagnostics app contributes to the shell."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.diagnostics.access import may_release, scope_for
from palermo.web import registry


def detected_victims_latest_year(user: User) -> str | None:
    """Persons identified in the latest year of the user's scope (released figure outside it)."""
    from palermo.diagnostics import cached, figures
    from palermo.diagnostics.figures import Snapshot
    from palermo.diagnostics.snapshot import snapshot_path

    if not snapshot_path().exists():  # written by imports and the dashboard, not by the home page
        return None
    scope = scope_for(user)

    def compute() -> tuple[int | None, int | None]:
        with Snapshot(snapshot_path()) as snap:
            year = figures.latest_year(snap, scope)
            return year, None if year is None else figures.headline_total(snap, scope, year)

    year, count = cached.remember("headline", [cached.scope_key(scope)], compute)
    if year is None:
        return None
    shown = "<" + str(scope.k) if count is None else number_format(count, force_grouping=True)
    return f"{shown} ({year})"


def register() -> None:
    registry.add_link("objective-1", _("Diagnostics"), "diagnostics:dashboard", order=10)
    registry.add_link("objective-1", _("Official statistics (UNODC)"), "diagnostics:official", order=12)
    registry.add_link("objective-1", _("Privacy-safe releases"), "diagnostics:releases", allowed=may_release,
                      order=14)
    registry.add_headline(_("Victims identified in the latest year (your scope)"), detected_victims_latest_year,
                          "diagnostics:dashboard", order=10)
