"""The IATI schema and codelists ship in the package, unchanged, and nothing at run time reads ../shared."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.conf import settings

from palermo.iati import codes

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "palermo" / "iati" / "data"
SHARED = re.compile(r"\.\./shared|[\"'` ]shared/data|/ \"shared\"")  # ../shared, shared/data/..., BASE_DIR / "shared"


def test_the_shipped_files_are_the_official_ones_named_in_source_md() -> None:
    source = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    listed = {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", source, re.MULTILINE)}
    shipped = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file() and p.name != "SOURCE.md")
    assert sorted(listed) == shipped
    assert len(shipped) == 12
    for name, digest in listed.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, f"{name} was changed"
    assert 'IATI Standard (http://iatistandard.org/)' in source and "creativecommons.org/licenses/by/4.0" in source


def test_the_settings_point_into_the_package_and_every_long_codelist_is_read() -> None:
    assert Path(settings.PALERMO_IATI_SCHEMA_DIR) == DATA / "schema"
    assert Path(settings.PALERMO_IATI_CODELIST_DIR) == DATA / "codelists"
    lists = codes.long_codelists(settings.PALERMO_IATI_CODELIST_DIR)
    assert lists.missing == ()
    assert {"XK", "RO", "RS"} <= (lists.country or set()) and "15190" in (lists.sector or set())
    assert "41128" in (lists.crs_channel or set()) and "8.7" in (lists.sdg_target or set())


def test_nothing_under_palermo_names_the_shared_folder() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "palermo").rglob("*")
        if path.suffix in (".py", ".html", ".txt", ".toml", ".cfg", ".json") and path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1)
        if SHARED.search(line)
    ]
    assert offenders == []
