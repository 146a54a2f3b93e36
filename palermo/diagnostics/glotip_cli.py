"""``palermo import glotip FILE``: load UNODC's GLOTIP country data (``data_glotip.xlsx``), all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

help = "UNODC GLOTIP country data (data_glotip.xlsx): detected victims, prosecutions, convictions"

MAX_PROBLEMS_SHOWN = 50


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="the GLOTIP workbook (data_glotip.xlsx)")
    parser.add_argument("--source", default="UNODC GLOTIP",
                        help="name of the source; importing the same source again replaces its values")


def handle(command: BaseCommand, **options: Any) -> None:
    from palermo.accounts.access import SYSTEM
    from palermo.diagnostics.services import GlotipImportError, import_glotip

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        batch, report = import_glotip(acting_user=SYSTEM.running("palermo import glotip"), path=path,
                                      source=options["source"])
    except GlotipImportError as error:
        for problem in error.report.problems[:MAX_PROBLEMS_SHOWN]:
            command.stderr.write(str(problem))
        more = len(error.report.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            command.stderr.write(f"... and {more} more")
        raise CommandError(f"{path.name}: {error}") from error
    except Exception as error:  # an unreadable workbook
        if error.__class__.__module__.startswith(("zipfile", "openpyxl")):
            raise CommandError(f"{path.name}: not a readable XLSX workbook ({error})") from error
        raise
    command.stdout.write(command.style.SUCCESS(
        f"{batch.values_stored} values imported from {path.name} ({report.suppressed_count} suppressed '<5', "
        f"{report.aggregate_rows_skipped} regional aggregate rows skipped, {report.repeated_rows} rows repeating "
        f"another's label kept as published, {report.rows_read} rows read)."
    ))
