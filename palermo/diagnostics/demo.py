"""Demo: refresh the diagnostics snapshot once the demo cases are loaded (runs after ``palermo.cases.demo``)."""

from __future__ import annotations


def load(log: list[str]) -> None:
    from palermo.diagnostics.snapshot import refresh, snapshot_path

    rows = refresh()
    log.append(f"diagnostics: snapshot of {rows} cases written to {snapshot_path()}")
