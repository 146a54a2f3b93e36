"""``palermo import greta FILE``: GRETA recommendations from CSV, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from palermo.accounts.access import SYSTEM
from palermo.programme.services.greta import COLUMNS, GretaImportError, import_recommendations

help = "GRETA recommendations from a CSV file (columns: " + ", ".join(COLUMNS) + ")"


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path, help="CSV file, UTF-8, with a header row")


def handle(command: Any, **options: Any) -> None:
    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        report = import_recommendations(acting_user=SYSTEM.running("palermo import greta"),
                                        text=path.read_text(encoding="utf-8"), source=path.name)
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); nothing imported") from None
    except GretaImportError as error:
        raise CommandError(f"{path}: {len(error.problems)} problem(s), nothing imported:\n{error}") from None
    command.stdout.write(f"GRETA recommendations: {report.created} created, {report.updated} updated")
