"""``palermo diagnostics refresh``: rewrite the columnar snapshot the diagnostics pages read."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Diagnostics maintenance: 'refresh' rewrites the case snapshot (Parquet) read by the dashboards."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh"])

    def handle(self, *args: Any, **options: Any) -> None:
        from palermo.diagnostics.snapshot import refresh, snapshot_path

        started = time.perf_counter()
        rows = refresh()
        self.stdout.write(self.style.SUCCESS(
            f"{rows} cases written to {snapshot_path()} in {time.perf_counter() - started:.1f} s"
        ))
