"""The keyed hash chain of the audit log and its signed checkpoints: pure functions, no database.

Each row's hash is HMAC-SHA-256, under the audit key, of the previous row's hash and the row's chained fields.
Without the key nobody can recompute a hash, so a deleted, inserted or edited row breaks the chain even when
every later row is rewritten. Rows written before the keyed chain began (``keyed_from``; installations older
than the key) keep their plain SHA-256 hashes and are checked as such.

A checkpoint is the chain's head (row, hash, row count, time, ``keyed_from``) signed with the same key and kept
outside the database: it proves rows removed from the end, and a rewrite by someone who holds the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

GENESIS_HASH = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "country",
    "ip",
    "detail",
)


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes hashed for one entry: its chained fields as sorted, compact JSON."""
    return json.dumps(
        {k: entry[k] for k in CHAINED_FIELDS}, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def entry_hash(previous_hash: str, entry: Mapping[str, Any], key: bytes | None) -> str:
    """HMAC-SHA-256 under ``key``; ``None`` only for rows written before the keyed chain (plain SHA-256)."""
    message = previous_hash.encode() + canonical(entry)
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify(entries: Iterable[Mapping[str, Any]], head_seq: int, head_hash: str, *, key: bytes,
           keyed_from: int = 1) -> ChainBreak | None:
    """The first break in ``entries`` (ordered by seq), or None when the chain is whole.

    Each entry carries its chained fields plus ``prev_hash`` and ``hash``. ``head_seq`` and
    ``head_hash`` are what the chain head recorded last, so that removing the newest rows is
    detected too (unless the head was rewritten as well: checkpoints catch that).
    """
    expected_seq = 1
    previous = GENESIS_HASH
    for entry in entries:
        seq = int(entry["seq"])
        if seq != expected_seq:
            return ChainBreak(expected_seq, f"row {expected_seq} is missing (next row found is {seq})")
        if entry["prev_hash"] != previous:
            return ChainBreak(seq, "its link to the previous row does not match")
        if not hmac.compare_digest(entry_hash(previous, entry, key if seq >= keyed_from else None), entry["hash"]):
            return ChainBreak(seq, "its content does not match its hash (edited, or rehashed without the audit key)")
        previous = entry["hash"]
        expected_seq += 1
    last_seq = expected_seq - 1
    if last_seq != head_seq or previous != head_hash:
        return ChainBreak(last_seq + 1, f"the log ends at row {last_seq} but the chain head records row {head_seq}")
    return None


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    rows: int
    at: str
    keyed_from: int
    mac: str = ""

    def signed_part(self) -> bytes:
        fields = {name: value for name, value in asdict(self).items() if name != "mac"}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def to_line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))


def sign_checkpoint(key: bytes, *, seq: int, hash: str, rows: int, at: str, keyed_from: int) -> Checkpoint:
    unsigned = Checkpoint(seq=seq, hash=hash, rows=rows, at=at, keyed_from=keyed_from)
    mac = hmac.new(key, b"palermo audit checkpoint\n" + unsigned.signed_part(), hashlib.sha256).hexdigest()
    return Checkpoint(seq=seq, hash=hash, rows=rows, at=at, keyed_from=keyed_from, mac=mac)


def read_checkpoint(line: str, key: bytes) -> Checkpoint:
    """A checkpoint line, checked against ``key``; ``ValueError`` saying why when it is malformed or forged."""
    try:
        values = json.loads(line)
        checkpoint = Checkpoint(seq=int(values["seq"]), hash=str(values["hash"]), rows=int(values["rows"]),
                                at=str(values["at"]), keyed_from=int(values["keyed_from"]), mac=str(values["mac"]))
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError("it is not a checkpoint") from error
    expected = sign_checkpoint(key, seq=checkpoint.seq, hash=checkpoint.hash, rows=checkpoint.rows,
                               at=checkpoint.at, keyed_from=checkpoint.keyed_from)
    if not hmac.compare_digest(expected.mac, checkpoint.mac):
        raise ValueError("its signature does not match the audit key (forged, edited, or signed with another key)")
    return checkpoint


def check_checkpoints(checkpoints: Iterable[Checkpoint], hash_at: Mapping[int, str], head_seq: int,
                      keyed_from: int) -> ChainBreak | None:
    """The first disagreement between the log and the signed checkpoints, or None.

    ``hash_at`` maps the seq of each checkpoint to the hash the log holds for it (missing when the row is gone).
    """
    for checkpoint in checkpoints:
        if checkpoint.seq > head_seq:
            return ChainBreak(head_seq + 1, f"the log ends at row {head_seq} but the checkpoint of "
                                            f"{checkpoint.at} recorded row {checkpoint.seq} (rows removed)")
        if hash_at.get(checkpoint.seq) != checkpoint.hash:
            return ChainBreak(checkpoint.seq, f"the row differs from the checkpoint of {checkpoint.at} "
                                              "(the log was rewritten)")
        if checkpoint.keyed_from != keyed_from:
            return ChainBreak(keyed_from, f"the keyed chain starts at row {keyed_from} but the checkpoint of "
                                          f"{checkpoint.at} recorded row {checkpoint.keyed_from}")
    return None
