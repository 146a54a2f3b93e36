"""The hash chain itself, without a database."""

from palermo.audit import chain

KEY = b"k" * 32


def make_entries(count: int) -> list[dict]:
    entries, previous = [], chain.GENESIS_HASH
    for seq in range(1, count + 1):
        entry = {
            "seq": seq,
            "at": f"2026-01-0{seq}T00:00:00+00:00",
            "actor_id": 1,
            "actor_username": "u",
            "action": "login",
            "object_type": "user",
            "object_id": "1",
            "country": "",
            "ip": "",
            "detail": {},
        }
        entry["prev_hash"] = previous
        entry["hash"] = previous = chain.entry_hash(previous, entry, KEY)
        entries.append(entry)
    return entries


def test_an_untouched_chain_verifies() -> None:
    entries = make_entries(5)
    assert chain.verify(entries, 5, entries[-1]["hash"], key=KEY) is None


def test_an_edited_row_is_named() -> None:
    entries = make_entries(5)
    entries[2]["actor_username"] = "someone-else"
    assert chain.verify(entries, 5, entries[-1]["hash"], key=KEY) == chain.ChainBreak(
        3, "its content does not match its hash (edited, or rehashed without the audit key)"
    )


def test_a_removed_middle_row_is_named() -> None:
    entries = make_entries(5)
    del entries[1]
    assert chain.verify(entries, 5, entries[-1]["hash"], key=KEY) == chain.ChainBreak(
        2, "row 2 is missing (next row found is 3)"
    )


def test_a_removed_last_row_is_detected_through_the_head() -> None:
    entries = make_entries(5)
    head_hash = entries[-1]["hash"]
    broken = chain.verify(entries[:-1], 5, head_hash, key=KEY)
    assert broken == chain.ChainBreak(5, "the log ends at row 4 but the chain head records row 5")


def test_a_rehashed_row_still_breaks_the_next_link() -> None:
    entries = make_entries(4)
    entries[1]["detail"] = {"forged": True}
    entries[1]["hash"] = chain.entry_hash(entries[1]["prev_hash"], entries[1], KEY)  # by a key holder
    assert chain.verify(entries, 4, entries[-1]["hash"], key=KEY) == chain.ChainBreak(
        3, "its link to the previous row does not match"
    )
