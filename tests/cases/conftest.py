from __future__ import annotations

import csv
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from palermo.accounts.access import SYSTEM
from palermo.cases.importing.records import ROW_KEY
from palermo.cases.samples import HTCDS_COLUMNS, Profile, synthetic_row
from palermo.cases.services import ImportReport, import_file
from palermo.partners.models import Organisation


def sample_rows(count: int, country: str = "AL", seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [synthetic_row(rng, index, Profile(country=country), 2020) for index in range(count)]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: value for key, value in row.items() if key != ROW_KEY})
    return path


@pytest.fixture
def htcds_csv(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: list[dict[str, str]], name: str = "cases.csv") -> Path:
        return write_csv(tmp_path / name, HTCDS_COLUMNS, rows)

    return make


@pytest.fixture
def run_import(db: Any, organisation_factory: Callable[..., Organisation]) -> Callable[..., ImportReport]:
    def run(path: Path, layout: str = "htcds", source: str = "test", organisation: Organisation | None = None,
            country: str = "AL") -> ImportReport:
        organisation = organisation or organisation_factory("NGO-AL", country="AL")
        return import_file(path, layout=layout, source=source, organisation=organisation, country=country,
                           acting_user=SYSTEM.running("test"))

    return run
