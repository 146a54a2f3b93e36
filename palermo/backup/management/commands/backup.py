"""``palermo backup create --output DIR`` and ``palermo backup restore DIR`` (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.access import SYSTEM
from palermo.backup.manifest import BackupError
from palermo.backup.services import create_backup, restore_backup


def _size(count: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count = count / 1000  # type: ignore[assignment]
    return str(count)


class Command(BaseCommand):
    help = ("Backups. 'create --output DIR' writes the database, the media files and a sealed manifest into a new "
            "folder; 'restore DIR' restores one into an empty database and verifies it.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="back up the database and the media files into a new folder")
        create.add_argument("--output", required=True, help="folder to write (new or empty)")
        restore = sub.add_parser("restore", help="restore a backup into an empty database, then verify it")
        restore.add_argument("folder", help="the backup folder (holding manifest.json)")
        restore.add_argument("--decrypt-all", action="store_true",
                             help="decrypt every encrypted value to check the keys (default: a sample per key id)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self.create(Path(options["output"]))
            else:
                self.restore(Path(options["folder"]), decrypt_all=options["decrypt_all"])
        except BackupError as error:
            raise CommandError(str(error)) from error

    def create(self, output: Path) -> None:
        result = create_backup(actor=SYSTEM.running("palermo backup create"), output=output, say=self.stdout.write)
        manifest = result.manifest
        for name in result.skipped:
            self.stdout.write(self.style.WARNING(f"Not backed up: {name}"))
        key_ids = ", ".join(f"{key_id} ({count})" for key_id, count in manifest["encryption"]["key_ids_in_use"].items())
        self.stdout.write(
            f"Database: {len(manifest['tables'])} tables, {result.rows} rows ({manifest['database']['tool']}, "
            f"{result.seconds['database']:.1f} s; rows hashed in {result.seconds['inspect']:.1f} s).\n"
            f"Media: {result.media_files} file(s) ({result.seconds['files']:.1f} s).\n"
            f"Key ids in use: {key_ids or 'none'} (the keys themselves are not in the backup: keep them apart).")
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {result.folder} ({len(manifest['files'])} files, {_size(result.size)}), "
            f"sealed with key id {manifest['seal']['key_id']}."))

    def restore(self, folder: Path, *, decrypt_all: bool) -> None:
        result = restore_backup(actor=SYSTEM.running("palermo backup restore"), source=folder,
                                decrypt_all=decrypt_all, say=self.stdout.write)
        manifest = result.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (Palermo {manifest['platform_version']}, "
            f"{manifest['database']['engine']}): checked in {result.seconds['checks']:.1f} s, database in "
            f"{result.seconds['database']:.1f} s, "
            f"{result.media_files} media file(s) ({_size(result.media_bytes)}) in {result.seconds['files']:.1f} s; "
            f"verified in {result.seconds['verify']:.1f} s:")
        for check in result.checks:
            mark = self.style.SUCCESS("ok    ") if check.ok else self.style.ERROR("FAILED")
            self.stdout.write(f"  {mark} {check.name}: {check.detail}")
        for note in result.notes:
            self.stdout.write(self.style.WARNING(f"Note: {note}."))
        if result.failed:
            raise CommandError("Restore verification failed: " + ", ".join(check.name for check in result.failed))
        self.stdout.write(self.style.SUCCESS(
            "Restore verified. Next: `palermo diagnostics refresh` rebuilds the dashboards' snapshot, which a backup "
            "does not hold."))
