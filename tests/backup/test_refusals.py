"""What a restore refuses, before writing anything: a backup whose files or manifest were touched, a key it needs
and lacks, a target that is not empty. And what ``create`` refuses. A refused restore leaves the target database
without a table and MEDIA_ROOT without a file."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.backup import manifest as manifest_module
from palermo.backup.database import table_names
from palermo.backup.manifest import BackupError, digest_file
from palermo.backup.services import restore_backup
from palermo.cases.crypto import FieldCipher
from tests.backup.conftest import NEW_KEY, OLD_KEY, Platform, Scratch
from tests.backup.test_round_trip import all_rows

OLD_ID, NEW_ID = FieldCipher(OLD_KEY).key_id, FieldCipher(NEW_KEY).key_id
SEAL_BROKEN = "manifest.json: its seal does not match its content (the manifest was edited)"


def make_backup(folder: Path) -> dict[str, Any]:
    call_command("backup", "create", "--output", str(folder), stdout=StringIO())
    return dict(json.loads((folder / "manifest.json").read_text()))


def rewrite_manifest(folder: Path, change: Callable[[dict[str, Any]], None], reseal_with: str | None = None) -> None:
    path = folder / "manifest.json"
    body = json.loads(path.read_text())
    change(body)
    if reseal_with is not None:  # only someone holding the key can do this
        body["seal"]["hmac_sha256"] = manifest_module.seal(body, reseal_with)
    path.write_text(json.dumps(body, indent=2))


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def refusal(source: Path, using: str = "scratch") -> BackupError:
    with pytest.raises(BackupError) as refused:
        restore_backup(actor=SYSTEM.running("test"), source=source, using=using)
    return refused.value


def test_a_tampered_backup_is_refused_naming_the_file_and_nothing_is_restored(
    platform: Platform, scratch: Scratch, tmp_path: Path, settings: Any
) -> None:
    original = tmp_path / "backup"
    manifest = make_backup(original)
    dump = manifest["database"]["file"]
    document = f"media/{platform.document.file.name}"
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    def resealed_dump(folder: Path) -> None:  # the dump edited and its hash updated, without the key
        flip_byte(folder / dump)
        rewrite_manifest(folder, lambda body: body["files"].update({dump: digest_file(folder / dump).as_dict()}))

    def edited(folder: Path, name: str) -> str:
        return f"{name}: SHA-256 {digest_file(folder / name).sha256[:16]}… differs from the manifest's"

    cases: list[tuple[str, Callable[[Path], None], Callable[[Path], list[str]]]] = [
        ("a byte of the dump", lambda folder: flip_byte(folder / dump), lambda folder: [edited(folder, dump)]),
        ("a byte of a document", lambda folder: flip_byte(folder / document),
         lambda folder: [edited(folder, document)]),
        ("a document removed", lambda folder: (folder / document).unlink(),
         lambda folder: [f"{document}: listed in the manifest but missing"]),
        ("a file added", lambda folder: (folder / "media" / "added.pdf").write_bytes(b"%PDF-"),
         lambda folder: ["media/added.pdf: present but not listed in the manifest"]),
        ("a row count in the manifest",
         lambda folder: rewrite_manifest(folder, lambda body: body["tables"]["cases_case"].update(rows=12)),
         lambda folder: [SEAL_BROKEN]),
        ("the dump and its hash", resealed_dump, lambda folder: [SEAL_BROKEN]),
        ("the seal's key id", lambda folder: rewrite_manifest(folder, lambda body: body["seal"].update(key_id=OLD_ID)),
         lambda folder: [SEAL_BROKEN]),
    ]
    with scratch.connect() as target:
        for number, (what, tamper, expected) in enumerate(cases):
            folder = tmp_path / f"tampered-{number}"
            shutil.copytree(original, folder)
            tamper(folder)
            assert refusal(folder).problems == expected(folder), what
            assert table_names(target) == [], what
            assert not Path(settings.MEDIA_ROOT).exists(), what

        broken = tmp_path / "broken-manifest"
        shutil.copytree(original, broken)
        (broken / "manifest.json").write_text((original / "manifest.json").read_text()[:-40])
        assert str(refusal(broken)).startswith("manifest.json cannot be read: ")
        (broken / "manifest.json").unlink()
        assert str(refusal(broken)) == f"{broken} holds no manifest.json: not a Palermo backup (or an unfinished one)"

        settings.FIELD_ENCRYPTION_OLD_KEYS = []  # the old key forgotten
        assert refusal(original).problems == [
            f"values sealed by key id {OLD_ID}, which is not configured (configured key ids: {NEW_ID}); add that key "
            "to PALERMO_FIELD_ENCRYPTION_OLD_KEYS"]
        settings.FIELD_ENCRYPTION_KEY = OLD_KEY  # the key that sealed the manifest forgotten
        assert refusal(original).problems == [
            f"manifest.json: sealed with key id {NEW_ID}, which is not configured (configured key ids: {OLD_ID}); add "
            "that key to PALERMO_FIELD_ENCRYPTION_OLD_KEYS",
            f"values sealed by key id {NEW_ID}, which is not configured (configured key ids: {OLD_ID}); add that key "
            "to PALERMO_FIELD_ENCRYPTION_OLD_KEYS"]
        settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW_KEY, [OLD_KEY]

        other_engine = tmp_path / "other-engine"
        shutil.copytree(original, other_engine)
        engine = manifest["database"]["engine"]
        swapped = {"sqlite": "postgresql", "postgresql": "sqlite"}[engine]
        rewrite_manifest(other_engine, lambda body: body["database"].update(engine=swapped), reseal_with=NEW_KEY)
        assert refusal(other_engine).problems == [
            f"this is a {swapped} backup and the target database is {engine}: restore into the same engine (a restore "
            "across engines is not supported)"]

        newer = tmp_path / "newer"
        shutil.copytree(original, newer)
        rewrite_manifest(newer, lambda body: body["migrations"].update(cases="0099_future"), reseal_with=NEW_KEY)
        assert refusal(newer).problems == [
            "migrations unknown to this Palermo (0.1.0): cases.0099_future; the backup was made by another version: "
            "install that version to restore it"]

        Path(settings.MEDIA_ROOT).mkdir()
        (Path(settings.MEDIA_ROOT) / "left-over.pdf").write_bytes(b"%PDF-")
        assert refusal(original).problems == [
            f"MEDIA_ROOT ({settings.MEDIA_ROOT}) is not empty: it holds 1 file(s); move them away first"]
        assert table_names(target) == []


def test_a_restore_into_a_database_holding_rows_is_refused_and_a_backup_never_carries_a_key(
    platform: Platform, tmp_path: Path, settings: Any
) -> None:
    """One test for two refusals that need committed data (so that the backup can be made at all)."""
    make_backup(tmp_path / "backup")
    before = all_rows(connection)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    problems = refusal(tmp_path / "backup", using="default").problems
    assert len(problems) == 1
    assert problems[0].startswith("the target database is not empty: ")
    assert "table(s) hold rows (accounts_user, " in problems[0]
    assert problems[0].endswith("restore into a new, empty database (createdb), without running palermo migrate "
                                "first")
    assert all_rows(connection) == before
    with pytest.raises(CommandError, match="Backup refused, nothing restored:\n  - the target database is not empty"):
        call_command("backup", "restore", str(tmp_path / "backup"), stdout=StringIO())
    assert all_rows(connection) == before

    media = tmp_path / "media-with-a-key"
    (media / "programme").mkdir(parents=True)
    (media / "programme" / "notes.txt").write_text(f"the key is {NEW_KEY}\n")
    settings.MEDIA_ROOT = media
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=re.escape("media/programme/notes.txt contains a configured secret key: "
                                                     "backup abandoned")):
        call_command("backup", "create", "--output", str(tmp_path / "second"), stdout=StringIO())
    assert not (tmp_path / "second").exists()
    assert AuditEvent.objects.count() == events


def test_a_restore_that_does_not_verify_exits_non_zero_naming_the_check(
    platform: Platform, scratch: Scratch, tmp_path: Path
) -> None:
    """A manifest forged with the key (so sealed) that claims one case more: the restore lands, the verification
    says which check failed, and the command fails."""
    folder = tmp_path / "backup"
    manifest = make_backup(folder)
    cases = manifest["tables"]["cases_case"]["rows"]
    rewrite_manifest(folder, lambda body: body["tables"]["cases_case"].update(rows=cases + 1), reseal_with=NEW_KEY)
    result = scratch.palermo("backup", "restore", str(folder))
    assert result.returncode == 1
    assert f"FAILED rows: table cases_case: {cases} rows, the manifest says {cases + 1}" in result.stdout
    assert result.stdout.count("FAILED") == 1 and result.stdout.count("ok     ") == 5
    assert "Restore verification failed: rows" in result.stderr


def test_create_refuses_a_folder_that_is_not_empty(db: Any, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=f"{tmp_path} is not empty: a backup goes into a new or empty folder"):
        call_command("backup", "create", "--output", str(tmp_path), stdout=StringIO())
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]
    assert AuditEvent.objects.count() == events
