"""The hash chain of the audit log: pure functions, no database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


def entry_hash(previous_hash: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical(entry)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify(entries: Iterable[Mapping[str, Any]], head_seq: int, head_hash: str) -> ChainBreak | None:
    """The first break in ``entries`` (ordered by seq), or None when the chain is whole.

    Each entry carries its chained fields plus ``prev_hash`` and ``hash``. ``head_seq`` and
    ``head_hash`` are what the chain head recorded last, so that removing the newest rows is
    detected too.
    """
    expected_seq = 1
    previous = GENESIS_HASH
    for entry in entries:
        seq = int(entry["seq"])
        if seq != expected_seq:
            return ChainBreak(expected_seq, f"row {expected_seq} is missing (next row found is {seq})")
        if entry["prev_hash"] != previous:
            return ChainBreak(seq, "its link to the previous row does not match")
        if entry_hash(previous, entry) != entry["hash"]:
            return ChainBreak(seq, "its content does not match its hash (edited)")
        previous = entry["hash"]
        expected_seq += 1
    last_seq = expected_seq - 1
    if last_seq != head_seq or previous != head_hash:
        return ChainBreak(last_seq + 1, f"the log ends at row {last_seq} but the chain head records row {head_seq}")
    return None
