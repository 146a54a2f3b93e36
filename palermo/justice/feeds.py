"""The justice figures as measurements of the programme's indicator periods (filled in once the programme's feed
mechanism lands)."""

from __future__ import annotations

from palermo.accounts.access import Actor


def refresh(*, acting_user: Actor, country: str) -> None:
    """Refresh the indicator periods measured by the justice feeds in the actions of ``country``."""
    return None
