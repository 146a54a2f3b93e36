"""``palermo reference export indicators`` and ``palermo reference import indicators FILE.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo import tabular
from palermo.accounts.access import SYSTEM
from palermo.reference.indicator_files import COLUMNS, IndicatorFileError, export_rows, import_indicators


class Command(BaseCommand):
    help = ("Reference data as files. 'export indicators' writes the active version of each indicator list as CSV "
            "(one row per indicator: " + ", ".join(COLUMNS) + "); 'import indicators FILE.csv' loads such a file as "
            "a new version of each list it names, all or nothing, audited (docs/screening.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write reference data as CSV")
        export.add_argument("what", choices=["indicators"])
        export.add_argument("--output", help="file to write (default: standard output)")
        export.add_argument("--list", action="append", default=[], dest="lists",
                            help="only this list (repeatable), e.g. adult-labour")
        load = sub.add_parser("import", help="load reference data from CSV, all or nothing")
        load.add_argument("what", choices=["indicators"])
        load.add_argument("file")
        load.add_argument("--version", default="", help="the new version's name (default: today's date)")
        load.add_argument("--verified", action="store_true",
                          help="the wording was checked against the publication the rows cite")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            body = tabular.csv_bytes(COLUMNS, export_rows(options["lists"]))
            if options["output"]:
                Path(options["output"]).write_bytes(body)
            else:
                self.stdout.write(body.decode("utf-8"), ending="")
            return
        name = options["file"]
        try:
            text = Path(name).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"{name}: cannot be read ({error.strerror})") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{name}: not UTF-8 text") from error
        if len(options["version"]) > 20:
            raise CommandError("--version: at most 20 characters")
        try:
            created = import_indicators(actor=SYSTEM.running("palermo reference import indicators"), text=text,
                                        file_name=Path(name).name, version=options["version"],
                                        verified=options["verified"])
        except IndicatorFileError as error:
            raise CommandError(f"{name}: nothing imported:\n{error}") from error
        for item in created:
            self.stdout.write(f"{item.code} {item.version}: {item.indicators.count()} indicators, "
                              f"{'verified' if item.verified else 'NOT verified'}; now the active version")
