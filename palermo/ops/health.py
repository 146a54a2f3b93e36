"""Readiness checks: the built-in ones and a registry other apps add theirs to.

A check is a function of no argument. It passes when it returns ``None`` or ``True``; it fails when it returns
a reason (a short text), ``False``, or raises (the exception is the reason). It may also return ``(ok, message)``:
the message is the reason of a failure, or what a passing check saw::

    from palermo.ops.health import add_check
    add_check("worker", worker_check)   # from an AppConfig.ready

``/readyz`` runs every check and answers 503 naming the failed ones.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

Check = Callable[[], "str | bool | tuple[bool, str] | None"]
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")

_checks: dict[str, Check] = {}


def add_check(name: str, fn: Check) -> None:
    """Register ``fn`` under ``name`` (lower case, digits, ``-``, ``_``); registering a name again replaces it."""
    if not NAME.match(name):
        raise ValueError(f"a check name is lower case letters, digits, '-' or '_': {name!r}")
    _checks[name] = fn


def remove_check(name: str) -> None:
    _checks.pop(name, None)


def check_names() -> list[str]:
    return list(_checks)


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    reason: str
    milliseconds: float


def run_checks() -> list[Result]:
    results = []
    for name, fn in list(_checks.items()):
        start = time.perf_counter()
        try:
            outcome = fn()
        except Exception as error:  # a failing check is a finding, not a crash of the probe
            outcome = f"{type(error).__name__}: {error}".strip()
        if isinstance(outcome, tuple):
            ok, reason = bool(outcome[0]), str(outcome[1])
        else:
            ok = outcome is None or outcome is True
            reason = "" if ok else ("failed" if outcome is False else str(outcome))
        results.append(Result(name, ok, reason[:300], round((time.perf_counter() - start) * 1000, 1)))
    return results


def database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def migrations() -> str | None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return None
    names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    return f"{len(names)} not applied: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}"


def diagnostics_snapshot() -> str | None:
    """The dashboards' snapshot exists when there are cases, and does not lag the cases by more than the setting."""
    from palermo.cases.models import Case
    from palermo.diagnostics.snapshot import snapshot_path

    path = snapshot_path()
    if not path.exists():
        return "missing, and there are cases" if Case.objects.exists() else None
    written = path.stat().st_mtime
    age = time.time() - written
    if age <= settings.READY_SNAPSHOT_MAX_AGE_MINUTES * 60:
        return None
    if Case.objects.filter(updated_at__gt=datetime.fromtimestamp(written, UTC)).exists():
        return f"written {age / 60:.0f} minutes ago, and cases changed since"
    return None


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def disk() -> str | None:
    """Free space, on the file systems of the data folder and of uploaded documents, above the setting."""
    minimum = settings.READY_MIN_FREE_MB
    short = []
    seen: set[int] = set()
    for folder in (Path(settings.VAR_DIR), Path(settings.MEDIA_ROOT)):
        existing = _existing(folder)
        device = existing.stat().st_dev
        if device in seen:
            continue
        seen.add(device)
        free_mb = shutil.disk_usage(existing).free // (1024 * 1024)
        if free_mb < minimum:
            short.append(f"{folder}: {free_mb} MB free, below {minimum} MB")
    return "; ".join(short) or None


add_check("database", database)
add_check("migrations", migrations)
add_check("diagnostics-snapshot", diagnostics_snapshot)
add_check("disk", disk)
