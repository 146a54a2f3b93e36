"""Unique victims without sharing names: encodings made on the organisation's side, compared centrally."""

import csv
import json
import re
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command

from palermo.linkage.encoding import ENCODED_COLUMNS, encode_frame, resolve_encoded
from palermo.linkage.evaluation import scores
from palermo.linkage.records import prepare, read_table
from tests.conftest import shared_data

KEY = b"programme-key-0123456789abcdef"


def _people(path: Path) -> None:
    path.write_text(
        "unique_id,first_name,surname,dob,passport_number\n"
        "A-17,Ardit,Hoxha,1988-03-14,AL1234567\n"
        "A-18,Elena,Petrova,1995-11-02,BG7654321\n"
        "A-19,Ђорђе,Јовановић,1979-07-30,RS5554443\n", encoding="utf-8")


@pytest.mark.django_db
def test_no_plain_identifier_leaves_the_organisation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, key, out = tmp_path / "victims.csv", tmp_path / "key", tmp_path / "encoded.csv"
    _people(source)
    key.write_bytes(KEY)
    call_command("linkage", "encode", str(source), "--key-file", str(key), "--organisation", "ngo-a",
                 "--country", "AL", "--out", str(out))
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["records"] == 3
    text = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert tuple(rows[0]) == ENCODED_COLUMNS and len(rows) == 3
    forbidden = ["ardit", "hoxha", "elena", "petrova", "ђорђе", "јовановић", "djordje", "jovanovic", "1988",
                 "03-14", "19880314", "1234567", "7654321", "5554443", "A-17", "A-18", "A-19"]
    lowered = text.lower()
    assert [word for word in forbidden if word.lower() in lowered] == []
    # only random tokens, the organisation, its country, integers and hex digests
    for row in rows:
        assert row["organisation"] == "ngo-a" and row["country"] == "AL"
        assert re.fullmatch(r"[0-9a-f]{16}", row["record"])
        assert all(re.fullmatch(r"(-?\d+ ?)+", row[c]) for c in ("bf_first_name", "bf_surname", "bf_dob"))
        assert all(re.fullmatch(r"[0-9a-f]{20}", row[c]) for c in ENCODED_COLUMNS if c.startswith("blk_"))


def test_the_same_person_encodes_alike_only_under_the_same_key() -> None:
    frame = prepare(pl.DataFrame({"first_name": ["Ardit"], "surname": ["Hoxha"], "dob": ["1988-03-14"]}))
    one, two = encode_frame(frame, key=KEY, organisation="a"), encode_frame(frame, key=KEY, organisation="b")
    other = encode_frame(frame, key=b"another-key-0123456789", organisation="a")
    assert one[0]["bf_surname"] == two[0]["bf_surname"] and one[0]["record"] != two[0]["record"]
    assert one[0]["bf_surname"] != other[0]["bf_surname"]


@pytest.mark.django_db
def test_count_unique_gives_distinct_victims_and_overlap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "key"
    key.write_bytes(KEY)
    files = []
    for org, rows in {"ngo-a": ["Ardit,Hoxha,1988-03-14", "Elena,Petrova,1995-11-02", "Marko,Marković,1990-01-05"],
                      "police-b": ["Ardit,Hodja,1988-14-03", "Ivana,Ilić,2001-06-09"]}.items():
        path = tmp_path / f"{org}.csv"
        path.write_text("first_name,surname,dob\n" + "\n".join(rows) + "\n", encoding="utf-8")
        out = tmp_path / f"{org}.enc.csv"
        call_command("linkage", "encode", str(path), "--key-file", str(key), "--organisation", org,
                     "--country", "AL", "--out", str(out))
        files.append(str(out))
    capsys.readouterr()
    call_command("linkage", "count-unique", *files, "--save")
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["records"] == 5
    assert 4 <= result["distinct_estimated"] <= 5
    assert result["overlap"]["ngo-a"]["ngo-a"] == 3 and result["overlap"]["police-b"]["police-b"] == 2
    from palermo.linkage.models import UniqueCount

    saved = UniqueCount.objects.get()
    assert (saved.records, saved.distinct) == (5, result["distinct_estimated"])


def test_febrl4_encoded_linkage_beside_plain() -> None:
    """Names and date of birth only, encoded: F1 within a few points of plain linkage on the same fields."""
    frames = [prepare(read_table(shared_data(f"linkage/splink_datasets/febrl/dataset4{x}.csv")), source=x,
                      truth="rec_id") for x in "ab"]
    encoded, truth = [], {}
    for frame, org in zip(frames, "ab", strict=True):
        rows = encode_frame(frame, key=KEY, organisation=org)
        encoded.append(pl.DataFrame(rows))
        truth.update({row["record"]: t for row, t in zip(rows, frame["truth"].to_list(), strict=True)})
    clusters = resolve_encoded(encoded, link_type="link_only")
    result = scores(dict(zip(clusters["unique_id"].to_list(), clusters["cluster_id"].to_list(), strict=True)), truth)
    assert result["pairwise"]["precision"] >= 0.99
    assert result["pairwise"]["f1"] >= 0.85
