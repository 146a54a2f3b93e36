"""Rotation of the field encryption key: old keys still read, rotate-key moves every value to the current key."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.management import CommandError, call_command
from django.db import connection

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.audit.services import verify_chain
from palermo.cases.crypto import DecryptionError, FieldCipher, Keyring, MissingKeyError, key_id_of
from palermo.cases.models import IDENTIFYING_FIELDS, Case
from palermo.cases.samples import HTCDS_COLUMNS
from palermo.cases.services import import_rows
from palermo.partners.models import Organisation
from tests.cases.conftest import sample_rows

KEY_A = "first-key-Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXU="
KEY_B = "second-key-cXV1eHF1dXhxdXV4cXV1eGZvb2Jhcg=="
KEY_C = "third-key-never-used-for-these-cases"
A, B, C = (FieldCipher(key).key_id for key in (KEY_A, KEY_B, KEY_C))
CASES = 23
VALUES = CASES * 4 + 1  # first name, second name, birth date, mobile phone; plus one legacy middle name
ROOT = Path(__file__).resolve().parents[2]


def legacy_enc1(secret: str, text: str) -> str:
    """A value in the format written before key ids (``enc1:``), derived here independently of palermo."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"palermo.cases", info=b"field-encryption-v1").derive(
        secret.encode()
    )
    nonce = os.urandom(12)
    return "enc1:" + base64.urlsafe_b64encode(nonce + AESGCM(key).encrypt(nonce, text.encode(), None)).decode()


def configure(settings: Any, current: str, old: list[str]) -> None:
    settings.FIELD_ENCRYPTION_KEY = current
    settings.FIELD_ENCRYPTION_OLD_KEYS = old


def raw_values() -> dict[tuple[int, str], str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(IDENTIFYING_FIELDS)} FROM cases_case ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
    return {(row[0], name): value for row in rows for name, value in zip(IDENTIFYING_FIELDS, row[1:], strict=True)
            if value}


def identities() -> dict[int, tuple[Any, ...]]:
    return {case.pk: tuple(getattr(case, name) for name in IDENTIFYING_FIELDS) for case in Case.objects.order_by("pk")}


def cases_command(*args: str) -> str:
    out = StringIO()
    call_command("cases", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rotation_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="cases.encryption").order_by("seq"))


@pytest.fixture
def sealed_by_a(settings: Any, organisation_factory: Callable[..., Organisation]) -> dict[int, tuple[Any, ...]]:
    """23 imported cases and one legacy ``enc1:`` value, all under key A; returns the identities as read then."""
    configure(settings, KEY_A, [])
    organisation = organisation_factory("NGO-AL", country="AL")
    report = import_rows(HTCDS_COLUMNS, sample_rows(CASES), layout="htcds", source="rotation",
                         organisation=organisation, country="AL", acting_user=SYSTEM.running("test"))
    assert report.ok, report.as_dict()
    first = Case.objects.order_by("pk").first()
    assert first is not None
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET middle_name = %s WHERE id = %s", [legacy_enc1(KEY_A, "Legacy"), first.pk])
    seen = identities()
    assert seen[first.pk][:4] == ("", "Fictional", "Legacy", "Person 000000")
    assert len(raw_values()) == VALUES
    return seen


def test_the_key_id_is_stable_and_every_value_names_its_key() -> None:
    assert len({A, B, C}) == 3 and all(len(key_id) == 8 for key_id in (A, B, C))
    assert FieldCipher("one secret").key_id == "33802fae"  # pinned: stored values carry it for years
    token = FieldCipher(KEY_A).encrypt("Ana Popescu")
    assert token.startswith(f"enc2:{A}:") and "Ana" not in token
    assert key_id_of(token) == A and key_id_of(legacy_enc1(KEY_A, "x")) == "enc1" and key_id_of("") == ""


def test_a_wrong_key_fails_loudly_and_never_returns_garbage() -> None:
    token = FieldCipher(KEY_A).encrypt("Ana Popescu")
    with pytest.raises(MissingKeyError, match=f"key id {A}, which is not configured"):
        Keyring(KEY_B, [KEY_C]).decrypt(token)
    forged = token.replace(f"enc2:{A}:", f"enc2:{B}:")  # a value claiming the wrong key id
    with pytest.raises(DecryptionError, match="wrong key or tampered value"):
        Keyring(KEY_B).decrypt(forged)
    with pytest.raises(DecryptionError, match="enc1 value opened by none of the configured keys"):
        Keyring(KEY_B, [KEY_C]).decrypt(legacy_enc1(KEY_A, "Ana"))
    with pytest.raises(DecryptionError, match="malformed"):
        Keyring(KEY_A).decrypt(f"enc2:{A}:not*base64")


