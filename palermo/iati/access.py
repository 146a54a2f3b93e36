"""Who may exchange the portfolio with IATI: the system running a command, and programme managers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from palermo.accounts.access import Actor, is_active_user, is_system
from palermo.accounts.roles import IATI_EXCHANGE_ROLES


def may_exchange(actor: Actor) -> bool:
    """Export the whole portfolio, or import a file into it (programmes, actions, other donors' actions)."""
    return is_system(actor) or (is_active_user(actor) and actor.role in IATI_EXCHANGE_ROLES)


def require_exchange(actor: Actor) -> None:
    """For services: anyone else is refused before anything is read or written."""
    if not may_exchange(actor):
        raise PermissionDenied
