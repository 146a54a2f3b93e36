"""Cached diagnostics (palermo/diagnostics/cached.py): computed once per snapshot version and scope, never served
to a person of another scope, computed afresh once the snapshot changes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.diagnostics import cached, figures, snapshot
from palermo.diagnostics.figures import Scope
from tests.cases.test_pages import VALID
from tests.conftest import verified_login
from tests.diagnostics.helpers import many, write_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(settings: Any, tmp_path: Any) -> None:
    """Romania: 57 women, 23 men, 3 other (2021); Serbia: 12 women (2020)."""
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    rows = many(57, sex="female") + many(23, sex="male") + many(3, sex="other")
    write_rows(rows + many(12, owner_country="RS", citizenship="RS", year_identified=2020), tmp_path / "cases.parquet")


@pytest.fixture
def people(user_factory: Any) -> dict[str, Any]:
    return {
        "coordinator_ro": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
        "analyst_ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
        "coordinator_rs": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "viewer": user_factory("viewer", Role.VIEWER),
    }


@pytest.fixture
def computations(monkeypatch: Any) -> list[Scope]:
    """The scopes the dashboard's figures were computed for (each computation, not each request)."""
    made: list[Scope] = []
    compute = figures.dashboard

    def counted(snap: figures.Snapshot, scope: Scope) -> dict[str, figures.Figure]:
        made.append(scope)
        return compute(snap, scope)

    monkeypatch.setattr(figures, "dashboard", counted)
    return made


def client_for(user: Any, language: str = "en") -> Client:
    client = Client()
    verified_login(client, user)
    client.cookies["django_language"] = language
    return client


def sex_rows(html: str) -> dict[str, str]:
    """The sex table of a dashboard: label -> count as shown."""
    section = html[html.index('<section id="sex"'):]
    section = section[:section.index("</section>")]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', section))


def test_people_of_other_scopes_never_read_the_figures_cached_for_one(cases, people, computations) -> None:
    exact = {"female": "57", "male": "23", "other": "3"}
    assert sex_rows(client_for(people["coordinator_ro"]).get("/diagnostics/").content.decode()) == exact
    # Romania asked by a coordinator of Serbia, by every-country roles: released figures, never the exact ones
    released = {"female": "50", "male": "–", "other": "–"}
    assert sex_rows(client_for(people["coordinator_rs"]).get("/diagnostics/?country=RO").content.decode()) == released
    assert sex_rows(client_for(people["manager"]).get("/diagnostics/?country=RO").content.decode()) == released
    assert sex_rows(client_for(people["coordinator_rs"]).get("/diagnostics/").content.decode()) == {"female": "12"}
    assert sex_rows(client_for(people["viewer"]).get("/diagnostics/").content.decode()) == {
        "female": "60", "male": "–", "other": "–"}
    # the same scope (another person, another role) shares what was computed
    assert sex_rows(client_for(people["analyst_ro"]).get("/diagnostics/").content.decode()) == exact
    assert computations == [Scope(frozenset({"RO"}), True), Scope(frozenset({"RO"}), False),
                            Scope(frozenset({"RS"}), True), Scope(None, False)]


def test_the_api_the_downloads_and_the_home_page_keep_scopes_apart(cases, people) -> None:
    def sex(user: str, **query: str) -> dict[str, int | None]:
        rows = client_for(people[user]).get("/api/diagnostics/sex/", query).json()["rows"]
        return {row["category"]: row["count"] for row in rows}

    assert sex("coordinator_ro") == {"female": 57, "male": 23, "other": 3}
    assert sex("coordinator_rs", country="RO") == {"female": 50, "male": None, "other": None}
    assert sex("coordinator_ro", year_from="2022") == {}
    csv = client_for(people["coordinator_ro"]).get("/diagnostics/figures/sex.csv").content.decode()
    assert ",57,0.6867,,83,True," in csv
    csv = client_for(people["viewer"]).get("/diagnostics/figures/sex.csv", {"country": "RO"}).content.decode()
    assert ",50,0.6250,,80,False,10" in csv and ",57," not in csv
    assert "83 (2021)" in client_for(people["coordinator_ro"]).get("/").content.decode()
    home = client_for(people["manager"]).get("/").content.decode()
    assert "90 (2021)" not in home and "80 (2021)" in home  # released over every country: 83 + 0 rounded down
    assert "12 (2020)" in client_for(people["coordinator_rs"]).get("/").content.decode()


