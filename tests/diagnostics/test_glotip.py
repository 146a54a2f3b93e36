"""GLOTIP import: the totals of the ten reporting programme countries match the file, <5 stays suppressed,
a bad file imports nothing and names the row; the official-statistics API filters and refuses unknown codes."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent, ChainHead
from palermo.diagnostics.models import OfficialStatistic, StatisticsImport
from palermo.diagnostics.services import GlotipImportError, import_glotip
from tests.conftest import shared_data, verified_login

REPORTERS = {"ALB": "AL", "BIH": "BA", "BGR": "BG", "HRV": "HR", "GRC": "GR", "MNE": "ME", "MKD": "MK", "MDA": "MD",
             "ROU": "RO", "SRB": "RS"}
HEADER = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
          "Unit of measurement", "txtVALUE", "Source"]


def file_rows() -> list[tuple]:
    workbook = openpyxl.load_workbook(shared_data("unodc_glotip/data_glotip.xlsx"), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    workbook.close()
    return rows


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """Import the whole file once for this module, then put the database back as it was."""
    path = shared_data("unodc_glotip/data_glotip.xlsx")
    with django_db_blocker.unblock():
        head = ChainHead.objects.filter(pk=1).first()
        seq = head.seq if head else 0
        batch, report = import_glotip(acting_user=SYSTEM.running("test"), path=path)
    yield batch, report
    with django_db_blocker.unblock():
        OfficialStatistic.objects.all().delete()
        StatisticsImport.objects.all().delete()
        AuditEvent.objects.filter(seq__gt=seq)._raw_delete(AuditEvent.objects.db)  # the ORM refuses delete()
        if head is None:
            ChainHead.objects.filter(pk=1).delete()
        else:
            head.save()


@pytest.fixture(scope="module")
def expected() -> dict[str, object]:
    """Computed from the workbook here, independently of the importer."""
    totals: dict[tuple[str, int], object] = {}
    suppressed_programme = 0
    suppressed_all = 0
    for row in file_rows():
        iso3, indicator, dimension, category, sex, age, year, value = (row[0], row[4], row[5], row[6], row[7],
                                                                       row[8], row[9], row[11])
        if value == "<5" and row[1] not in (None, "Sark"):  # regional aggregates and Sark are not stored
            suppressed_all += 1
        if iso3 not in REPORTERS:
            continue
        if value == "<5":
            suppressed_programme += 1
        if (indicator, dimension, category, sex, age) == ("Detected trafficking victims", "Total", "Total", "Total",
                                                          "Total"):
            totals[(REPORTERS[iso3], int(year))] = "<5" if value == "<5" else int(value.replace(",", ""))
    return {"totals": totals, "suppressed_programme": suppressed_programme, "suppressed_all": suppressed_all}


@pytest.mark.django_db
def test_every_country_year_total_of_detected_victims_matches_the_file(imported, expected) -> None:
    stored = {}
    for code, year, value, suppressed in OfficialStatistic.objects.filter(
            country__in=REPORTERS.values(), indicator="detected_victims", dimension="total", sex="total",
            age="total").values_list("country_id", "year", "value", "suppressed"):
        stored[(code, year)] = "<5" if suppressed else value
    assert stored == expected["totals"]
    assert len(stored) == 136
    # the published extract agrees, and so do REFERENCE.md §3.1's figures
    with shared_data("unodc_glotip/glotip_see11_detected_victims_totals.csv").open(encoding="utf-8") as handle:
        extract = {(REPORTERS[r["Iso3_code"]], int(r["Year"])): r["detected_victims_total"]
                   for r in csv.DictReader(handle)}
    assert {key: str(value) for key, value in stored.items()} == {k: v.replace(",", "") for k, v in extract.items()}
    assert stored[("RO", 2015)] == 880
    assert stored[("ME", 2015)] == "<5"
    assert stored[("MK", 2019)] == 6


@pytest.mark.django_db
def test_suppressed_cells_stay_suppressed_never_zero(imported, expected) -> None:
    programme = OfficialStatistic.objects.filter(country__in=REPORTERS.values())
    assert programme.filter(suppressed=True).count() == expected["suppressed_programme"] == 1429
    assert programme.filter(suppressed=True, value__isnull=False).count() == 0
    assert OfficialStatistic.objects.filter(suppressed=True).count() == expected["suppressed_all"]
    assert programme.count() == 3581


@pytest.mark.django_db
def test_names_are_mapped_explicitly_kosovo_and_north_macedonia_included(imported) -> None:
    batch, report = imported
    assert report.rows_read == 46556
    assert batch.values_stored == 46556 - report.aggregate_rows_skipped
    kosovo = OfficialStatistic.objects.filter(category_label="Kosovo under UNSCR 1244")
    assert kosovo.exists()
    assert set(kosovo.values_list("citizenship_id", flat=True)) == {"XK"}
    assert set(OfficialStatistic.objects.filter(category_label="The former Yugoslav Republic of Macedonia")
               .values_list("citizenship_id", flat=True)) == {"MK"}
    assert OfficialStatistic.objects.filter(country_id="MD").exists()


@pytest.mark.django_db
def test_official_statistics_api_filters(imported, user_factory) -> None:
    client = Client()
    verified_login(client, user_factory("viewer", "viewer"))
    response = client.get("/api/official-statistics/", {"country": "RO", "indicator": "detected_victims",
                                                          "year": 2021, "sex": "total", "age": "total",
                                                          "dimension": "total"})
    assert response.status_code == 200
    assert [(r["country"], r["year"], r["value"], r["suppressed"]) for r in response.json()["results"]] == [
        ("RO", 2021, 505, False)]
    response = client.get("/api/official-statistics/", {"country": "me", "year": 2015, "sex": "total",
                                                          "age": "total", "dimension": "total",
                                                          "indicator": "detected_victims"})
    assert [(r["value"], r["suppressed"]) for r in response.json()["results"]] == [(None, True)]
    forms = client.get("/api/official-statistics/", {"country": "RO", "year": 2021, "form": "forced_labour",
                                                      "indicator": "detected_victims"}).json()
    assert forms["count"] >= 1
    assert all(r["form"] == "forced_labour" for r in forms["results"])


@pytest.mark.django_db
def test_official_statistics_api_refuses_an_unknown_country_with_a_clear_message(user_factory) -> None:
    client = Client()
    verified_login(client, user_factory("viewer", "viewer"))
    response = client.get("/api/official-statistics/", {"country": "ZZ"})
    assert response.status_code == 400
    assert "ZZ" in response.json()["country"][0]
    assert "alpha-2" in response.json()["country"][0]
    response = client.get("/api/official-statistics/", {"indicator": "victims"})
    assert response.status_code == 400
    assert "detected_victims" in response.json()["indicator"][0]
    assert Client().get("/api/official-statistics/").status_code in (401, 403)


def write_workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def good(value: str = "12", year: int = 2020) -> list[object]:
    return ["ROU", "Romania", "Europe", "Eastern Europe", "Detected trafficking victims", "Total", "Total", "Total",
            "Total", year, "Counts", value, "GLOTIP"]


@pytest.mark.django_db
def test_a_bad_file_imports_nothing_and_names_the_row(tmp_path) -> None:
    bad_country = good(year=2019)
    bad_country[1] = "Ruritania"
    path = write_workbook(tmp_path / "bad.xlsx", [good(), good("zero", 2021), bad_country])
    before = (AuditEvent.objects.count(), OfficialStatistic.objects.count(), StatisticsImport.objects.count())
    with pytest.raises(GlotipImportError) as raised:
        import_glotip(acting_user=SYSTEM.running("test"), path=path)
    problems = [(p.row, p.column, p.value) for p in raised.value.report.problems]
    assert problems == [(3, "txtVALUE", "zero"), (4, "Country", "Ruritania")]
    assert (AuditEvent.objects.count(), OfficialStatistic.objects.count(), StatisticsImport.objects.count()) == before
    stderr = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "glotip", str(path), stderr=stderr)
    assert "row 3, column 'txtVALUE', value 'zero'" in stderr.getvalue()
    assert OfficialStatistic.objects.count() == before[1]


@pytest.mark.django_db
def test_a_good_small_file_imports_through_the_command_and_again_replaces(tmp_path) -> None:
    path = write_workbook(tmp_path / "small.xlsx", [good("1,011"), good("<5", 2021)])
    imports = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, object_type="diagnostics.statisticsimport")
    before = imports.count()
    stdout = StringIO()
    call_command("import", "glotip", str(path), "--source", "test", stdout=stdout)
    call_command("import", "glotip", str(path), "--source", "test", stdout=stdout)
    assert "2 values imported" in stdout.getvalue()
    assert sorted(OfficialStatistic.objects.filter(source="test").values_list("year", "value", "suppressed")) == [
        (2020, 1011, False), (2021, None, True)]
    assert imports.count() == before + 2


@pytest.mark.django_db
def test_the_official_statistics_page_writes_numbers_in_each_language(imported, user_factory) -> None:
    client = Client()
    verified_login(client, user_factory("viewer", "viewer"))
    english = client.get("/diagnostics/official-statistics/").content.decode()
    assert '<tdclass="num">1,780</td>' in english.replace(" ", "").replace("\n", "")  # Romania 2007
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    french = client.get("/diagnostics/official-statistics/").content.decode()
    assert "1\u202f780" in french  # a narrow no-break space groups the thousands
    assert "1,780" not in french
