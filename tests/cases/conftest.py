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


# ---------------------------------------------------------------- retention and the person's rights

IDENTITY = {"first_name": "Fictional", "second_name": "Person R", "identity_number": "X-000-FICTION",
            "mobile_phone": "+381 00 000 000"}


def make_case(organisation: Organisation, country: str, *, status: str = "Active", closed_on: Any = None,
              gender: str = "Feminine", year: int = 2021, birth: str = "2001-02-03") -> Any:
    """A case recorded through the service (as the system), with an identity, a route and a perpetrator; then,
    when given, its closure date set as if it had been closed on that day."""
    from datetime import date

    from palermo.cases.models import Case, Perpetrator
    from palermo.cases.services import Route, create_case

    case = Case(organisation=organisation, owner_country_id=country, gender=gender, citizenship_id=country,
                birth_date=date.fromisoformat(birth), identification_date=date(year, 3, 1), case_status=status,
                marital_status="Single", **IDENTITY)
    create_case(acting_user=SYSTEM.running("test"), case=case, forms=["sexual_exploitation"],
                route=Route(recruitment_country=country, recruitment_place="Fictional village",
                            exploitation_country="HR", exploitation_place="Fictional bar",
                            exploitation_date=date(year - 1, 6, 1)))
    Perpetrator.objects.create(case=case, roles=["RecruiterOrIntermediary"], role_details="Fictional neighbour",
                               gender="Masculine")
    if closed_on is not None:
        Case.objects.filter(pk=case.pk).update(closed_on=closed_on)
        case.refresh_from_db()
    return case


@pytest.fixture
def rights_world(user_factory: Any, organisation_factory: Callable[..., Organisation]) -> dict[str, Any]:
    """Serbia: an NGO's case worker (allowed), the same role in another NGO of Serbia and in the same NGO for
    Albania, an analyst of Serbia (reads the case, pseudonymised), a national coordinator, a programme manager,
    a viewer."""
    from palermo.accounts.roles import Role

    ngo, other = organisation_factory("NGO-RS", country="RS"), organisation_factory("NGO2-RS", country="RS")
    return {
        "ngo": ngo, "other_ngo": other,
        "case_worker": user_factory("cw-rs", Role.CASE_WORKER, ("RS",), organisation=ngo),
        "other_organisation": user_factory("cw2-rs", Role.CASE_WORKER, ("RS",), organisation=other),
        "other_country": user_factory("cw-al", Role.CASE_WORKER, ("AL",), organisation=ngo),
        "analyst": user_factory("analyst-rs", Role.ANALYST, ("RS",)),
        "coordinator": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True),
        "viewer": user_factory("viewer", Role.VIEWER),
    }
