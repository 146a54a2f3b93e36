"""``palermo export cases --format htcds|ctdc [--source NAME] [--country CC] --user NAME --output FILE``: the
case records a user sees, in a standard's layout, for the data owner; audited, with a note of the lossy mappings
beside the file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Export case records in the HTCDS v2.0 or CTDC 2024 layout (within the user's scope; audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        cases = sub.add_parser("cases", help="victim case records")
        cases.add_argument("--format", dest="layout", choices=["htcds", "ctdc"], required=True,
                           help="htcds (every HTCDS v2.0 field, re-importable) or ctdc (the 2024 layout)")
        cases.add_argument("--source", default="", help="only the records of this import source")
        cases.add_argument("--country", default="", help="only the cases owned by this country (ISO alpha-2)")
        cases.add_argument("--user", required=True, help="user name of the person exporting (scope, audit)")
        cases.add_argument("--output", required=True, help="the file to write: .csv, or .xlsx (its note beside it)")

    def handle(self, *args: Any, **options: Any) -> None:
        from palermo.accounts.models import User
        from palermo.cases.services.exports import export_cases

        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        try:
            export = export_cases(acting_user=user, layout=options["layout"], output=options["output"],
                                  source=options["source"], country=options["country"])
        except PermissionDenied as error:
            raise CommandError(f"export refused: {error}") from error
        self.stdout.write(f"{export.rows} case(s) -> {export.path}"
                          + ("" if export.identifying else " (no identifying columns)") + f"; note: {export.note_path}")
