"""Diagnostics pages, API, scope rule, releases and their permissions."""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.diagnostics import access, figures
from palermo.diagnostics.models import Release, StatisticsImport
from palermo.diagnostics.services import import_glotip, release_file
from palermo.reference.models import ExploitationForm
from tests.conftest import verified_login
from tests.diagnostics.helpers import many, write_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(settings, tmp_path):
    """Romania: 57 women, 23 men, 3 other (2021); Serbia: 12 women (2020)."""
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    rows = many(57, sex="female") + many(23, sex="male", forms=["forced_labour"]) + many(3, sex="other")
    rows += many(12, owner_country="RS", citizenship="RS", country_of_exploitation="RS", year_identified=2020)
    write_rows(rows, tmp_path / "cases.parquet")
    return rows


@pytest.fixture
def people(user_factory):
    return {
        "analyst_ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
        "analyst_rs": user_factory("analyst-rs", Role.ANALYST, ("RS",)),
        "coordinator_ro": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
        "viewer": user_factory("viewer", Role.VIEWER),
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True),
        "embassy_ro": user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)),
    }


def client_for(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_the_scope_rule(people) -> None:
    analyst = people["analyst_ro"]
    assert access.scope_for(analyst) == figures.Scope(frozenset({"RO"}), True)
    assert access.scope_for(analyst, "RO").exact is True
    assert access.scope_for(analyst, "RS") == figures.Scope(frozenset({"RS"}), False)
    assert access.scope_for(analyst, "all") == figures.Scope(None, False)
    for name in ("viewer", "manager"):
        assert access.scope_for(people[name]) == figures.Scope(None, False)
        assert access.scope_for(people[name], "RO").exact is False


def sex_counts(client: Client, **query: str) -> dict[str, int | None]:
    response = client.get("/api/diagnostics/sex/", query)
    assert response.status_code == 200, response.content
    return {row["category"]: row["count"] for row in response.json()["rows"]}


def test_own_country_exact_other_country_released_outsider_refused(cases, people) -> None:
    assert sex_counts(client_for(people["analyst_ro"])) == {"female": 57, "male": 23, "other": 3}
    # same role, another country: Romania only through the released path
    assert sex_counts(client_for(people["analyst_rs"]), country="RO") == {"female": 50, "male": None, "other": None}
    assert sex_counts(client_for(people["analyst_rs"])) == {"female": 12}
    # every-country roles see released figures, even of one country
    assert sex_counts(client_for(people["viewer"]), country="RO") == {"female": 50, "male": None, "other": None}
    assert sex_counts(client_for(people["manager"]), country="all") == {"female": 60, "male": None, "other": None}
    assert Client().get("/api/diagnostics/sex/").status_code in (401, 403)


def test_diagnostics_api_refuses_an_unknown_country(cases, people) -> None:
    response = client_for(people["viewer"]).get("/api/diagnostics/sex/", {"country": "QQ"})
    assert response.status_code == 400
    assert "QQ" in response.json()["country"][0]
    assert client_for(people["viewer"]).get("/api/diagnostics/names/").status_code == 404


def test_dashboard_shows_every_figure_with_table_and_csv_and_fetches_nothing_outside(cases, people) -> None:
    response = client_for(people["analyst_ro"]).get("/diagnostics/")
    assert response.status_code == 200
    html = response.content.decode().replace("\\u002f", "/")  # plotly escapes slashes in its JSON
    for name in ("trend", "country_of_exploitation", "citizenship", "sex", "age_band", "minors", "forms",
                 "means_of_control", "recruitment_methods", "recruiter_relation", "thb_form", "flows"):
        assert f'id="chart-{name}"' in html
        assert f"/diagnostics/figures/{name}.csv" in html
    assert 'id="chart-map"' in html
    assert "/static/diagnostics/region.geojson" in html
    assert '"topojsonURL":"/static/diagnostics/topojson/"' in html
    assert "/static/vendor/plotly.min.js" in html
    assert not re.search(r"(src|href)=\"https?://", html)
    assert "cdn.plot.ly" not in html
    assert "Exact counts for your countries: Romania." in html
    assert Client().get("/diagnostics/").status_code == 302


def test_csv_download_gives_the_figure_with_shares(cases, people) -> None:
    response = client_for(people["analyst_ro"]).get("/diagnostics/figures/forms.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # a spreadsheet reads the accents right
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "category,label,count,share,change,denominator,exact,k"
    assert lines[1].startswith("sexual_exploitation,") and ",60,0.7229,,83,True," in lines[1]
    assert lines[2].startswith("forced_labour,") and ",23,0.2771,,83,True," in lines[2]
    released = client_for(people["viewer"]).get("/diagnostics/figures/forms.csv", {"country": "RO"})
    assert ",60,0.7500,,80,False,10" in released.content.decode()
    french = client_for(people["analyst_ro"]).get("/diagnostics/figures/forms.csv", HTTP_ACCEPT_LANGUAGE="fr")
    assert ";60;0,7229;;83;True;" in french.content.decode("utf-8-sig").splitlines()[1]


def test_a_figure_download_escapes_a_label_a_spreadsheet_would_run(cases, people) -> None:
    ExploitationForm.objects.filter(code="forced_labour").update(name_en="=1+1", name_fr="=1+1")
    lines = client_for(people["analyst_ro"]).get("/diagnostics/figures/forms.csv").content.decode("utf-8-sig")
    assert lines.splitlines()[2] == "forced_labour,'=1+1,23,0.2771,,83,True,"


def test_official_statistics_are_imported_by_the_operator_or_a_manager_only(people, tmp_path) -> None:
    for name in ("analyst_ro", "coordinator_ro", "viewer"):
        with pytest.raises(PermissionDenied):
            import_glotip(acting_user=people[name], path=tmp_path / "never-read.xlsx")
    assert (StatisticsImport.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_a_release_is_logged_and_audited_in_the_same_transaction(cases, people) -> None:
    client = client_for(people["analyst_ro"])
    response = client.post("/diagnostics/releases/", {"kind": "aggregates", "dims": ["year", "sex"], "k": 10})
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.created_by == people["analyst_ro"]
    assert release.countries == ["RO"]
    assert release.parameters["dims"] == ["year", "sex"]
    content = release_file(release).read_bytes()
    assert hashlib.sha256(content).hexdigest() == release.sha256
    assert b"2021,female,50" in content
    event = AuditEvent.objects.get(action=AuditEvent.Action.RELEASE)
    assert event.object_id == str(release.pk)
    assert event.detail["sha256"] == release.sha256
    download = client.get(f"/diagnostics/releases/{release.pk}/download/")
    assert b"".join(download.streaming_content) == content
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (export.actor_username, export.object_id, export.detail) == (
        "analyst-ro", str(release.pk), {"file": release.file_name, "sha256": release.sha256})
    assert client_for(people["analyst_rs"]).get(f"/diagnostics/releases/{release.pk}/download/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1  # the refusal wrote nothing


@pytest.mark.parametrize("who", ["analyst_rs", "viewer", "embassy_ro"])
def test_a_refused_release_writes_nothing(cases, people, who) -> None:
    client = client_for(people[who])
    before = AuditEvent.objects.count()
    response = client.post("/diagnostics/releases/",
                                             {"kind": "aggregates", "dims": ["sex"], "k": 10, "country": "RO"})
    if who == "analyst_rs":  # may release for Serbia, not for Romania: the form says why
        assert response.status_code == 200
        assert "Select a valid choice. RO is not one of the available choices." in response.content.decode()
    else:  # the page does not exist for these roles
        assert response.status_code == 404
    assert Release.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_release_command_with_differential_privacy_and_microdata(cases, people, tmp_path) -> None:
    output = tmp_path / "out.csv"
    stdout = StringIO()
    call_command("release", "aggregates", "--user", "coordinator-ro", "--dims", "sex", "--k", "10",
                 "--epsilon", "1.0", "--output", str(output), stdout=stdout)
    release = Release.objects.get()
    assert release.kind == Release.Kind.DP_AGGREGATES
    assert release.parameters["epsilon"] == 1.0
    assert output.read_text().splitlines()[0] == "sex,count"
    call_command("release", "microdata", "--user", "manager", "--k", "10", "--output", str(output), stdout=stdout)
    header = output.read_text().splitlines()[0].split(",")
    assert len(header) == 27 and header[0] == "yearOfRegistration"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RELEASE).count() == 2
    with pytest.raises(CommandError, match="release refused"):
        call_command("release", "aggregates", "--user", "viewer", "--dims", "sex", "--output", str(output))
    with pytest.raises(CommandError, match="your own countries"):
        call_command("release", "aggregates", "--user", "analyst-rs", "--country", "RO", "--dims", "sex",
                     "--output", str(output))
    assert Release.objects.count() == 2


def test_release_page_is_only_for_release_roles(cases, people) -> None:
    assert client_for(people["analyst_ro"]).get("/diagnostics/releases/").status_code == 200
    assert client_for(people["viewer"]).get("/diagnostics/releases/").status_code == 404
    assert client_for(people["embassy_ro"]).get("/diagnostics/releases/").status_code == 404


def test_home_headline_counts_the_latest_year_of_the_scope(cases, people) -> None:
    html = client_for(people["analyst_ro"]).get("/").content.decode()
    assert "83 (2021)" in html
    html = client_for(people["viewer"]).get("/").content.decode()
    assert "80 (2021)" in html  # released: 83 rounded down to a multiple of 10


def test_the_dashboard_speaks_french(cases, people, settings) -> None:
    client = client_for(people["viewer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get("/diagnostics/", {"country": "RO"}).content.decode()
    assert "Diagnostics\u00a0: victimes identifiées" in html
    assert "Chiffres diffusables\u00a0: effectifs arrondis au multiple de 10 inférieur" in html
    assert "Formes d&#x27;exploitation" in html or "Formes d'exploitation" in html


@pytest.mark.parametrize("year", ["²⁰²¹", "20x1", "21", "１２３４"])
def test_a_year_that_is_not_four_ascii_digits_is_refused_plainly(cases, people, year) -> None:
    client = client_for(people["viewer"])
    api = client.get("/api/diagnostics/sex/", {"year_from": year})
    assert (api.status_code, api.json()) == (400, {"year_from": ["A year is four digits, such as 2021."]})
    official = client.get("/api/official-statistics/", {"year": year})
    assert (official.status_code, official.json()) == (400, {"year": ["A year is four digits, such as 2021."]})
    page = client.get("/diagnostics/", {"year_to": year})
    assert page.status_code == 200
    assert "A year is four digits, such as 2021." in page.content.decode()


@pytest.mark.parametrize(("query", "answer"), [
    ("country=", {"country": ["Unknown country code '': give an ISO 3166 alpha-2 code such as RO."]}),
    ("country=%25", {"country": ["Unknown country code '%': give an ISO 3166 alpha-2 code such as RO."]}),
    ("sex=", {"sex": ["Unknown value ''; expected one of: all, female, male, other, total, unknown."]}),
    ("year=", {"year": ["A year is four digits, such as 2021."]}),
])
def test_an_official_statistics_parameter_given_empty_is_refused_plainly(people, query, answer) -> None:
    response = client_for(people["viewer"]).get("/api/official-statistics/?" + query)
    assert (response.status_code, response.json()) == (400, answer)


def test_the_flows_the_rounding_hides_are_named_under_the_chart(settings, tmp_path, people) -> None:
    """Romania: 40 Romanians exploited at home, 4 Moldovans through Serbia; released, k = 10: the Moldovans' flows
    are below k, and the Romanians' are hidden with them (the only other cell of their row and column)."""
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    rows = many(40) + many(4, citizenship="MD", transit_countries=["RS"])
    write_rows(rows, tmp_path / "cases.parquet")
    viewer = client_for(people["viewer"])
    html = viewer.get("/diagnostics/", {"country": "RO"}).content.decode()
    note = re.search(r'<p class="note" id="flows-hidden">(.*?)</p>', html)
    assert note is not None
    assert note.group(1) == ("Not drawn, as the rounding hides them (fewer than 10 persons, or counts that would "
                             "reveal one): 4 flows, Moldova → Serbia; Romania → no transit; Serbia → Romania; "
                             "no transit → Romania.")
    viewer.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    french = viewer.get("/diagnostics/", {"country": "RO"}).content.decode()
    assert "Flux non tracés, car l'arrondi les masque" in french and "Moldavie → Serbie" in french
    # the exact figures of one's own country hide nothing
    assert 'id="flows-hidden"' not in client_for(people["analyst_ro"]).get("/diagnostics/").content.decode()
