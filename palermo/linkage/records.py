"""Person records in one shape before linkage, whatever file or app they come from.

A record is an id, its source (the organisation or file), names, a date of birth, document numbers and, when known,
where the person lives. ``PersonRecord`` is the small abstraction the review queue resolves (the networks app's
Person entities adapt to it); ``prepare`` turns a table of them, or a labelled file's columns, into the columns the
Splink settings of ``settings.py`` compare.

Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from palermo.linkage.names import canonical_forename, fold, sound_key, split_full_name

# The column a file may use for each field (lower case, surrounding spaces stripped), first found wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "unique_id": ("unique_id", "rec_id", "id", "record_id"),
    "first_name": ("first_name", "given_name", "firstname", "forename", "given_names"),
    "surname": ("surname", "last_name", "lastname", "family_name"),
    "full_name": ("full_name", "name", "first_and_surname"),
    "dob": ("dob", "date_of_birth", "birth_date", "birthdate"),
    "documents": ("documents", "document_number", "passport_number", "passport", "id_number", "soc_sec_id"),
    "city": ("city", "suburb", "birth_place", "town"),
    "postcode": ("postcode", "postcode_fake", "zip", "postal_code"),
    "street": ("street", "address_1", "address"),
    "street_number": ("street_number",),
    "email": ("email",),
    "gender": ("gender", "sex"),
    "source_dataset": ("source_dataset", "source", "organisation"),
}
# Columns Splink compares, in the order the settings use them (``settings.person_settings``).
COMPARED = ("first_name", "surname", "dob", "document", "city", "postcode", "street", "street_number", "email",
            "gender")

_FEBRL_ID = re.compile(r"^rec-(\d+)-(?:org|dup-\d+)$")
_DIGITS = re.compile(r"\D+")
_DOC = re.compile(r"[^0-9A-Z]+")


@dataclass(frozen=True)
class PersonRecord:
    """One person as one source recorded them: what the review queue and the encodings work on."""

    id: str
    source: str
    names: tuple[str, ...]
    dob: str | None = None  # YYYY-MM-DD as recorded (typos kept)
    documents: tuple[tuple[str, str], ...] = ()  # (country code or "", number)
    country: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def first_name(self) -> str:
        return split_full_name(self.names[0])[0] if self.names else ""

    @property
    def surname(self) -> str:
        return split_full_name(self.names[0])[1] if self.names else ""


def truth_key(value: str | None) -> str | None:
    """The entity a labelled row belongs to: FEBRL's ``rec-12-dup-0`` -> ``12``; any other value as it is."""
    if value is None:
        return None
    text = str(value).strip()
    match = _FEBRL_ID.match(text)
    return match.group(1) if match else text


def normal_dob(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from ``19560409``, ``1956-04-09``, ``1956/4/9`` or ``09.04.1956``; the digits kept as recorded
    (a typo such as month 13 stays, so that Splink's levels see it), None for nothing usable."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    parts = [part for part in re.split(r"[-/. ]", text) if part]
    if len(parts) == 3:
        if len(parts[0]) == 4:
            year, month, day = parts
        elif len(parts[2]) == 4:
            day, month, year = parts
        else:
            return None
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}" if all(p.isdigit() for p in parts) else None
    digits = _DIGITS.sub("", text)
    if len(digits) == 8:
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return None


def normal_document(value: str | None) -> str:
    return _DOC.sub("", str(value or "").upper())


def _find(columns: Sequence[str], field_name: str) -> str | None:
    lowered = {column.strip().lower(): column for column in columns}
    for alias in ALIASES[field_name]:
        if alias in lowered:
            return lowered[alias]
    return None


def read_table(path: Path) -> pl.DataFrame:
    """A CSV (every column as text, names and values stripped) or a Parquet file."""
    if path.suffix.lower() == ".parquet":
        frame = pl.read_parquet(path)
    else:
        frame = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=True)
    frame = frame.rename({column: column.strip() for column in frame.columns})
    return frame.with_columns(pl.col(c).cast(pl.Utf8).str.strip_chars() for c in frame.columns)


def _mapped(series: pl.Series, function: object) -> pl.Series:
    """``function`` applied once per distinct value (names repeat a lot)."""
    values = series.to_list()
    table = {value: function(value) for value in set(values)}  # type: ignore[operator]
    return pl.Series(series.name, [table[value] for value in values], dtype=pl.Utf8)


