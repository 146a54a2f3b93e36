"""About 20,000 synthetic cases over 2014-2025, shaped by each programme country's official figures.

The shares (sex x age, forms of exploitation, relative volume) come from demo_profiles.json, derived once from
UNODC GLOTIP (see docs/cases.md). Deterministic (seeded), idempotent (imported as source "demo": re-running
updates the same records).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from palermo.accounts.access import SYSTEM
from palermo.cases.codes import new_case_code
from palermo.cases.models import Case
from palermo.cases.samples import HTCDS_COLUMNS, Profile, synthetic_row
from palermo.cases.services.imports import import_rows
from palermo.partners.models import Organisation
from palermo.reference.models import Country

PROFILES = Path(__file__).with_name("demo_profiles.json")
YEARS = range(2014, 2026)
DESTINATIONS = frozenset({"GR", "HR", "RS", "MK", "BA"})
SOURCE = "demo"


def load_profiles() -> dict[str, dict]:
    return json.loads(PROFILES.read_text())["countries"]


def rows_by_country(total: int, seed: int = 2026) -> dict[str, list[dict[str, str]]]:
    profiles = load_profiles()
    weights = {code: profile["mean_yearly_victims"] for code, profile in sorted(profiles.items())}
    whole = sum(weights.values())
    rng = random.Random(seed)
    result: dict[str, list[dict[str, str]]] = {}
    index = 0
    for code, weight in weights.items():
        count = max(1, round(total * weight / whole))
        data = profiles[code]
        profile = Profile(country=code, sex_age=data["sex_age"], forms=data["forms"], destination=code in DESTINATIONS)
        rows = []
        for position in range(count):
            year = YEARS[min(len(YEARS) - 1, int(len(YEARS) * rng.random() ** 0.9))]
            rows.append(synthetic_row(rng, index, profile, year, row_number=position + 2))
            index += 1
        result[code] = rows
    return result


def load(log: list[str], total: int = 20_000, seed: int = 2026) -> None:
    code_rng = random.Random(seed + 1)
    created = updated = 0
    for code, rows in rows_by_country(total, seed).items():
        country = Country.objects.get(pk=code)
        organisation, _ = Organisation.objects.get_or_create(
            name=f"Safe Haven {country.name_en} (demo NGO)", country=country,
            defaults={"short_name": f"NGO-{code}", "kind": Organisation.Kind.NGO},
        )
        if Case.objects.filter(source=f"{SOURCE}-{code}").count() == len(rows):
            continue  # already loaded: the rows are deterministic
        report = import_rows(HTCDS_COLUMNS, rows, layout="htcds", source=f"{SOURCE}-{code}",
                             organisation=organisation, country=code, acting_user=SYSTEM.running("demo"),
                             file_name="demo", new_code=lambda: new_case_code(code_rng.randbytes))
        if not report.ok:
            raise RuntimeError(f"demo cases for {code} do not validate: {report.as_dict()}")
        created += report.created
        updated += report.updated
    log.append(f"cases: {created} synthetic cases created, {updated} updated")
