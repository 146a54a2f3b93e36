"""``palermo import cases FILE --format htcds|ctdc --source NAME --organisation ORG [--country XX]``: ORG is the
organisation's short name as the directory writes it (``NGO-RO``), its full name, or its id."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.access import SYSTEM
from palermo.cases.services.imports import LAYOUTS, import_file
from palermo.numbers import whole_number
from palermo.partners.models import Organisation

help = "Import victim case records from an HTCDS or CTDC file (CSV or XLSX); all rows or none."


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="a .csv or .xlsx file")
    parser.add_argument("--format", dest="layout", choices=LAYOUTS, required=True,
                        help="htcds (the HTCDS v2.0 template) or ctdc (2017 or 2024 layout, detected)")
    parser.add_argument("--source", required=True,
                        help="name of the source; importing the same source again updates its records")
    parser.add_argument("--organisation", required=True, metavar="ORG",
                        help="the owning organisation: its short name (NGO-RO), its name, or its id")
    parser.add_argument("--country", help="ISO alpha-2 code of the owning country (default: the organisation's)")
    parser.add_argument("--report", help="also write the JSON report to this file")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def organisation_named(text: str) -> Organisation:
    """The organisation a person names: by short name or name (case ignored), or by id; an ambiguous or unknown
    name is refused with the candidates or a hint, never guessed."""
    text = str(text).strip()
    if (number := whole_number(text)) is not None:
        found = Organisation.objects.filter(pk=number).first()
        if found is None:
            raise CommandError(f"no organisation with id {number}")
        return found
    for field in ("short_name", "name"):
        matches = list(Organisation.objects.filter(**{f"{field}__iexact": text}).order_by("pk"))
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = "; ".join(f"{o.pk} ({o.name}, {o.country_id or 'international'})" for o in matches)
            raise CommandError(f"{len(matches)} organisations are called {text!r}: give the id of one of {listed}")
    raise CommandError(f"no organisation with the short name, name or id {text!r} "
                       "(the directory lists them: /partners/organisations/)")


def handle(command: BaseCommand, **options: Any) -> None:
    from tqdm import tqdm

    if not Path(options["file"]).is_file():
        raise CommandError(f"{options['file']}: no such file")
    organisation = organisation_named(options["organisation"])
    country = (options.get("country") or organisation.country_id or "").upper()
    if not country:
        raise CommandError("give --country: the organisation has no country")
    bars: dict[str, Any] = {}

    def progress(phase: str, done: int, total: int) -> None:
        if options["no_progress"]:
            return
        bar = bars.get(phase)
        if bar is None:
            for other in bars.values():
                other.close()
            bar = bars[phase] = tqdm(total=total or None, desc=phase, unit="rows", file=sys.stderr)
        bar.update(done - bar.n)

    report = import_file(options["file"], layout=options["layout"], source=options["source"],
                         organisation=organisation, country=country, acting_user=SYSTEM.running("palermo import cases"),
                         progress=progress)
    for bar in bars.values():
        bar.close()
    data = report.as_dict()
    if options.get("report"):
        with open(options["report"], "w", encoding="utf-8") as handle_:
            json.dump(data, handle_, indent=1)
    if report.error:
        raise CommandError(f"nothing imported: {report.error}")
    if not report.ok:
        for problem in data["problems"][:50]:
            command.stderr.write(f"row {problem['row']}, column {problem['column']}, value {problem['value']!r}: "
                                 f"{problem['reason']}")
        more = report.problem_count - min(50, report.problem_count)
        raise CommandError(f"nothing imported: {report.problem_count} problem(s)"
                           + (f", {more} more in the report" if more else ""))
    command.stdout.write(f"{report.layout}: {report.rows} rows, {report.created} created, {report.updated} updated"
                         + (f"; ignored columns: {', '.join(report.ignored_columns)}" if report.ignored_columns
                            else ""))
