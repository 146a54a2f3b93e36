from __future__ import annotations

import syslog
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.audit.models import AuditEvent
from palermo.audit.services import (
    chain_head,
    read_checkpoints,
    verify_against_checkpoints,
    verify_chain,
    write_checkpoint,
)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = ("Work with the audit log. 'verify' recomputes the keyed hash chain and compares it with the signed "
            "checkpoints; 'checkpoint' appends the signed head of the chain to a file kept outside the database.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check that no audit row was edited, inserted or removed")
        verify.add_argument("--checkpoints", type=Path,
                            help="file of signed checkpoints (default: PALERMO_AUDIT_CHECKPOINT_FILE, when present)")
        checkpoint = sub.add_parser("checkpoint", help="append the signed head of the chain to a file (and syslog)")
        checkpoint.add_argument("--output", type=Path,
                                help="file to append to (default: PALERMO_AUDIT_CHECKPOINT_FILE)")
        checkpoint.add_argument("--syslog", action="store_true", help="also send the checkpoint line to syslog")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self.checkpoint(options["output"], options["syslog"])
        else:
            self.verify(options["checkpoints"])

    def checkpoint(self, output: Path | None, to_syslog: bool) -> None:
        target = output or Path(settings.AUDIT_CHECKPOINT_FILE)
        checkpoint = write_checkpoint(target)
        if to_syslog:
            syslog.openlog("palermo-audit", 0, syslog.LOG_AUTH)
            syslog.syslog(syslog.LOG_NOTICE, checkpoint.to_line())
        self.stdout.write(self.style.SUCCESS(
            f"Checkpoint written to {target}: row {checkpoint.seq}, {plural(checkpoint.rows, 'row')} in the log."))

    def verify(self, path: Path | None) -> None:
        problem = verify_chain()
        if problem is not None:
            raise CommandError(f"Audit chain broken at row {problem.seq}: {problem.reason}")
        checkpoints_file = path or Path(settings.AUDIT_CHECKPOINT_FILE)
        agreed = ""
        if path is not None or checkpoints_file.exists():
            try:
                checkpoints = read_checkpoints(checkpoints_file)
            except (OSError, ValueError) as error:
                raise CommandError(f"Checkpoints cannot be used: {error}") from error
            problem = verify_against_checkpoints(checkpoints)
            if problem is not None:
                raise CommandError(f"Audit log disagrees with its checkpoints at row {problem.seq}: {problem.reason}")
            agreed = f"; {plural(len(checkpoints), 'checkpoint')} of {checkpoints_file} agree"
        count = AuditEvent.objects.count()
        keyed_from = chain_head().keyed_from
        older = (f" (rows 1 to {keyed_from - 1} predate the audit key and are checked by plain SHA-256)"
                 if keyed_from > 1 else "")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {plural(count, 'row')} verified{older}{agreed}."))
