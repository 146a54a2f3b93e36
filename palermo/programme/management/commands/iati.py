from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme.iati import codes, export, importer, rules, safexml
from palermo.programme.iati.problems import IatiRefused


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
            help="check the file against the IATI schema in PALERMO_IATI_SCHEMA_DIR before writing it",
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
        data = export.export_bytes(include_external=options["include_external"], lang=options["lang"])
        tree = safexml.parse(data)
        problems = rules.rule_problems(tree, codes.long_codelists(settings.PALERMO_IATI_CODELIST_DIR or None))
        if options["validate"]:
            if not settings.PALERMO_IATI_SCHEMA_DIR:
                raise CommandError("--validate needs the IATI schema: set PALERMO_IATI_SCHEMA_DIR")
            problems = rules.schema_problems(tree, settings.PALERMO_IATI_SCHEMA_DIR) + problems
        errors = [p for p in problems if not p.warning]
        if errors:
            raise CommandError("The export is not valid IATI; nothing written:\n" + str(IatiRefused(errors)))
        output = Path(options["output"])
        output.write_bytes(data)
        count = len(tree.getroot())
        with transaction.atomic():
            record(
                actor=None,
                actor_username="cli",
                action=AuditEvent.Action.EXPORT,
                object_type="programme.iati",
                object_id=output.name[:100],
                detail={"activities": count, "validated": options["validate"]},
            )
        checked = " (valid against the IATI 2.03 schema)" if options["validate"] else ""
        self.stdout.write(self.style.SUCCESS(f"{count} activities written to {output}{checked}."))

    def import_(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror})") from error
        try:
            report = importer.import_file(acting_user=None, data=data, source=path.name)
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