def test_the_key_ring_encrypts_with_the_current_key_and_opens_old_and_legacy_values() -> None:
    ring = Keyring(KEY_B, [KEY_A, KEY_A, KEY_B])
    assert ring.key_ids == [B, A]
    assert ring.encrypt("Ana").startswith(f"enc2:{B}:")
    assert [value.split(":")[1] for value in ring.encrypt_many(["Ana", "Ion"])] == [B, B]
    assert ring.decrypt(FieldCipher(KEY_A).encrypt("Ana")) == "Ana"
    assert ring.decrypt(legacy_enc1(KEY_A, "Ion")) == "Ion"
    assert ring.decrypt(legacy_enc1(KEY_B, "Vesna")) == "Vesna"


def test_values_under_the_old_key_still_read_and_new_ones_use_the_current_key(
    settings: Any, sealed_by_a: dict[int, tuple[Any, ...]]
) -> None:
    configure(settings, KEY_B, [KEY_A])
    assert identities() == sealed_by_a
    case = Case.objects.order_by("pk").first()
    assert case is not None
    case.first_name = "Renamed"
    case.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name, second_name FROM cases_case WHERE id = %s", [case.pk])
        first, second = cursor.fetchone()
    assert first.startswith(f"enc2:{B}:") and second.startswith(f"enc2:{B}:")  # save() re-encrypts the row
    assert Case.objects.get(pk=case.pk).first_name == "Renamed"


def test_rotate_key_moves_every_value_to_the_current_key_so_the_old_key_can_go(
    settings: Any, sealed_by_a: dict[int, tuple[Any, ...]]
) -> None:
    configure(settings, KEY_B, [KEY_A])
    status = cases_command("key-status")
    assert f"{B:<10} {0:>12}  current key" in status
    assert f"{A:<10} {VALUES - 1:>12}  old key" in status
    assert f"{'enc1':<10} {1:>12}  written before key ids" in status
    assert f"Current key id {B}; values under other keys: {VALUES}." in status

    out = cases_command("rotate-key", "--batch-size", "10", "--no-progress")
    assert f"Re-encrypted {VALUES} value(s) in {CASES} row(s), 3 batch(es), with key id {B} " \
           f"(from {A}: {VALUES - 1}, enc1: 1); blind index recomputed for {CASES} case(s)." in out
    assert "Values remaining under old keys: 0." in out
    assert f"Blind index of names, cases per key id: {B}: {CASES}." in cases_command("key-status")

    stored = raw_values()
    assert len(stored) == VALUES
    assert all(value.startswith(f"enc2:{B}:") for value in stored.values())
    configure(settings, KEY_B, [])
    assert identities() == sealed_by_a
    assert f"{B:<10} {VALUES:>12}  current key" in cases_command("key-status")
    again = cases_command("rotate-key", "--no-progress")
    assert "Re-encrypted 0 value(s) in 0 row(s), 0 batch(es)" in again and raw_values() == stored


def test_a_missing_old_key_is_named_and_rotation_writes_nothing(
    settings: Any, sealed_by_a: dict[int, tuple[Any, ...]]
) -> None:
    before = raw_values()
    configure(settings, KEY_B, [KEY_C])
    with pytest.raises(MissingKeyError, match=f"sealed by key id {A}, which is not configured"):
        Case.objects.order_by("pk")[0].first_name  # noqa: B018
    with pytest.raises(CommandError, match=f"values sealed by key id {A}, which is not configured "
                                           f"\\(configured key ids: {B}, {C}\\).*Nothing rewritten"):
        cases_command("rotate-key", "--no-progress")
    with pytest.raises(CommandError, match=f"{VALUES - 1} value\\(s\\) sealed by keys that are not configured"):
        cases_command("key-status")
    assert raw_values() == before and rotation_events() == []


def test_a_legacy_value_no_key_opens_stops_the_rotation_at_its_batch_naming_the_case(
    settings: Any, sealed_by_a: dict[int, tuple[Any, ...]]
) -> None:
    last = Case.objects.order_by("-pk").first()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET title = %s WHERE id = %s", [legacy_enc1(KEY_C, "Dr"), last.pk])
    configure(settings, KEY_B, [KEY_A])
    with pytest.raises(CommandError, match=f"cases.case id {last.pk}, field title: enc1 value opened by none.*"
                                           "20 row\\(s\\) in 2 batch\\(es\\) were re-encrypted before this one"):
        cases_command("rotate-key", "--batch-size", "10", "--no-progress")
    stored = raw_values()
    assert sum(value.startswith(f"enc2:{B}:") for value in stored.values()) == 20 * 4 + 1
    assert sum(value.startswith(f"enc2:{A}:") for value in stored.values()) == 3 * 4
    assert len(rotation_events()) == 2  # the failed batch rolled back with its audit row


