"""Multi-valued fields in the diagnostics and the CTDC 2024 microdata (issue 14): one victim counts under every
one of its categories, the totals count victims, and the microdata release fills every column the data supports."""

from __future__ import annotations

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.cases.importing import ctdc
from palermo.diagnostics import figures
from palermo.diagnostics.microdata import CTDC_2024_COLUMNS, k_anonymous_microdata
from palermo.diagnostics.snapshot import open_snapshot
from tests.conftest import verified_login
from tests.diagnostics.helpers import flat_row, many, write_rows

pytestmark = pytest.mark.django_db


def test_a_victim_of_two_forms_counts_under_both_and_the_total_says_victims(settings, tmp_path, user_factory) -> None:
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    write_rows([flat_row(forms=["sexual_exploitation", "forced_labour"]), flat_row(forms=["forced_labour"]),
                flat_row(forms=[])], tmp_path / "cases.parquet")
    analyst = user_factory("analyst-ro", Role.ANALYST, ("RO",))

    with open_snapshot() as snap:
        figure = figures.distribution(snap, "forms", figures.Scope(frozenset({"RO"}), exact=True))
    assert {row.category: row.count for row in figure.rows} == {"forced_labour": 2, "sexual_exploitation": 1}
    assert (figure.multi_valued, figure.denominator, figure.unknown) == (True, 2, 1)
    assert sum(row.count or 0 for row in figure.rows) == 3  # the categories' sum: not the victims

    client = Client()
    verified_login(client, analyst)
    page = client.get("/diagnostics/?country=RO").content.decode()
    forms = page[page.index('id="forms"'):page.index('id="means_of_control"')]
    assert "victims with this field known: 2" in forms.replace("&nbsp;", " ").replace("\u202f", " ")
    assert "Victims (each counted once; not the sum of the categories)</th><td>2</td>" in forms
    assert "one victim can count in several categories" in forms
    assert "sum of categories" not in forms.replace("not the sum of the categories", "")


def test_the_microdata_release_fills_every_column_the_data_supports() -> None:
    row = {"year_identified": 2021, "sex": "female", "age_band": "9-17", "citizenship": "MD",
           "citizenships": ["MD", "RO"], "country_of_exploitation": "RO", "trafficking_duration": "13-24",
           "means_of_control": ["DebtBondage", "PhysicalThreats", "SexualAbuse", "FalsePromises",
                                "PsychoactiveSubstance", "RestrictsMovement", "ExcessiveWorkingHours",
                                "WithholdsDocuments"],
           "forms": ["forced_labour", "sexual_exploitation", "forced_marriage"], "other_exploitation": False,
           "forced_labour_industries": ["A_AgricultureForestryAndFishing", "F_Construction",
                                        "T_ActivitiesOfHouseholdsAsEmployers",
                                        "I_AccommodationAndFoodServiceActivities"],
           "sex_exploitation_types": ["Prostitution", "Pornography"], "recruiter_relation": "IntimatePartner",
           "recruiter_relations": ["IntimatePartner", "Friend", "Familial", "Acquainted"]}
    records, stats = k_anonymous_microdata([dict(row) for _ in range(5)], 5, {"MD": "MDA", "RO": "ROU"}, {})
    assert stats == {"input": 5, "generalised": 0, "dropped": 0}
    assert [column for column in CTDC_2024_COLUMNS if not records[0][column]] == []
    assert records[0]["traffickMonths"] == "13-24"


def test_illicit_activities_and_begging_are_forced_labour_in_ctdc_and_other_forms_other() -> None:
    base = flat_row()
    for forms, other, expected in ((["criminal_activities"], False, ("1", "", "")), (["begging"], False, ("1", "", "")),
                                   (["forced_marriage"], False, ("", "", "1")), ([], True, ("", "", "1"))):
        out = ctdc.export_2024({**base, "forms": forms, "other_exploitation": other}, {})
        assert (out["isForcedLabour"], out["isSexualExploit"], out["isOtherExploit"]) == expected


def test_a_release_lists_its_lossy_mappings(settings, tmp_path, user_factory) -> None:
    from palermo.diagnostics.services import create_release

    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    write_rows(many(12, country_of_exploitation="XK"), tmp_path / "cases.parquet")
    manager = user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True)
    release = create_release(acting_user=manager, kind="microdata", k=10)
    assert any(line.startswith("Kosovo (XK): written as Serbia (SRB)") for line in release.parameters["lossy_mappings"])


def test_a_ctdc_2024_import_comes_out_of_the_microdata_release_with_every_column_filled(
        settings, tmp_path, user_factory, organisation_factory) -> None:
    import csv
    import io

    from palermo.accounts.access import SYSTEM
    from palermo.cases.services import import_rows
    from palermo.diagnostics.services import create_release, release_file

    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    full = {"yearOfRegistration": "2021", "gender": "Woman", "ageBroad": "9-17", "citizenship": "MDA",
            "CountryOfExploitation": "ROU", "traffickMonths": "13-24",
            **dict.fromkeys([c for c in ctdc.COLUMNS_2024 if c.startswith(("means", "is", "typeOf", "recruiter"))],
                            "1")}
    names = list(ctdc.COLUMNS_2024)
    rows = [{**full, "__row__": str(index + 2)} for index in range(10)]
    ngo = organisation_factory("NGO-RO", country="RO")
    report = import_rows(names, rows, layout="ctdc", source="ctdc", organisation=ngo, country="RO",
                         acting_user=SYSTEM.running("test"))
    assert report.ok, report.as_dict()
    manager = user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True)

    release = create_release(acting_user=manager, kind="microdata", k=10)

    records = list(csv.DictReader(io.StringIO(release_file(release).read_text(encoding="utf-8"))))
    assert len(records) == 10
    assert [column for column in CTDC_2024_COLUMNS if records[0][column] != full.get(column)] == []


def test_the_download_and_the_api_of_a_multi_valued_figure_total_the_victims(settings, tmp_path,
                                                                           user_factory) -> None:
    from rest_framework.test import APIClient

    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    write_rows([flat_row(forms=["sexual_exploitation", "forced_labour"]), flat_row(forms=["forced_labour"])],
               tmp_path / "cases.parquet")
    analyst = user_factory("analyst-ro", Role.ANALYST, ("RO",))
    client = Client()
    verified_login(client, analyst)
    lines = client.get("/diagnostics/figures/forms.csv").content.decode("utf-8-sig").splitlines()
    assert lines[-1] == ",Victims (each counted once; not the sum of the categories),2,,,2,True,"
    api = APIClient()
    api.force_authenticate(analyst)
    body = api.get("/api/diagnostics/forms/").json()
    assert [(row["category"], row["count"]) for row in body["rows"]] == [("forced_labour", 2),
                                                                         ("sexual_exploitation", 1)]
    assert body["total"] == {"counts": "victims", "count": 2,
                             "note": "one victim can count in several categories; the categories add up to more"}
