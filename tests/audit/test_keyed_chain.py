"""The keyed chain and its signed checkpoints: a rewrite without the key, a cut end, a forged checkpoint."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from palermo.audit import chain
from palermo.audit.models import AuditEvent, ChainHead
from palermo.audit.services import record

pytestmark = pytest.mark.django_db


def write_events(count: int) -> None:
    for number in range(count):
        record(actor=None, actor_username=f"user{number}", action=AuditEvent.Action.EXPORT, object_type="test",
               object_id=number)


def audit(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue().strip()


def rows() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, at, actor_id, actor_username, action, object_type, object_id, country, ip, "
                       "detail, prev_hash, hash FROM audit_auditevent ORDER BY seq")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def rehash_from(seq: int, key: bytes | None) -> None:
    """What an attacker with database access does: recompute every hash from ``seq`` on, with ``key``."""
    events = {event.seq: event for event in AuditEvent.objects.order_by("seq")}
    previous = events[seq - 1].hash if seq > 1 else chain.GENESIS_HASH
    with connection.cursor() as cursor:
        for number in sorted(n for n in events if n >= seq):
            event = events[number]
            values = {name: getattr(event, name) for name in chain.CHAINED_FIELDS}
            values["at"] = event.at.isoformat()
            digest = chain.entry_hash(previous, values, key)
            cursor.execute("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
                           [previous, digest, number])
            previous = digest
        cursor.execute("UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1", [max(events), previous])


def test_a_deleted_row_with_every_later_hash_recomputed_without_the_key_is_found() -> None:
    write_events(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 3")
        # in two steps: PostgreSQL checks the unique seq row by row, in no set order
        cursor.execute("UPDATE audit_auditevent SET seq = seq + 1000000 WHERE seq > 3")
        cursor.execute("UPDATE audit_auditevent SET seq = seq - 1000001 WHERE seq > 1000000")
    rehash_from(3, key=None)  # the plain SHA-256 chain an attacker can recompute
    with pytest.raises(CommandError, match=r"^Audit chain broken at row 3: its content does not match its hash "
                                           r"\(edited, or rehashed without the audit key\)$"):
        audit("verify")


def test_a_rewrite_by_a_key_holder_is_found_by_the_checkpoints(tmp_path: Path, settings) -> None:
    write_events(4)
    assert audit("checkpoint") == f"Checkpoint written to {settings.AUDIT_CHECKPOINT_FILE}: row 4, 4 rows in the log."
    with connection.cursor() as cursor:
        cursor.execute("""UPDATE audit_auditevent SET actor_username = 'mallory' WHERE seq = 2""")
    rehash_from(2, key=str(settings.AUDIT_KEY).encode())
    with pytest.raises(CommandError, match=r"^Audit log disagrees with its checkpoints at row 4: the row differs "
                                           r"from the checkpoint of .* \(the log was rewritten\)$"):
        audit("verify")


def test_rows_cut_from_the_end_with_the_head_rewound_are_found_by_the_checkpoints(settings) -> None:
    write_events(3)
    audit("checkpoint")
    write_events(2)
    audit("checkpoint")
    third = AuditEvent.objects.get(seq=3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > 3")
        cursor.execute("UPDATE audit_chainhead SET seq = 3, hash = %s WHERE id = 1", [third.hash])
    with pytest.raises(CommandError, match=r"^Audit log disagrees with its checkpoints at row 4: the log ends at "
                                           r"row 3 but the checkpoint of .* recorded row 5 \(rows removed\)$"):
        audit("verify")


def test_a_forged_or_edited_checkpoint_is_refused(settings) -> None:
    write_events(2)
    audit("checkpoint")
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    path.write_text(path.read_text().replace('"rows":2', '"rows":1'))
    with pytest.raises(CommandError, match=r"^Checkpoints cannot be used: .*checkpoints.jsonl, line 1: its signature "
                                           r"does not match the audit key"):
        audit("verify")


def test_verify_reports_the_rows_and_checkpoints_it_checked(settings) -> None:
    write_events(3)
    audit("checkpoint")
    write_events(1)
    assert audit("verify") == (f"Audit chain intact: 4 rows verified; 1 checkpoint of "
                               f"{settings.AUDIT_CHECKPOINT_FILE} agree.")


def test_rows_written_before_the_key_are_checked_as_they_were_written(settings) -> None:
    write_events(2)
    head = ChainHead.objects.get()
    rehash_from(1, key=None)  # an installation older than the key: plain SHA-256 rows
    ChainHead.objects.filter(pk=head.pk).update(keyed_from=3)
    write_events(1)
    assert [row["seq"] for row in rows()] == [1, 2, 3]
    assert audit("verify") == ("Audit chain intact: 3 rows verified (rows 1 to 2 predate the audit key and are "
                               "checked by plain SHA-256).")
    third = AuditEvent.objects.get(seq=3)
    values = {name: getattr(third, name) for name in chain.CHAINED_FIELDS} | {"at": third.at.isoformat()}
    assert third.hash == chain.entry_hash(third.prev_hash, values, str(settings.AUDIT_KEY).encode())
    assert third.hash != chain.entry_hash(third.prev_hash, values, None)
