"""Diagnostics figures, and the pieces of pages drawn from them, kept in Django's cache (``CACHES["default"]``,
docs/configuration.md) so that a dashboard is computed once per snapshot and scope, not once per request.

A value is keyed by everything it is made from, and never by who asked:

- the **version of the snapshot**: its state file and the identity (inode, size, modification time) of its Parquet
  files, which a refresh writes under new names and renames into place; a refresh therefore changes the key, and
  the next request computes afresh (entries of older versions are never read again and age out of the cache);
- the **scope**, every field of :class:`~palermo.diagnostics.figures.Scope`: owner countries, exact or released
  (the disclosure control applied, with its resolution k), years, statuses. Two people with the same scope share
  the same figures; anyone whose scope differs in any way (another country, released rather than exact figures,
  another k) has another key;
- for what a page shows, whatever else the page draws into it (language, labels, official figures, query string).

Without a snapshot file there is nothing to key on: the value is computed (and the snapshot written) every time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache

from palermo.diagnostics import snapshot
from palermo.diagnostics.figures import Scope, aggregate_paths

T = TypeVar("T")
# Bumped when a cached value changes shape; the cache is per process (settings), so a restart empties it anyway.
FORMAT = 1
# Unused entries go after this long (or sooner, least recently used first, when the cache is full); the key, not
# the timeout, keeps what is served right.
TIMEOUT_SECONDS = 6 * 3600
_MISSING = object()


def snapshot_version() -> str | None:
    """What identifies the snapshot the figures are read from now; None when there is none yet."""
    path = snapshot.snapshot_path()
    files: list[list[int] | None] = []
    for part in (path, *aggregate_paths(path)):
        try:
            stat = part.stat()
        except FileNotFoundError:
            files.append(None)
            continue
        files.append([stat.st_ino, stat.st_size, stat.st_mtime_ns])
    if files[0] is None:
        return None
    return _digest([str(path), files, snapshot.written_state(path)])


def scope_key(scope: Scope) -> list[Any]:
    """Every field of the scope (a field added later joins the key by itself), sets sorted."""
    return [sorted(value) if isinstance(value, frozenset) else value
            for value in (getattr(scope, field.name) for field in dataclasses.fields(scope))]


def remember(kind: str, parts: Sequence[Any], compute: Callable[[], T]) -> T:
    """The cached value of ``kind`` for ``parts`` (plain JSON-able values) at the snapshot's current version,
    computed by ``compute`` when absent."""
    version = snapshot_version()
    if version is None:
        return compute()
    key = f"palermo.diagnostics.{kind}.{FORMAT}.{_digest([version, *parts])}"
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    value = compute()
    cache.set(key, value, TIMEOUT_SECONDS)
    return value


def _digest(parts: Sequence[Any]) -> str:
    text = json.dumps(list(parts), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