def prepare(frame: pl.DataFrame, *, source: str = "", truth: str | None = None) -> pl.DataFrame:
    """The columns Splink compares, from a table whose columns are named as in ``ALIASES``: ``unique_id``,
    ``source_dataset``, folded ``first_name``/``surname`` with their nickname-free ``first_name_canonical`` and
    ``*_key`` sound keys, ``dob`` as YYYY-MM-DD, ``document`` (the first) and ``documents`` (all, upper-case letters
    and digits, ``;``-separated in the input), and the address columns found; ``truth`` when asked (an error naming
    the column when it is missing). Columns absent from the input are absent from the output (and so from the
    model)."""
    columns = frame.columns
    height = frame.height
    out: dict[str, pl.Series] = {}
    id_column = _find(columns, "unique_id")
    ids = frame[id_column].cast(pl.Utf8) if id_column else pl.Series([str(i) for i in range(height)])
    if ids.n_unique() != height:
        raise ValueError(f"the id column {id_column!r} has repeated values")
    out["unique_id"] = ids.alias("unique_id")
    source_column = _find(columns, "source_dataset")
    out["source_dataset"] = (frame[source_column].cast(pl.Utf8).fill_null("") if source_column
                             else pl.Series([source] * height, dtype=pl.Utf8)).alias("source_dataset")

    first_column, surname_column, full_column = (_find(columns, f) for f in ("first_name", "surname", "full_name"))
    if first_column or surname_column:
        first = frame[first_column].cast(pl.Utf8) if first_column else pl.Series([None] * height, dtype=pl.Utf8)
        last = frame[surname_column].cast(pl.Utf8) if surname_column else pl.Series([None] * height, dtype=pl.Utf8)
    elif full_column:
        pairs = [split_full_name(value or "") for value in frame[full_column].to_list()]
        first = pl.Series([p[0] for p in pairs], dtype=pl.Utf8)
        last = pl.Series([p[1] for p in pairs], dtype=pl.Utf8)
    else:
        raise ValueError("no name column: expected one of " + ", ".join(ALIASES["first_name"] + ALIASES["full_name"]))
    first = _mapped(first.alias("first_name"), lambda v: fold(v) or None)
    last = _mapped(last.alias("surname"), lambda v: fold(v) or None)
    out["first_name"] = first
    out["surname"] = last
    out["first_name_canonical"] = _mapped(first.alias("first_name_canonical"),
                                          lambda v: canonical_forename(v) if v else None)
    out["first_name_key"] = _mapped(first.alias("first_name_key"), lambda v: sound_key(v) if v else None)
    out["surname_key"] = _mapped(last.alias("surname_key"), lambda v: sound_key(v) if v else None)

    dob_column = _find(columns, "dob")
    if dob_column:
        out["dob"] = _mapped(frame[dob_column].cast(pl.Utf8).alias("dob"), normal_dob)
    documents_column = _find(columns, "documents")
    if documents_column:
        lists = [[d for d in (normal_document(part) for part in (value or "").split(";")) if d]
                 for value in frame[documents_column].cast(pl.Utf8).to_list()]
        out["document"] = pl.Series("document", [docs[0] if docs else None for docs in lists], dtype=pl.Utf8)
        out["documents"] = pl.Series("documents", [docs or None for docs in lists], dtype=pl.List(pl.Utf8))
    for name in ("city", "street"):
        found = _find(columns, name)
        if found:
            out[name] = _mapped(frame[found].cast(pl.Utf8).alias(name), lambda v: fold(v) or None)
    for name in ("postcode", "street_number", "gender"):
        found = _find(columns, name)
        if found:
            out[name] = frame[found].cast(pl.Utf8).str.strip_chars().str.to_lowercase().replace("", None).alias(name)
    email_column = _find(columns, "email")
    if email_column:
        out["email"] = frame[email_column].cast(pl.Utf8).str.strip_chars().str.to_lowercase().alias("email")
    if truth is not None:
        if truth not in columns:
            raise ValueError(f"no truth column {truth!r} in the file (columns: {', '.join(columns)})")
        out["truth"] = _mapped(frame[truth].cast(pl.Utf8).alias("truth"), truth_key)
    return pl.DataFrame(list(out.values()))


def from_records(records: Iterable[PersonRecord]) -> pl.DataFrame:
    """The table ``prepare`` takes, from ``PersonRecord`` objects (the review queue's, the networks' Persons)."""
    rows = list(records)
    return pl.DataFrame({
        "unique_id": [r.id for r in rows],
        "source_dataset": [r.source for r in rows],
        "full_name": [r.names[0] if r.names else "" for r in rows],
        "dob": [r.dob for r in rows],
        "documents": [";".join(number for _country, number in r.documents) for r in rows],
        **({"city": [r.extra.get("city") for r in rows]} if any("city" in r.extra for r in rows) else {}),
    }, schema_overrides={"dob": pl.Utf8})
