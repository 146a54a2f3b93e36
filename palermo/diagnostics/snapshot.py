"""The columnar snapshot of flat case rows the diagnostics read (the scope rule of each user is in access.py).

The snapshot is one Parquet file written by ``palermo.cases.flat.write_parquet``, plus its pre-computed
aggregates (:func:`palermo.diagnostics.figures.write_aggregates`) and a small state file saying which data it was
made from. It is refreshed by a background job after cases change (``palermo.diagnostics.jobs``) and by
``palermo diagnostics refresh``; files are written under temporary names then renamed, so readers never see half
a file, and one refresh at a time runs on a host (a file lock beside the snapshot).
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from palermo.diagnostics import disclosure
from palermo.diagnostics.figures import Snapshot, aggregate_paths, write_aggregates

ALL = "all"
# phase (``"checking"``, ``"writing"``, ``"aggregating"``), step done, steps in all
Progress = Callable[[str, int, int], None]
STEPS = 3


def snapshot_path() -> Path:
    configured = getattr(settings, "DIAGNOSTICS_SNAPSHOT", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "diagnostics" / "cases.parquet"


def state_path(path: Path) -> Path:
    return path.with_suffix(".state.json")


def data_state() -> dict[str, Any]:
    """What a snapshot made now would be made from, in three numbers: the cases, the highest id, the latest change.

    Any case recorded, changed (the case's ``updated_at``: imports and the case form both set it) or deleted
    changes it; so do the columns of the flat rows (a snapshot written before a column was added is stale).
    """
    from palermo.cases.flat import FLAT_COLUMNS
    from palermo.cases.models import Case

    found = Case.objects.aggregate(cases=Count("pk"), last_id=Max("pk"), last_change=Max("updated_at"))
    last_change = found["last_change"]
    return {"cases": found["cases"], "last_id": found["last_id"],
            "last_change": last_change.isoformat() if last_change else None, "columns": list(FLAT_COLUMNS)}


def written_state(path: Path) -> dict[str, Any] | None:
    """The state the snapshot at ``path`` was made from (``{"source": ..., "rows": ...}``), if known."""
    try:
        stored = json.loads(state_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stored if isinstance(stored, dict) else None


def is_current(path: Path | None = None) -> bool:
    """Whether the snapshot, with its aggregates, was made from the data as they are now."""
    path = path or snapshot_path()
    stored = written_state(path)
    return _complete(path) and stored is not None and stored.get("source") == data_state()


def _complete(path: Path) -> bool:
    return path.exists() and all(p.exists() for p in aggregate_paths(path))


@contextmanager
def _refresh_lock(path: Path) -> Iterator[None]:
    """One refresh at a time on this host (workers, commands and pages alike); others wait for it."""
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _replace(path: Path, write: Callable[[Path], Any]) -> Any:
    """Write ``path`` under a temporary name beside it, then rename it into place."""
    temporary = path.with_suffix(f".{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        result = write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return result


def _refresh(*, only_if_stale: bool, progress: Progress | None) -> tuple[int, bool]:
    from palermo.cases.flat import write_parquet
    from palermo.cases.models import Case

    def step(phase: str, done: int) -> None:
        if progress:
            progress(phase, done, STEPS)

    path = snapshot_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _refresh_lock(path):
        step("checking", 0)
        # Taken before the rows are read: a change made meanwhile leaves the snapshot stale, never "current".
        source = data_state()
        stored = written_state(path)
        if only_if_stale and stored is not None and stored.get("source") == source and _complete(path):
            step("checking", STEPS)
            return int(stored.get("rows", 0)), False
        step("writing", 1)
        rows = _replace(path, lambda temporary: write_parquet(Case.objects.all(), temporary))
        step("aggregating", 2)
        write_aggregates(path)
        state = json.dumps({"source": source, "rows": rows}, sort_keys=True)
        _replace(state_path(path), lambda temporary: temporary.write_text(state, encoding="utf-8"))
        step("aggregating", STEPS)
    return rows, True


def refresh() -> int:
    """Rewrite the snapshot from every case in the database, now; returns the number of rows."""
    return _refresh(only_if_stale=False, progress=None)[0]


def refresh_if_stale(progress: Progress | None = None) -> tuple[int, bool]:
    """Rewrite the snapshot unless it is already current: (rows, whether it was rewritten)."""
    return _refresh(only_if_stale=True, progress=progress)


def open_snapshot() -> Snapshot:
    """The snapshot, written first if it does not exist yet."""
    path = snapshot_path()
    if not path.exists():
        refresh()
    return Snapshot(path)


def privacy_resolution() -> int:
    return int(getattr(settings, "DIAGNOSTICS_PRIVACY_RESOLUTION", disclosure.DEFAULT_K))
