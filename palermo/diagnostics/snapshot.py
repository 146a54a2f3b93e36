"""The columnar snapshot of flat case rows the diagnostics read (the scope rule of each user is in access.py).

The snapshot is one Parquet file written by ``palermo.cases.flat.write_parquet``, plus its pre-computed
aggregates (:func:`palermo.diagnostics.figures.write_aggregates`); it is refreshed after each case import and
by ``palermo diagnostics refresh``, and written to temporary files then renamed, so readers never see half a
file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from palermo.diagnostics import disclosure
from palermo.diagnostics.figures import Snapshot, write_aggregates

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
