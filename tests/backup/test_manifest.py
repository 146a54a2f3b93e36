"""The pure pieces of a backup: file digests and the secret scan, the order-free table digest, the manifest's seal
and the comparison of a folder with its manifest."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from palermo.backup import manifest
from palermo.backup.manifest import RowDigest

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.urlsafe_b64encode(bytes(range(1, 33))).decode()


def digest_of(rows: list[tuple[object, ...]], columns: tuple[str, ...] = ("id", "name")) -> str:
    digest = RowDigest(columns)
    for row in rows:
        digest.add(row)
    return digest.hexdigest()


def test_the_table_digest_ignores_row_order_and_sees_every_change() -> None:
    rows = [(1, "Ana"), (2, "Ion"), (3, None)]
    assert digest_of(rows) == digest_of(list(reversed(rows)))
    assert len(digest_of(rows)) == 64
    assert digest_of(rows) != digest_of([(1, "Ana"), (2, "Ion")])  # a row removed
    assert digest_of(rows) != digest_of([*rows, (4, "")])  # a row added
    assert digest_of(rows) != digest_of([(1, "Ana"), (2, "Ioan"), (3, None)])  # a value changed
    assert digest_of(rows) != digest_of([(1, "Ana"), (2, "Ion"), (3, "")])  # NULL is not the empty text
    assert digest_of(rows) != digest_of([(1, "Ana"), (2, "Ion"), (3, None)], ("id", "first_name"))
    assert digest_of([(1, "Ana"), (1, "Ana")]) != digest_of([(1, "Ana")])  # duplicates count


def test_binary_values_digest_alike_whatever_buffer_holds_them() -> None:
    at = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    assert digest_of([(1, memoryview(b"\x00\x01"))]) == digest_of([(1, b"\x00\x01")])
    assert digest_of([(1, bytearray(b"\x00\x01"), at)]) == digest_of([(1, b"\x00\x01", at)])
    assert digest_of([(1, at)]) != digest_of([(1, at.replace(minute=31))])
    assert digest_of([(1, Decimal("1.50"))]) != digest_of([(1, Decimal("1.5"))])  # the stored scale is data
    assert digest_of([(1, 1)]) != digest_of([(1, "1")]) != digest_of([(1, 1.0)])


def test_a_file_digest_is_sha256_and_size_and_finds_a_secret_across_chunks(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(manifest, "CHUNK_BYTES", 16)
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * 30 + KEY.encode() + b"y" * 7)
    copy = tmp_path / "sub" / "copy.bin"
    digest = manifest.digest_file(path, manifest.secret_forms([KEY]), copy_to=copy)
    assert (digest.size, digest.holds_secret) == (30 + 44 + 7, True)
    assert digest.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert copy.read_bytes() == path.read_bytes() and copy.stat().st_mode & 0o777 == 0o600
    path.write_bytes(b"a" * 15 + bytes(range(32)) + b"b")  # the raw key bytes, straddling a chunk boundary
    assert manifest.digest_file(path, manifest.secret_forms([KEY])).holds_secret
    assert not manifest.digest_file(path, manifest.secret_forms([OTHER_KEY])).holds_secret


def test_the_seal_opens_with_its_key_only_and_breaks_on_any_edit() -> None:
    body = {"format": manifest.FORMAT, "tables": {"cases_case": {"rows": 3, "digest": "ab"}}, "files": {}}
    body["seal"] = {"key_id": "k", "hmac_sha256": manifest.seal(body, KEY)}
    assert manifest.seal_matches(body, KEY)
    assert not manifest.seal_matches(body, OTHER_KEY)
    edited = {**body, "tables": {"cases_case": {"rows": 4, "digest": "ab"}}}
    assert not manifest.seal_matches(edited, KEY)
    assert not manifest.seal_matches({**body, "seal": {"key_id": "k"}}, KEY)


def test_every_difference_between_a_folder_and_its_manifest_is_named(tmp_path: Path) -> None:
    (tmp_path / "media" / "docs").mkdir(parents=True)
    (tmp_path / "database.sqlite3").write_bytes(b"database")
    (tmp_path / "media" / "docs" / "a.pdf").write_bytes(b"%PDF-a")
    (tmp_path / manifest.MANIFEST_NAME).write_text("{}")
    names = ("database.sqlite3", "media/docs/a.pdf")
    listed = {name: manifest.digest_file(tmp_path / name).as_dict() for name in names}
    assert manifest.file_problems(tmp_path, listed) == []
    (tmp_path / "database.sqlite3").write_bytes(b"databasf")
    (tmp_path / "media" / "docs" / "a.pdf").write_bytes(b"%PDF-ab")
    (tmp_path / "media" / "extra.txt").write_text("x")
    (tmp_path / "media" / "link").symlink_to(tmp_path / "database.sqlite3")
    problems = manifest.file_problems(tmp_path, {**listed, "media/gone.pdf": {"sha256": "0" * 64, "size": 1}})
    assert problems == [
        "media/link: not a regular file",
        "media/gone.pdf: listed in the manifest but missing",
        "media/extra.txt: present but not listed in the manifest",
        f"database.sqlite3: SHA-256 {manifest.digest_file(tmp_path / 'database.sqlite3').sha256[:16]}… differs "
        "from the manifest's",
        "media/docs/a.pdf: 7 bytes, the manifest says 6",
    ]


def test_a_manifest_of_another_shape_or_with_unsafe_paths_is_refused() -> None:
    assert manifest.manifest_problems([]) == ["manifest.json: not a Palermo backup manifest"]
    assert manifest.manifest_problems({"format": manifest.FORMAT, "format_version": 9}) == [
        "manifest.json: format version 9; this Palermo reads version 1"]
    body = {"format": manifest.FORMAT, "format_version": 1, "database": {}, "tables": {}, "migrations": {},
            "encryption": {}, "seal": {}, "files": {"../../etc/passwd": {}, "/abs": {}, "media/ok.pdf": {}}}
    assert manifest.manifest_problems(body) == ["manifest.json: unsafe file path '../../etc/passwd'",
                                                "manifest.json: unsafe file path '/abs'"]
    assert manifest.manifest_problems({**body, "files": {}, "tables": []}) == [
        "manifest.json: 'tables' is missing or malformed"]
