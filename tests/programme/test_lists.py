"""One FilterSet per list: the page and its API endpoint list the same rows for the same parameters,
refuse the same invalid parameters with a message naming them, and downloads escape formula cells."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from palermo.accounts.roles import Role
from palermo.programme.models import Action, GretaRecommendation
from tests.conftest import download_rows
from tests.programme.helpers import audit_count, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(user_factory, organisation_factory, make_action):
    iom = organisation_factory("IOM", "international_organisation")
    make_action("FR-3-LIST-RO", countries={"RO": 100}, objectives={3: 100}, title_en="Shelters for victims",
                planned_start=date(2020, 1, 1), planned_end=date(2021, 12, 31), status=4)
    make_action("FR-3-LIST-AL", countries={"AL": 60, "RS": 40}, objectives={2: 50, 3: 50}, channel="multilateral",
                organisations=(iom,), title_en="Warning job seekers", description_en="Social media campaign")
    make_action("FR-3-LIST-RS", countries={"RS": 100}, objectives={4: 100}, channel="regional",
                title_en="Labour inspectors", planned_start=date(2025, 1, 1), status=1)
    make_action("XM-OTHER-1", countries={"RO": 100}, objectives={1: 100}, channel="multilateral",
                title_en="=HYPERLINK(\"http://evil.example\")", is_external=True)
    for country, paragraph, level, follow_up in (("RO", "12", "urges", "not_implemented"),
                                                 ("RO", "13", "considers", "partly"),
                                                 ("RS", "40", "urges", "implemented")):
        GretaRecommendation.objects.create(country_id=country, round=3, report_date="2021-06-03",
                                           paragraph=paragraph, theme="prevention", level=level,
                                           follow_up=follow_up, text=f"[DEMO] text {paragraph}", articles="10")
    Action.objects.get(iati_identifier="FR-3-LIST-RO").greta_recommendations.add(
        GretaRecommendation.objects.get(paragraph="12"))
    return client_for(user_factory("lists-manager", Role.PROGRAMME_MANAGER))


def page_rows(client, url: str, params: dict[str, str], column: str) -> list[str]:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200, (url, params)
    return [row[column] for row in download_rows(response)]


ACTION_PARAMETERS = [
    {}, {"q": "job"}, {"q": "SOCIAL MEDIA"}, {"country": "RS"}, {"country": "RO"}, {"objective": "3"},
    {"channel": "multilateral"}, {"status": "4"}, {"year": "2021"}, {"year": "2025"}, {"origin": "external"},
    {"origin": "programme"}, {"origin": "all", "country": "RO", "objective": "1"}, {"country": "RS", "year": "2024"},
]


@pytest.mark.parametrize("params", ACTION_PARAMETERS, ids=[str(p) for p in ACTION_PARAMETERS])
def test_the_action_page_and_the_api_list_the_same_actions(portfolio, params) -> None:
    listed = page_rows(portfolio, "/programme/actions/", params, "Identifier")
    api = portfolio.get("/api/programme/actions/", {**params, "limit": 100}).json()["results"]
    assert listed == [a["iati_identifier"] for a in api]
    page = portfolio.get("/programme/actions/", params)
    assert [a.iati_identifier for a in page.context["page"]] == listed


def test_the_action_filters_mean_what_they_meant(portfolio) -> None:
    def ids(**params: str) -> list[str]:
        return page_rows(portfolio, "/programme/actions/", params, "Identifier")

    assert ids(q="job") == ["FR-3-LIST-AL"]
    assert ids(country="RS") == ["FR-3-LIST-AL", "FR-3-LIST-RS"]
    assert ids(objective="3") == ["FR-3-LIST-AL", "FR-3-LIST-RO"]
    assert ids(year="2021") == ["FR-3-LIST-RO"]
    assert ids(origin="external") == ["XM-OTHER-1"]
    assert ids() == ids(origin="all") == ["FR-3-LIST-AL", "FR-3-LIST-RO", "FR-3-LIST-RS", "XM-OTHER-1"]


GRETA_PARAMETERS = [
    {}, {"country": "RO"}, {"level": "urges"}, {"follow_up": "partly"}, {"round": "3"}, {"theme": "prevention"},
    {"q": "13"}, {"q": "TEXT 4"}, {"answered": "no"}, {"answered": "yes"}, {"country": "RO", "answered": "no"},
]


@pytest.mark.parametrize("params", GRETA_PARAMETERS, ids=[str(p) for p in GRETA_PARAMETERS])
def test_the_greta_page_and_the_api_list_the_same_recommendations(portfolio, params) -> None:
    listed = page_rows(portfolio, "/programme/greta/", params, "Paragraph")
    api = portfolio.get("/api/programme/greta-recommendations/", {**params, "limit": 100}).json()["results"]
    assert listed == [r["paragraph"] for r in api]
    assert [r.paragraph for r in portfolio.get("/programme/greta/", params).context["page"]] == listed


def test_the_greta_filters_mean_what_they_meant(portfolio) -> None:
    assert page_rows(portfolio, "/programme/greta/", {"answered": "no"}, "Paragraph") == ["13", "40"]
    assert page_rows(portfolio, "/programme/greta/", {"country": "RO", "level": "urges"}, "Paragraph") == ["12"]


INVALID = [
    ("/programme/actions/", "/api/programme/actions/", "country", "ZZ"),
    ("/programme/actions/", "/api/programme/actions/", "objective", "9"),
    ("/programme/actions/", "/api/programme/actions/", "channel", "bilateralish"),
    ("/programme/actions/", "/api/programme/actions/", "status", "99"),
    ("/programme/actions/", "/api/programme/actions/", "year", "1999"),
    ("/programme/actions/", "/api/programme/actions/", "origin", "elsewhere"),
    ("/programme/greta/", "/api/programme/greta-recommendations/", "country", "ro"),
    ("/programme/greta/", "/api/programme/greta-recommendations/", "level", "demands"),
    ("/programme/greta/", "/api/programme/greta-recommendations/", "round", "three"),
    ("/programme/greta/", "/api/programme/greta-recommendations/", "answered", "maybe"),
    ("/programme/complementarity/", "/api/programme/matrix/", "status", "7"),
    ("/programme/complementarity/", "/api/programme/matrix/", "year", "20x4"),
]


@pytest.mark.parametrize(("page", "api", "name", "value"), INVALID, ids=[f"{r[0]}?{r[2]}={r[3]}" for r in INVALID])
def test_an_invalid_filter_is_refused_clearly_by_the_page_and_the_api(portfolio, page, api, name, value) -> None:
    before = audit_count()
    answer = portfolio.get(api, {name: value})
    assert answer.status_code == 400
    message = answer.json()[name][0]
    shown = portfolio.get(page, {name: value})
    assert shown.status_code == 400
    text = shown.content.decode()
    assert "These filters cannot be applied; nothing is listed:" in text
    assert f"<code>{name}</code>: " in text and message.split("%")[0][:20] in text
    assert shown.context.get("page") is None or list(shown.context["page"]) == []
    download = portfolio.get(page, {name: value, "format": "csv"})
    assert download.status_code == 400 and download["Content-Type"].startswith("text/html")
    assert audit_count() == before  # nothing exported


def test_the_messages_name_the_problem(portfolio) -> None:
    assert portfolio.get("/api/programme/actions/", {"year": "1999"}).json() == {
        "year": ["Give a year from 2000 to 2100."]}
    assert portfolio.get("/api/programme/actions/", {"channel": "x"}).json() == {
        "channel": ["Select a valid choice. x is not one of the available choices."]}


def test_downloads_escape_cells_a_spreadsheet_would_run(portfolio) -> None:
    rows = download_rows(portfolio.get("/programme/actions/?origin=external&format=csv"))
    assert [r["Title"] for r in rows] == ["'=HYPERLINK(\"http://evil.example\")"]
    sheet = load_workbook(io.BytesIO(portfolio.get("/programme/actions/?origin=external&format=xlsx").content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1] == "'=HYPERLINK(\"http://evil.example\")"
    assert values[1][6] == datetime(2024, 1, 1)  # dates stay dates, never escaped
