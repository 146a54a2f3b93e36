"""The columnar snapshot of flat case rows the diagnostics read, and the scope rule of each user.

The snapshot is one Parquet file written by ``palermo.cases.flat.write_parquet``, plus its pre-computed
aggregates (:func:`palermo.diagnostics.figures.write_aggregates`); it is refreshed after each case import and
by ``palermo diagnostics refresh``, and written to temporary files then renamed, so readers never see half a
file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from palermo.accounts.roles import ALL_COUNTRY_ROLES
from palermo.diagnostics import disclosure
from palermo.diagnostics.figures import Scope, Snapshot, write_aggregates

if TYPE_CHECKING:
    from palermo.accounts.models import User

_lock = threading.Lock()
ALL = "all"


def snapshot_path() -> Path:
    configured = getattr(settings, "DIAGNOSTICS_SNAPSHOT", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "diagnostics" / "cases.parquet"


def refresh() -> int:
    """Rewrite the snapshot from every case in the database; returns the number of rows."""
    from palermo.cases.flat import write_parquet
    from palermo.cases.models import Case

    path = snapshot_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    with _lock:
        rows = write_parquet(Case.objects.all(), temporary)
        os.replace(temporary, path)
        write_aggregates(path)
    return rows


_pending = threading.Event()
_worker: threading.Thread | None = None


def on_cases_changed(sender: Any, count: int = 0, inline: bool = False, **kwargs: Any) -> None:
    """Refresh the snapshot after cases were committed: now for a command that exits next, else in the
    background, coalescing the changes that arrive while a refresh runs into one more refresh."""
    global _worker
    if inline:
        refresh()
        return
    _pending.set()
    if _worker is None or not _worker.is_alive():
        _worker = threading.Thread(target=_refresh_while_pending, name="diagnostics-refresh", daemon=True)
        _worker.start()


def _refresh_while_pending() -> None:
    from django.db import connection

    try:
        while _pending.is_set():
            _pending.clear()
            refresh()
    finally:
        connection.close()


def open_snapshot() -> Snapshot:
    """The snapshot, written first if it does not exist yet."""
    path = snapshot_path()
    if not path.exists():
        refresh()
    return Snapshot(path)


def privacy_resolution() -> int:
    return int(getattr(settings, "DIAGNOSTICS_PRIVACY_RESOLUTION", disclosure.DEFAULT_K))


def scope_for(user: User, country: str | None = None, **filters: Any) -> Scope:
    """The scope rule (docs/diagnostics.md): exact figures only over the user's own countries.

    A country-scoped user asking for its countries (or one of them) gets exact counts; any other request —
    another country, every country, or anything asked by a role whose scope is every country — is computed
    through the released path (k-rounded, with complementary suppression).
    """
    k = privacy_resolution()
    own = user.country_codes()
    is_scoped = user.role not in ALL_COUNTRY_ROLES and own is not None
    if country == ALL:
        return Scope(None, False, k, **filters)
    if country:
        exact = is_scoped and own is not None and country in own
        return Scope(frozenset({country}), exact, k, **filters)
    if is_scoped:
        return Scope(own, True, k, **filters)
    return Scope(None, False, k, **filters)
