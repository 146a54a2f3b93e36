from __future__ import annotations

from pathlib import Path

import pytest

IATI_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "iati"
SCHEMA_DIR = IATI_DIR / "schema"
CODELIST_DIR = IATI_DIR / "codelists"
EXAMPLE = IATI_DIR / "examples" / "activity-standard-example-annotated-2.03.xml"


@pytest.fixture
def iati_dirs(settings: object) -> tuple[Path, Path]:
    if not (SCHEMA_DIR / "iati-activities-schema.xsd").is_file():
        pytest.skip(f"the IATI 2.03 files are not at {IATI_DIR} (shared data folder absent)")
    settings.PALERMO_IATI_SCHEMA_DIR = str(SCHEMA_DIR)  # type: ignore[attr-defined]
    settings.PALERMO_IATI_CODELIST_DIR = str(CODELIST_DIR)  # type: ignore[attr-defined]
    return SCHEMA_DIR, CODELIST_DIR
