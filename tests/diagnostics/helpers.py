"""Flat case rows (the ``palermo.cases.flat`` contract) written to a Parquet snapshot, for tests."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from palermo.cases.flat import FLAT_COLUMNS, arrow_schema

_ids = itertools.count(1)


def flat_row(**values: Any) -> dict[str, Any]:
    case_id = next(_ids)
    row: dict[str, Any] = {
        "case_id": case_id, "case_code": f"T-{case_id:06d}", "owner_country": "RO", "organisation_id": 1,
        "year_identified": 2021, "sex": "female", "age_band": "21-23", "is_minor": False, "citizenship": "RO",
        "country_of_exploitation": "RO", "transit_countries": [], "thb_form": "traditional",
        "forms": ["sexual_exploitation"], "means_of_control": [], "recruitment_methods": [],
        "recruiter_relation": "", "status": "actual",
    }
    unknown = set(values) - set(FLAT_COLUMNS)
    assert not unknown, unknown
    row.update(values)
    return row


def write_rows(rows: list[dict[str, Any]], path: Path) -> Path:
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), str(path))
    return path


def many(count: int, **values: Any) -> list[dict[str, Any]]:
    return [flat_row(**values) for _ in range(count)]
