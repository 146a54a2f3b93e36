"""Counting victims across organisations without sharing names: keyed Bloom-filter encodings.

On the organisation's side (``encode``): each victim's first name, surname and date of birth become field-level
Bloom filters (512 bits; each name bigram and date token sets 12 bits chosen by HMAC-SHA256 under the
programme's secret key), plus keyed blocking tokens (HMAC of the date, of the sound keys with the birth year).
What leaves the organisation is a random record token, the organisation, the country and these encodings: no
name, no date, no document number, not the organisation's own id.

Centrally (``count_unique``): Splink compares the encodings with Dice-coefficient levels (``bit_count`` over the
filters' eight 64-bit words), trained like the plain model, and clusters them; the count of clusters is the
distinct-victim estimate, and clusters holding records of two organisations fill the overlap matrix.

Re-identification risk: see docs/linkage.md (frequency attacks on name bigrams need many encodings made under
one key; the key must stay secret and be rotated).

Pure: no Django.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import logging
import secrets
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.exceptions import SplinkException

from palermo.linkage.records import prepare, read_table

BITS = 512
HASHES = 12
WORDS = BITS // 64
FIELDS = ("first_name", "surname", "dob")
BLOCKS = ("blk_dob", "blk_first_year", "blk_surname_year", "blk_names", "blk_surname", "blk_first",
          "blk_dob_sorted")
DEFAULT_ENCODED_THRESHOLD = 0.9
MIN_TRAINING_RECORDS = 1000  # fewer: the starting m and u values of the settings are kept
ENCODED_COLUMNS = ("record", "organisation", "country", *(f"bf_{f}" for f in FIELDS), *BLOCKS)


def read_key(path: Path) -> bytes:
    key = path.read_bytes().strip()
    if len(key) < 16:
        raise ValueError(f"{path}: the key must hold at least 16 bytes")
    return key


def _bigrams(text: str) -> list[str]:
    padded = f"_{text}_"
    return [padded[i:i + 2] for i in range(len(padded) - 1)]


def _dob_tokens(dob: str) -> list[str]:
    """Tokens of a YYYY-MM-DD date that survive a typo or a swapped day and month."""
    year, month, day = dob[:4], dob[5:7], dob[8:10]
    return [f"y{year}", f"y3{year[:3]}", f"m{month}", f"d{day}", f"dm{''.join(sorted((month, day)))}",
            f"ym{year}{month}", f"full{dob}"]


def _positions(key: bytes, field: str, tokens: Sequence[str], cache: dict[tuple[str, str], list[int]]) -> list[int]:
    bits: set[int] = set()
    for token in tokens:
        found = cache.get((field, token))
        if found is None:
            digest = hmac.new(key, f"{field}\x1f{token}".encode(), hashlib.sha256).digest()
            first, second = int.from_bytes(digest[:16], "big"), int.from_bytes(digest[16:], "big") | 1
            found = [(first + i * second) % BITS for i in range(HASHES)]
            cache[(field, token)] = found
        bits.update(found)
    return sorted(bits)


def _words(positions: Sequence[int]) -> str:
    """The filter as WORDS signed 64-bit integers, space-separated (what the encodings file carries)."""
    words = [0] * WORDS
    for position in positions:
        words[position // 64] |= 1 << (position % 64)
    return " ".join(str(w - (1 << 64) if w >= 1 << 63 else w) for w in words)


def _token(key: bytes, label: str, value: str) -> str:
    return hmac.new(key, f"{label}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:20]


def encode_frame(frame: pl.DataFrame, *, key: bytes, organisation: str, country: str = "") -> list[dict[str, str]]:
    """The encodings of prepared records (``records.prepare``): one row per record, no plain identifier."""
    cache: dict[tuple[str, str], list[int]] = {}
    rows = []
    columns = frame.columns
    for record in frame.iter_rows(named=True):
        first, surname = record.get("first_name") or "", record.get("surname") or ""
        dob = record.get("dob") or "" if "dob" in columns else ""
        year = dob[:4]
        row = {"record": secrets.token_hex(8), "organisation": organisation, "country": country,
               "bf_first_name": _words(_positions(key, "first_name", _bigrams(first), cache)) if first
               else "",
               "bf_surname": _words(_positions(key, "surname", _bigrams(surname), cache)) if surname
               else "",
               "bf_dob": _words(_positions(key, "dob", _dob_tokens(dob), cache)) if len(dob) == 10
               else "",
               "blk_dob": _token(key, "dob", dob) if dob else "",
               "blk_first_year": _token(key, "fy", f"{record.get('first_name_key')}|{year}") if first and year
               else "",
               "blk_surname_year": _token(key, "sy", f"{record.get('surname_key')}|{year}") if surname and year
               else "",
               "blk_names": _token(key, "names", "|".join(sorted((record.get("first_name_key") or "",
                                                                  record.get("surname_key") or ""))))
               if first and surname else "",
               "blk_surname": _token(key, "s", record.get("surname_key") or "") if surname else "",
               "blk_first": _token(key, "f", record.get("first_name_key") or "") if first else "",
               "blk_dob_sorted": _token(key, "ds", year + "".join(sorted((dob[5:7], dob[8:10]))))
               if len(dob) == 10 else ""}
        rows.append(row)
    return rows


def encode_file(path: Path, *, key: bytes, organisation: str, country: str, out: Path) -> int:
    frame = prepare(read_table(path), source=organisation)
    rows = encode_frame(frame, key=key, organisation=organisation, country=country)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ENCODED_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def read_encodings(path: Path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    missing = [c for c in ENCODED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: not an encodings file (missing {', '.join(missing)})")
    return frame


def _as_lists(frame: pl.DataFrame) -> pl.DataFrame:
    """One Int64 column per word of each filter (``bf_surname_0`` ...), null when the field was empty, and its
    bit count (``bf_surname_n``)."""
    words = []
    for f in FIELDS:
        split = pl.when(pl.col(f"bf_{f}").fill_null("") == "").then(None).otherwise(
            pl.col(f"bf_{f}").str.split(" "))
        words += [split.list.get(i, null_on_oob=True).cast(pl.Int64).alias(f"bf_{f}_{i}") for i in range(WORDS)]
    frame = frame.with_columns(words)
    return frame.with_columns(
        *(pl.sum_horizontal(pl.col(f"bf_{f}_{i}").bitwise_count_ones() for i in range(WORDS))
          .cast(pl.Int64).alias(f"bf_{f}_n") for f in FIELDS),
        *(pl.when(pl.col(b).fill_null("") == "").then(None).otherwise(pl.col(b)).alias(b) for b in BLOCKS),
        pl.col("record").alias("unique_id"), pl.col("organisation").alias("source_dataset"))


def _dice(left: str, right: str) -> str:
    """Dice coefficient of two filters named ``bf_x`` / ``bf_y`` with their side suffixes (``_l``, ``_r``)."""
    (lname, lside), (rname, rside) = left.rsplit("_", 1), right.rsplit("_", 1)
    common = " + ".join(f"CAST(bit_count({lname}_{i}_{lside} & {rname}_{i}_{rside}) AS INTEGER)"
                       for i in range(WORDS))
    return f"2.0 * ({common}) / ({lname}_n_{lside} + {rname}_n_{rside})"


def _dice_comparison(field: str, thresholds: Sequence[float], swap_with: str | None = None) -> cl.CustomComparison:
    column = f"bf_{field}"
    levels: list[Any] = [cll.NullLevel(f"{column}_n")]
    # starting values, kept where the data is too small to train them (a handful of records)
    priors = [(0.7, 0.001), (0.15, 0.002), (0.08, 0.005), (0.04, 0.02)]
    for threshold, (m, u) in zip(thresholds, priors, strict=False):
        levels.append(cll.CustomLevel(f"{_dice(column + '_l', column + '_r')} >= {threshold}",
                                      label_for_charts=f"Dice >= {threshold}").configure(m_probability=m,
                                                                                         u_probability=u))
        if swap_with and threshold == thresholds[0]:
            other = f"bf_{swap_with}"
            levels.append(cll.CustomLevel(
                f"{_dice(column + '_l', other + '_r')} >= {threshold}", label_for_charts="Written as the other name"))
    levels.append(cll.ElseLevel().configure(m_probability=0.03, u_probability=0.97))
    return cl.CustomComparison(levels, output_column_name=column)


def encoded_settings(link_type: str) -> SettingsCreator:
    """Bloom filters of the first-name and surname bigrams (first names hash under their own field key, so a
    swapped name is detected through the sound-key block only) and of the date tokens."""
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        comparisons=[_dice_comparison("first_name", [1.0, 0.9, 0.8, 0.6]),
                     _dice_comparison("surname", [1.0, 0.9, 0.8, 0.6]),
                     _dice_comparison("dob", [1.0, 0.85, 0.7, 0.5])],
        blocking_rules_to_generate_predictions=[block_on(b) for b in BLOCKS],
        probability_two_random_records_match=0.001, retain_matching_columns=False)


def resolve_encoded(frames: Sequence[pl.DataFrame], *, threshold: float = DEFAULT_ENCODED_THRESHOLD,
                    link_type: str | None = None) -> pl.DataFrame:
    """Clusters (record, organisation, cluster_id) of encoded records, with Splink on DuckDB."""
    api = DuckDBAPI()
    prepared = [_as_lists(frame) for frame in frames]
    tables = [api.register(frame.to_arrow(), dataset_display_name=f"enc_{i}") for i, frame in enumerate(prepared)]
    kind = link_type or ("dedupe_only" if len(tables) == 1 else "link_and_dedupe")
    linker = Linker(tables if len(tables) > 1 else tables[0], encoded_settings(kind), log_level=logging.ERROR)
    # each step trains what the data allows; too few records (a small organisation) keep the starting values
    steps: list[Any] = [
        lambda: linker.training.estimate_probability_two_random_records_match(
            [block_on("blk_dob", "blk_names")], recall=0.7),
        lambda: linker.training.estimate_u_using_random_sampling(max_pairs=5e5, seed=42),
        *(lambda rule=rule: linker.training.estimate_parameters_using_expectation_maximisation(rule)
          for rule in (block_on("blk_dob"), block_on("blk_names")))]
    for step in steps if sum(frame.height for frame in frames) >= MIN_TRAINING_RECORDS else []:
        try:
            step()
        except (SplinkException, ValueError):
            logging.getLogger(__name__).info("too few records to train one step: starting values kept")
    predictions = linker.inference.predict(threshold_match_probability=min(0.5, threshold))
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions,
                                                                          threshold_match_probability=threshold)
    frame = pl.from_arrow(clusters.as_pyarrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.select("unique_id", "source_dataset", "cluster_id")


def count_unique(frames: Sequence[pl.DataFrame], *, threshold: float = DEFAULT_ENCODED_THRESHOLD) -> dict[str, Any]:
    """Victims recorded, distinct victims (estimated), per country, and the overlap matrix between organisations
    (victims recorded by both), from the organisations' encodings."""
    combined = pl.concat(frames, how="vertical_relaxed")
    clusters = resolve_encoded(frames, threshold=threshold)
    country_of = dict(zip(combined["record"].to_list(), combined["country"].fill_null("").to_list(), strict=True))
    members: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for record, organisation, cluster in clusters.iter_rows():
        members[cluster].append((organisation, country_of.get(record, "")))
    organisations = sorted({o for group in members.values() for o, _c in group})
    overlap = {a: dict.fromkeys(organisations, 0) for a in organisations}
    by_country: dict[str, dict[str, int]] = defaultdict(lambda: {"recorded": 0, "distinct": 0})
    for group in members.values():
        orgs = sorted({o for o, _c in group})
        for a in orgs:
            for b in orgs:
                overlap[a][b] += 1
        for country in {c for _o, c in group}:
            by_country[country]["distinct"] += 1
        for _o, country in group:
            by_country[country]["recorded"] += 1
    return {"method": f"Bloom filters {BITS} bits, Splink, threshold {threshold}", "records": combined.height,
            "distinct_estimated": len(members), "organisations": organisations, "overlap": overlap,
            "by_country": dict(sorted(by_country.items()))}
