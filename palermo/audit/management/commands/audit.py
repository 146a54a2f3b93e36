from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.audit.models import AuditEvent
from palermo.audit.services import verify_chain


class Command(BaseCommand):
    help = "Work with the audit log. 'verify' recomputes the hash chain and names the first bad row."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check that no audit row was edited or removed")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            problem = verify_chain()
            if problem is not None:
                raise CommandError(f"Audit chain broken at row {problem.seq}: {problem.reason}")
            count = AuditEvent.objects.count()
            self.stdout.write(
                self.style.SUCCESS(f"Audit chain intact: {count} row{'' if count == 1 else 's'} verified.")
            )
