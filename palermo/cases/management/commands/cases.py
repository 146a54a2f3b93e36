"""``palermo cases rotate-key`` and ``palermo cases key-status``: rotation of the field encryption key;
``palermo cases purge``: the identities of closed cases at the end of their country's retention."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.access import SYSTEM
from palermo.cases import index
from palermo.cases.crypto import LEGACY
from palermo.cases.encrypted import count_rows_to_rotate, key_counts
from palermo.cases.fields import keyring
from palermo.cases.services.retention import purge
from palermo.cases.services.rotation import INDEX_LABEL, RotationError, rotate


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = ("Victim case records. 'rotate-key' re-encrypts the identifying values not sealed by the current key; "
            "'key-status' counts the values per key id; 'purge' empties the identifying fields of closed cases "
            "whose country's retention period has ended.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate_parser = sub.add_parser("rotate-key", help="re-encrypt with PALERMO_FIELD_ENCRYPTION_KEY every value "
                                                          "sealed by an old key; resumable")
        rotate_parser.add_argument("--batch-size", type=_positive, default=1000,
                                   help="rows per transaction (default 1000)")
        rotate_parser.add_argument("--limit", type=_positive,
                                   help="stop after this many rows (run again to continue)")
        rotate_parser.add_argument("--dry-run", action="store_true",
                                   help="decrypt everything to be rotated and report, writing nothing")
        rotate_parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        sub.add_parser("key-status", help="count the encrypted values per key id")
        purge_parser = sub.add_parser("purge", help="empty the identifying fields of closed cases past their "
                                                    "country's retention, not on legal hold; audited")
        purge_parser.add_argument("--dry-run", action="store_true", help="count what would be purged, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "key-status":
            self.key_status()
        elif options["action"] == "purge":
            self.purge(dry_run=options["dry_run"])
        else:
            self.rotate_key(batch_size=options["batch_size"], limit=options["limit"], dry_run=options["dry_run"],
                            show_progress=not options["no_progress"])

    def key_status(self) -> None:
        ring = keyring()
        counts = key_counts()
        self.stdout.write(f"{'key id':<10} {'values':>12}  state")
        unknown = 0
        for key_id in [*ring.key_ids, *sorted(set(counts) - set(ring.key_ids))]:
            if key_id == ring.current.key_id:
                state = "current key"
            elif key_id in ring.ciphers:
                state = "old key (PALERMO_FIELD_ENCRYPTION_OLD_KEYS)"
            elif key_id == LEGACY:
                state = "written before key ids: run rotate-key"
            else:
                state = "NOT CONFIGURED: these values cannot be read"
                unknown += counts[key_id]
            self.stdout.write(f"{key_id:<10} {counts.get(key_id, 0):>12}  {state}")
        old = sum(count for key_id, count in counts.items() if key_id != ring.current.key_id)
        self.stdout.write(f"Current key id {ring.current.key_id}; values under other keys: {old}.")
        indexed = index.count_by_key()
        self.stdout.write("Blind index of names, cases per key id: " + (
            ", ".join(f"{key_id}: {count}" for key_id, count in indexed.items()) or "none") + ".")
        if unknown:
            raise CommandError(f"{unknown} value(s) sealed by keys that are not configured")

    def purge(self, *, dry_run: bool) -> None:
        report = purge(acting_user=SYSTEM.running("palermo cases purge"), dry_run=dry_run)
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(f"{'country':<8}{'years':>6}  {'closed on or before':<20}{verb:>16}{'on hold':>9}")
        for country in report.countries:
            self.stdout.write(f"{country.country:<8}{country.years_after_closure:>6}  {country.cutoff.isoformat():<20}"
                              f"{country.purged:>16}{country.held:>9}")
        for code, count in report.without_policy.items():
            self.stdout.write(f"{code:<8}no policy: nothing purged ({count} closed case(s) keep their identity)")
        if not report.countries:
            self.stdout.write("No retention policy is set: nothing is purged (programme managers set them on "
                              "/cases/retention/).")
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{report.purged} case(s) {verb}"
                          f"{'; nothing written.' if dry_run else '.'}")

    def rotate_key(self, *, batch_size: int, limit: int | None, dry_run: bool, show_progress: bool) -> None:
        from tqdm import tqdm

        ring = keyring()
        to_rotate = count_rows_to_rotate(ring) + index.count_stale()
        total = to_rotate if limit is None else min(limit, to_rotate)
        rows = values = batches = reindexed = 0
        from_keys: Counter[str] = Counter()
        bar = tqdm(total=total, desc="dry run" if dry_run else "re-encrypting", unit="rows", file=sys.stderr,
                   disable=not show_progress)
        try:
            for result in rotate(acting_user=SYSTEM.running("palermo cases rotate-key"), batch_size=batch_size,
                                 limit=limit, dry_run=dry_run):
                if result.table == INDEX_LABEL:
                    reindexed += result.rows
                    bar.update(result.rows)
                    continue
                batches += 1
                rows += result.rows
                values += result.values
                from_keys.update(result.from_key_ids)
                bar.update(result.rows)
        except RotationError as error:
            raise CommandError(
                f"{error}. {rows} row(s) in {batches} batch(es) were re-encrypted before this one and are kept."
                if rows and not dry_run else str(error)
            ) from error
        finally:
            bar.close()
        sources = ", ".join(f"{key_id}: {count}" for key_id, count in sorted(from_keys.items())) or "none"
        if dry_run:
            self.stdout.write(f"Dry run: {values} value(s) in {rows} row(s) would be re-encrypted with key id "
                              f"{ring.current.key_id} (from {sources}); every one opens with the configured keys. "
                              f"The blind index of {reindexed} case(s) would be recomputed. Nothing written.")
            return
        remaining, stale = count_rows_to_rotate(ring), index.count_stale()
        self.stdout.write(f"Re-encrypted {values} value(s) in {rows} row(s), {batches} batch(es), with key id "
                          f"{ring.current.key_id} (from {sources}); blind index recomputed for {reindexed} case(s).")
        old_values = sum(count for key_id, count in key_counts().items() if key_id != ring.current.key_id)
        self.stdout.write(f"Values remaining under old keys: {old_values}.")
        left = f"{remaining} row(s)" + (f" and the blind index of {stale} case(s)" if stale else "")
        if (remaining or stale) and limit is None:
            raise CommandError(f"{left} still under old keys; run rotate-key again")
        if remaining or stale:
            self.stdout.write(f"{left} left: run rotate-key again to continue.")
        else:
            self.stdout.write(self.style.SUCCESS("Every value is sealed by the current key: the old keys may be "
                                                 "removed from PALERMO_FIELD_ENCRYPTION_OLD_KEYS."))
