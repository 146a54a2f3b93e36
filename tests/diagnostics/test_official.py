"""The official statistics page (charts and breakdowns by sex, age, form and citizenship, each with a download; a
note where UNODC publishes nothing, as for Kosovo) and its API (citizenship as a filter, totals by default).

The GLOTIP rows are synthetic, made up for these tests in the layout of UNODC's workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.diagnostics.official import combined
from palermo.diagnostics.services import import_glotip
from tests.conftest import download_rows, verified_login

pytestmark = pytest.mark.django_db

HEADER = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
          "Unit of measurement", "txtVALUE", "Source"]


def row(iso3: str, name: str, year: int, value: str, dimension: str = "Total", category: str = "Total",
        sex: str = "Total", age: str = "Total", indicator: str = "Detected trafficking victims") -> list[object]:
    return [iso3, name, "Europe", "Southern Europe", indicator, dimension, category, sex, age, year, "Counts", value,
            "GLOTIP"]


ROWS = [
    row("ALB", "Albania", 2019, "90"), row("ALB", "Albania", 2021, "1,770"),  # no 2020: a gap, not a line
    row("ALB", "Albania", 2021, "1,000", sex="Female"), row("ALB", "Albania", 2021, "<5", sex="Male"),
    row("ALB", "Albania", 2021, "12", age="0 to 17 years"),
    row("ALB", "Albania", 2021, "30", "by form of exploitation", "Sexual exploitation"),
    row("ALB", "Albania", 2021, "20", "by form of exploitation", "Forced labour"),
    row("ALB", "Albania", 2021, "3", "by form of exploitation", "Other forms of exploitation"),
    row("ALB", "Albania", 2021, "<5", "by form of exploitation", "Other forms of exploitation"),
    row("ALB", "Albania", 2021, "60", "by citizenship", "Albania"),
    row("ALB", "Albania", 2021, "<5", "by citizenship", "Kosovo under UNSCR 1244"),
    row("SRB", "Serbia", 2021, "40"),
    row("SRB", "Serbia", 2021, "7", "by citizenship", "Kosovo under UNSCR 1244"),
    row("SRB", "Serbia", 2021, "9", indicator="Persons convicted"),
]


@pytest.fixture
def glotip(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for values in ROWS:
        workbook.active.append(values)
    workbook.save(tmp_path / "glotip.xlsx")
    import_glotip(acting_user=SYSTEM.running("test"), path=tmp_path / "glotip.xlsx", source="synthetic")


@pytest.fixture
def viewer(user_factory) -> Client:
    client = Client()
    verified_login(client, user_factory("viewer", Role.VIEWER))
    return client


def cells(html: str, section: str) -> list[list[str]]:
    """The rows of a section's table as text."""
    import re

    body = html.split(f'<section id="{section}"', 1)[1].split("</section>", 1)[0].split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", line)]
            for line in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_published_values_add_up_with_their_suppressed_parts() -> None:
    assert combined([(3, False), (None, True)]) == "3+"
    assert combined([(None, True)]) == "<5"
    assert combined([(30, False), (20, False)]) == 50
    assert combined([]) is None


def test_the_programme_page_charts_every_country_and_names_kosovo(glotip, viewer) -> None:
    html = viewer.get("/diagnostics/official-statistics/").content.decode()
    assert 'id="chart-totals"' in html and '"connectgaps":false' in html
    assert cells(html, "totals") == [["2019", "90", "–"], ["2021", "1,770", "40"]]
    assert ("UNODC publishes no figure for Kosovo (detected victims). Kosovo appears only as the citizenship of "
            "persons other countries report: Albania, Serbia.") in " ".join(html.split())
    assert "/api/official-statistics/" not in html  # the API is documented, not linked raw
    assert 'href="/api/docs/"' in html


def test_one_country_has_its_breakdowns_each_with_a_chart_and_a_download(glotip, viewer) -> None:
    html = viewer.get("/diagnostics/official-statistics/", {"country": "AL"}).content.decode()
    assert cells(html, "sex") == [["2021", "1,000", "&lt;5"]]
    assert cells(html, "age") == [["2021", "12"]]
    assert cells(html, "form") == [["2021", "30", "20", "3+"]]
    assert cells(html, "citizenship") == [["Albania", "60"], ["Kosovo", "&lt;5"]]
    for name in ("sex", "age", "form", "citizenship"):
        assert f'id="chart-{name}"' in html
        assert f"table={name}&amp;format=csv" in html
    rows = download_rows(viewer.get("/diagnostics/official-statistics/",
                                    {"country": "AL", "table": "form", "format": "csv"}))
    assert rows == [{"Year": "2021", "sexual exploitation": "30", "forced labour": "20",
                     "other forms of exploitation": "3+"}]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT,
                                     object_type="diagnostics.official_statistics").count() == 1


def test_kosovo_shows_who_reports_persons_of_its_citizenship(glotip, viewer) -> None:
    html = viewer.get("/diagnostics/official-statistics/", {"country": "XK"}).content.decode()
    assert cells(html, "reported_elsewhere") == [["Albania", "&lt;5"], ["Serbia", "7"]]


def test_the_page_in_french(glotip, viewer) -> None:
    viewer.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = viewer.get("/diagnostics/official-statistics/", {"country": "AL"}).content.decode()
    assert "Par forme d&#x27;exploitation" in html or "Par forme d'exploitation" in html
    assert cells(html, "sex")[0] == ["2021", "1\u202f000", "&lt;5"]
    rows = download_rows(viewer.get("/diagnostics/official-statistics/",
                                    {"country": "AL", "table": "sex", "format": "csv"}))
    assert rows == [{"Année": "2021", "femmes": "1000", "hommes": "<5"}]


def test_the_api_lists_totals_unless_asked_and_says_so(glotip, viewer) -> None:
    body = viewer.get("/api/official-statistics/", {"country": "AL", "indicator": "detected_victims"}).json()
    assert [(r["year"], r["value"]) for r in body["results"]] == [(2019, 90), (2021, 1770)]
    assert body["breakdown"] == {"dimension": "total", "sex": "total", "age": "total", "form": "total"}
    women = viewer.get("/api/official-statistics/", {"country": "AL", "sex": "female"}).json()
    assert [(r["sex"], r["age"], r["value"]) for r in women["results"]] == [("female", "total", 1000)]
    every = viewer.get("/api/official-statistics/", {"country": "AL", "dimension": "all", "sex": "all",
                                                     "age": "all", "form": "all"}).json()
    assert every["count"] == 11


def test_the_api_filters_by_citizenship(glotip, viewer) -> None:
    body = viewer.get("/api/official-statistics/", {"citizenship": "xk"}).json()
    assert [(r["country"], r["citizenship"], r["value"], r["suppressed"]) for r in body["results"]] == [
        ("AL", "XK", None, True), ("RS", "XK", 7, False)]
    assert body["breakdown"]["dimension"] == "citizenship"
    refused = viewer.get("/api/official-statistics/", {"citizenship": "QQ"})
    assert (refused.status_code, refused.json()) == (
        400, {"citizenship": ["Unknown country code 'QQ': give an ISO 3166 alpha-2 code such as RO."]})
