"""``palermo import attendance FILE --training ID``: a training's attendance sheet (CSV or XLSX), all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.access import SYSTEM
from palermo.capacity.attendance import HEADERS, import_attendance
from palermo.capacity.models import Training

help = "A training's attendance sheet (CSV or XLSX; columns " + ", ".join(HEADERS) + "); all rows or none."


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path, help="a .csv or .xlsx file with a header row")
    parser.add_argument("--training", type=int, required=True, metavar="ID", help="the training's id")
    parser.add_argument("--report", type=Path, help="also write the JSON report to this file")


def handle(command: BaseCommand, **options: Any) -> None:
    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    training = Training.objects.filter(pk=options["training"]).first()
    if training is None:
        raise CommandError(f"no training with id {options['training']}")
    report = import_attendance(acting_user=SYSTEM.running("palermo import attendance"), training=training,
                               path=path)
    if options.get("report"):
        options["report"].write_text(json.dumps(report.as_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    if report.error:
        raise CommandError(f"nothing imported: {report.error}")
    if not report.ok:
        for problem in report.problems[:50]:
            command.stderr.write(f"row {problem.row}, column {report.columns.get(problem.field, problem.field)}, "
                                 f"value {problem.value!r}: {problem.reason}")
        more = report.problem_count - min(50, report.problem_count)
        raise CommandError(f"nothing imported: {report.problem_count} problem(s) in {report.rows} rows"
                           + (f", {more} more in the report" if more else ""))
    command.stdout.write(f"attendance of training {training.pk}: {report.rows} rows, {report.created} created, "
                         f"{report.updated} updated"
                         + (f"; ignored columns: {', '.join(report.ignored_columns)}" if report.ignored_columns
                            else ""))
