"""The backup manifest and the checks on a backup's files. Plain logic, no Django.

A backup folder holds the database (``database.pgdump`` or ``database.sqlite3``), the media files under ``media/``
and ``manifest.json``: what the backup holds, with the SHA-256 and size of every file, the row count and content
digest of every table, the migration state and the ids (never the keys) of the field encryption keys in use.

The manifest is sealed: an HMAC-SHA256 of its canonical JSON under a key derived (HKDF) from the field encryption
key current when the backup was made; the seal names that key by its key id. Whoever edits the manifest (to make it
match an edited dump, say) cannot reseal it without the key, and the restore refuses it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "palermo-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MEDIA_FOLDER = "media"
CHUNK_BYTES = 1 << 20
_MODULUS = 1 << 256


class BackupError(Exception):
    """A backup that cannot be made, or one that is refused: nothing was written or restored."""

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message + "".join(f"\n  - {problem}" for problem in self.problems))


@dataclass(frozen=True)
class FileDigest:
    sha256: str
    size: int
    holds_secret: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size}


def secret_forms(secrets: Iterable[str]) -> list[bytes]:
    """The byte strings that would betray a secret in a file: the secret as text and, when it is base64 of at
    least 16 bytes (as generated keys are), the bytes it encodes."""
    forms: set[bytes] = set()
    for secret in secrets:
        if not secret:
            continue
        forms.add(secret.encode())
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                raw = decode(secret.encode())
            except (binascii.Error, ValueError):
                continue
            if len(raw) >= 16:
                forms.add(raw)
    return sorted(forms)


def digest_file(path: Path, needles: Iterable[bytes] = (), copy_to: Path | None = None) -> FileDigest:
    """SHA-256 and size of a file, read once in chunks; whether it holds one of ``needles``; optionally written to
    ``copy_to`` (created with mode 0600) as it is read, so that the digest is the one of the bytes copied."""
    needles = [needle for needle in needles if needle]
    overlap = max((len(needle) for needle in needles), default=1) - 1
    digest = hashlib.sha256()
    size = 0
    found = False
    tail = b""
    target = None
    if copy_to is not None:
        copy_to.parent.mkdir(parents=True, exist_ok=True)
        target = os.fdopen(os.open(copy_to, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
                size += len(chunk)
                if target is not None:
                    target.write(chunk)
                if needles and not found:
                    window = tail + chunk
                    found = any(needle in window for needle in needles)
                    tail = window[-overlap:] if overlap else b""
    finally:
        if target is not None:
            target.close()
    return FileDigest(digest.hexdigest(), size, found)


def is_safe_relative(name: str) -> bool:
    """A manifest path: relative, forward slashes, no ``..``, no empty part."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and "\\" not in name and all(
        part not in ("", ".", "..") for part in name.split("/")
    )


def files_in(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Every file under ``folder`` by its POSIX path relative to it, and the entries that are not regular files
    (symbolic links, devices), which a backup never holds."""
    found: dict[str, Path] = {}
    odd: list[str] = []
    for directory, subdirectories, names in os.walk(folder):
        base = Path(directory)
        for name in subdirectories:
            if (base / name).is_symlink():
                odd.append((base / name).relative_to(folder).as_posix())
        for name in names:
            path = base / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink() or not path.is_file():
                odd.append(relative)
            else:
                found[relative] = path
    return found, sorted(odd)


def file_problems(folder: Path, listed: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """What differs between the files of a backup folder and the manifest's list: each problem names its file."""
    present, odd = files_in(folder)
    present.pop(MANIFEST_NAME, None)
    problems = [f"{name}: not a regular file" for name in odd]
    for name in sorted(set(listed) - set(present)):
        problems.append(f"{name}: listed in the manifest but missing")
    for name in sorted(set(present) - set(listed)):
        problems.append(f"{name}: present but not listed in the manifest")
    for name in sorted(set(listed) & set(present)):
        expected = listed[name]
        actual = digest_file(present[name])
        if actual.size != expected.get("size"):
            problems.append(f"{name}: {actual.size} bytes, the manifest says {expected.get('size')}")
        elif actual.sha256 != expected.get("sha256"):
            problems.append(f"{name}: SHA-256 {actual.sha256[:16]}… differs from the manifest's")
    return problems


def canonical_json(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _seal_key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"palermo.backup", info=b"manifest-seal-v1").derive(
        secret.encode()
    )


def seal(body: Mapping[str, Any], secret: str) -> str:
    """The HMAC-SHA256 of the manifest without its seal, under a key derived from ``secret``."""
    unsealed = {key: value for key, value in body.items() if key != "seal"}
    return hmac.new(_seal_key(secret), canonical_json(unsealed), hashlib.sha256).hexdigest()


def seal_matches(body: Mapping[str, Any], secret: str) -> bool:
    recorded = str((body.get("seal") or {}).get("hmac_sha256", ""))
    return hmac.compare_digest(recorded, seal(body, secret))


def manifest_problems(body: Any) -> list[str]:
    """What makes a parsed manifest unusable before any file is read (a wrong shape, an unsafe path)."""
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        return [f"{MANIFEST_NAME}: not a Palermo backup manifest"]
    if body.get("format_version") != FORMAT_VERSION:
        return [f"{MANIFEST_NAME}: format version {body.get('format_version')!r}; this Palermo reads version "
                f"{FORMAT_VERSION}"]
    problems = []
    for key, kind in (("database", dict), ("tables", dict), ("files", dict), ("migrations", dict),
                      ("encryption", dict), ("seal", dict)):
        if not isinstance(body.get(key), kind):
            problems.append(f"{MANIFEST_NAME}: '{key}' is missing or malformed")
    for name in body.get("files") or {}:
        if not is_safe_relative(str(name)):
            problems.append(f"{MANIFEST_NAME}: unsafe file path {name!r}")
    return problems


_BUFFERS = frozenset({memoryview, bytearray})


class RowDigest:
    """Row count and order-free content digest of a table: the sum modulo 2**256 of the SHA-256 of every row.

    A row is hashed as the ``repr`` of its values (exact for text, numbers, bytes, decimals, dates and times), binary
    buffers read as bytes; times compare as the connection returns them (Django sets the session's time zone to UTC
    on both sides), so the digest is the same for the same row read back from the same database engine.

    The order of rows does not matter (no ORDER BY, so no dependence on the server's collation, and rows stream in
    whatever order the server sends them), but any changed, added or removed row changes the digest."""

    def __init__(self, columns: Iterable[str]) -> None:
        self.rows = 0
        self._total = int.from_bytes(hashlib.sha256("\x1f".join(columns).encode()).digest(), "big")

    def add(self, row: tuple[Any, ...]) -> None:
        self.add_many([row])

    def add_many(self, rows: list[tuple[Any, ...]]) -> None:
        total, sha256, to_int, buffers = self._total, hashlib.sha256, int.from_bytes, _BUFFERS
        for row in rows:
            if not buffers.isdisjoint(map(type, row)):
                row = tuple(bytes(value) if type(value) in buffers else value for value in row)
            total += to_int(sha256(repr(row).encode()).digest(), "big")
        self._total = total % _MODULUS
        self.rows += len(rows)

    def hexdigest(self) -> str:
        return f"{self._total:064x}"