def test_a_dry_run_decrypts_and_reports_but_changes_nothing(
    settings: Any, sealed_by_a: dict[int, tuple[Any, ...]]
) -> None:
    before = raw_values()
    configure(settings, KEY_B, [KEY_A])
    out = cases_command("rotate-key", "--dry-run", "--batch-size", "5", "--no-progress")
    assert f"Dry run: {VALUES} value(s) in {CASES} row(s) would be re-encrypted with key id {B} " \
           f"(from {A}: {VALUES - 1}, enc1: 1); every one opens with the configured keys. The blind index of " \
           f"{CASES} case(s) would be recomputed. Nothing written." in out
    assert raw_values() == before and rotation_events() == []


def test_an_interrupted_rotation_continues_where_it_stopped(
    settings: Any, sealed_by_a: dict[int, tuple[Any, ...]]
) -> None:
    configure(settings, KEY_B, [KEY_A])
    out = cases_command("rotate-key", "--batch-size", "10", "--limit", "10", "--no-progress")
    assert "in 10 row(s), 1 batch(es)" in out
    assert f"13 row(s) and the blind index of {CASES} case(s) left: run rotate-key again to continue." in out
    first_ten = sorted(Case.objects.order_by("pk").values_list("pk", flat=True))[:10]
    stored = raw_values()
    assert {pk for (pk, _), value in stored.items() if value.startswith(f"enc2:{B}:")} == set(first_ten)
    out = cases_command("rotate-key", "--batch-size", "10", "--no-progress")
    assert "in 13 row(s), 2 batch(es)" in out and "Values remaining under old keys: 0." in out
    assert all(value.startswith(f"enc2:{B}:") for value in raw_values().values())
    assert [stored[key] == value for key, value in raw_values().items() if key[0] in first_ten] == [True] * 41
    assert [event.detail.get("rows") or event.detail["cases"] for event in rotation_events()] == [10, 10, 3, 10, 10, 3]


def test_every_batch_is_audited_with_counts_and_key_ids_never_a_value(
    settings: Any, sealed_by_a: dict[int, tuple[Any, ...]]
) -> None:
    before = raw_values()
    configure(settings, KEY_B, [KEY_A])
    cases_command("rotate-key", "--batch-size", "20", "--no-progress")
    after = raw_values()
    events = rotation_events()
    pks = sorted(Case.objects.values_list("pk", flat=True))
    assert [(event.action, event.actor_username, event.object_id) for event in events] == [
        (AuditEvent.Action.UPDATE, "system: palermo cases rotate-key", f"cases.case:{pks[0]}-{pks[19]}"),
        (AuditEvent.Action.UPDATE, "system: palermo cases rotate-key", f"cases.case:{pks[20]}-{pks[22]}"),
        (AuditEvent.Action.UPDATE, "system: palermo cases rotate-key", f"cases.searchtoken:{pks[0]}-{pks[19]}"),
        (AuditEvent.Action.UPDATE, "system: palermo cases rotate-key", f"cases.searchtoken:{pks[20]}-{pks[22]}"),
    ]
    # Fictional, Person, a birth year each, and one legacy middle name
    assert events[2].detail == {"table": "cases.searchtoken", "cases": 20, "index_rows": 61, "to_key_id": B,
                                "first_id": pks[0], "last_id": pks[19]}
    assert events[0].detail == {"table": "cases.case", "rows": 20, "values": 81, "from_key_ids": {A: 80, "enc1": 1},
                                "to_key_id": B, "first_id": pks[0], "last_id": pks[19]}
    assert events[1].detail["from_key_ids"] == {A: 12}
    written = json.dumps([event.detail for event in events]) + "".join(event.object_id for event in events)
    plain = {str(value) for identity in sealed_by_a.values() for value in identity if value}
    assert not [text for text in plain if text in written]
    assert not [token for token in [*before.values(), *after.values()] if token[14:40] in written]
    assert verify_chain() is None


def test_the_old_keys_come_from_the_environment_or_a_file_one_per_line_or_comma_separated(tmp_path: Path) -> None:
    keys_file = tmp_path / "old_keys"
    keys_file.write_text(f"{KEY_A}\n{KEY_C}, \n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PALERMO_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-m", "palermo.cli", "shell", "--no-imports", "-c",
         "from django.conf import settings; print(settings.FIELD_ENCRYPTION_OLD_KEYS)"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**clean, "PALERMO_VAR_DIR": str(tmp_path), "PALERMO_FIELD_ENCRYPTION_OLD_KEYS_FILE": str(keys_file)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr([KEY_A, KEY_C])
