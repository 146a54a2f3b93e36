from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from palermo.accounts.access import SYSTEM
from palermo.iati import services
from palermo.iati.problems import IatiRefused


class Command(BaseCommand):
    help = (
        "IATI 2.03 exchange. 'export' writes the programme and its actions; 'import FILE' reads another "
        "publisher's activities (or a Palermo export) after validating the whole file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        out = sub.add_parser("export", help="write the portfolio as an iati-activities file")
        out.add_argument("--output", required=True, help="file to write")
        out.add_argument(
            "--lang",
            choices=["en", "fr"],
            default="en",
            help="default language of the narratives (xml:lang of the activities); the other one is tagged",
        )
        out.add_argument(
            "--validate",
            action="store_true",
            help="check the file against the IATI 2.03 schema (shipped in palermo/iati/data) before writing it",
        )
        out.add_argument(
            "--include-external",
            action="store_true",
            help="also write the other donors' activities imported into Palermo",
        )
        into = sub.add_parser("import", help="read an IATI activity file; all or nothing")
        into.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("lang") or "en"):
            if options["action"] == "export":
                self.export(options)
            else:
                self.import_(options)

    def export(self, options: dict[str, Any]) -> None:
        output = Path(options["output"])
        try:
            count = services.export_file(
                acting_user=SYSTEM.running("palermo iati export"),
                output=output,
                validate=options["validate"],
                include_external=options["include_external"],
                lang=options["lang"],
            )
        except IatiRefused as refused:
            raise CommandError(f"The export is not valid IATI; nothing written:\n{refused}") from refused
        checked = " (valid against the IATI 2.03 schema)" if options["validate"] else ""
        self.stdout.write(self.style.SUCCESS(f"{count} activities written to {output}{checked}."))

    def import_(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror})") from error
        try:
            report = services.import_file(
                acting_user=SYSTEM.running("palermo iati import"), data=data, source=path.name
            )
        except IatiRefused as refused:
            raise CommandError(f"{path.name} refused, nothing imported:\n{refused}") from refused
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(str(warning)))
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {len(report.created)} actions created, {len(report.updated)} updated "
                f"({report.external} from other donors), programmes: {', '.join(report.programmes) or 'none'}."
            )
        )
