"""Signals other capabilities listen to, so that ``cases`` need not know them."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# Sent once the transaction that created, changed or imported cases has committed.
# Arguments: ``sender`` (the Case model), ``count`` (how many cases), ``inline`` (whether
# listeners should finish their work before returning: command-line imports exit right after).
cases_changed = Signal()


def announce_cases_changed(*, count: int, inline: bool = False) -> None:
    from palermo.cases.models import Case

    transaction.on_commit(lambda: cases_changed.send(sender=Case, count=count, inline=inline))