def test_a_refreshed_snapshot_is_read_at_once(cases, people, computations, settings, tmp_path) -> None:
    client = client_for(people["coordinator_ro"])
    assert sex_rows(client.get("/diagnostics/").content.decode())["female"] == "57"
    assert client.get("/api/diagnostics/sex/").json()["rows"][0]["count"] == 57
    assert "83 (2021)" in client.get("/").content.decode()
    assert sex_rows(client.get("/diagnostics/").content.decode())["female"] == "57"
    assert len(computations) == 1

    write_rows(many(70, sex="female"), tmp_path / "cases.parquet")  # another snapshot in its place

    assert sex_rows(client.get("/diagnostics/").content.decode()) == {"female": "70"}
    assert client.get("/api/diagnostics/sex/").json()["rows"][0]["count"] == 70
    assert "70 (2021)" in client.get("/").content.decode()
    assert len(computations) == 2


def test_a_refresh_from_the_database_changes_what_is_served(people, user_factory, organisation_factory) -> None:
    case_worker = user_factory("cw-rs", Role.CASE_WORKER, ("RS",), organisation=organisation_factory(
        "NGO-RS", country="RS"))
    assert snapshot.refresh() == 0
    client = client_for(people["coordinator_rs"])
    assert client.get("/api/diagnostics/sex/").json()["rows"] == []
    version = cached.snapshot_version()
    assert client_for(case_worker).post("/cases/new/", VALID).status_code == 302
    assert client.get("/api/diagnostics/sex/").json()["rows"] == []  # the snapshot as it stood, until refreshed
    assert snapshot.refresh() == 1
    assert cached.snapshot_version() != version
    assert client.get("/api/diagnostics/sex/").json()["rows"] == [
        {"category": "female", "count": 1, "share": 1.0, "change": None}]
    assert "1 (2025)" in client.get("/").content.decode()


def test_the_dashboard_is_drawn_again_in_each_language(cases, people, computations) -> None:
    english = client_for(people["coordinator_ro"]).get("/diagnostics/").content.decode()
    french = client_for(people["analyst_ro"], "fr").get("/diagnostics/").content.decode()
    assert '<h2 id="sex-title">Sex</h2>' in english and '<h2 id="sex-title">Sexe</h2>' in french
    assert sex_rows(french) == {"femmes": "57", "hommes": "23", "autre": "3"}
    assert len(computations) == 1  # the figures are shared; only their drawing differs


def test_every_field_of_the_scope_is_part_of_the_key() -> None:
    base = Scope(frozenset({"RO", "BG"}), True, 10, 2018, 2021)
    assert cached.scope_key(base) == [["BG", "RO"], True, 10, 2018, 2021, ("possible", "actual")]
    both = frozenset({"RO", "BG"})
    variants = [Scope(frozenset({"RO"}), True, 10, 2018, 2021), Scope(both, False, 10, 2018, 2021),
                Scope(both, True, 5, 2018, 2021), Scope(both, True, 10, None, 2021), Scope(both, True, 10, 2018, None),
                Scope(None, True, 10, 2018, 2021), Scope(both, True, 10, 2018, 2021, ("actual",))]
    keys = {repr(cached.scope_key(scope)) for scope in [base, *variants]}
    assert len(keys) == 1 + len(variants)


def test_without_a_snapshot_nothing_is_cached(settings, tmp_path) -> None:
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "none" / "cases.parquet")
    assert cached.snapshot_version() is None
    calls = []
    assert cached.remember("test", [1], lambda: calls.append(1) or len(calls)) == 1
    assert cached.remember("test", [1], lambda: calls.append(1) or len(calls)) == 2
