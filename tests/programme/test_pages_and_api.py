"""Pages and endpoints of the portfolio: three users per case, refused requests change nothing,
downloads parse back to the figures shown."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest
from django.test import Client
from openpyxl import load_workbook

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.programme.models import Action, GretaRecommendation
from tests.conftest import download_rows, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_factory, organisation_factory, make_action):
    iom = organisation_factory("IOM", "international_organisation")
    users = {
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "embassy-ro": user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)),
        "embassy-rs": user_factory("embassy-rs", Role.EMBASSY_OFFICER, ("RS",)),
        "coordinator-ro": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
        "coordinator-rs": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
        "partner-iom": user_factory("partner-iom", Role.IO_PARTNER, organisation=iom),
        "partner-other": user_factory("partner-other", Role.IO_PARTNER),
        "auditor": user_factory("auditor", Role.AUDITOR),
        "viewer": user_factory("viewer", Role.VIEWER),
        "analyst-ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
    }
    actions = {
        "ro": make_action("FR-3-TEST-RO", countries={"RO": 100}, committed="100000.00"),
        "iom": make_action("FR-3-TEST-IOM", countries={"AL": 60, "RS": 40}, objectives={2: 50, 3: 50},
                           channel="multilateral", organisations=(iom,), committed="50000.00"),
    }
    return users, actions


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        verified_login(client, user)
    return client


def audit_count() -> int:
    return AuditEvent.objects.exclude(action__in=["login", "two_factor"]).count()


@pytest.mark.parametrize(("allowed", "refused"), [
    (("manager", "embassy-ro", "coordinator-ro", "auditor"), ("embassy-rs", "coordinator-rs", "viewer", None)),
])
def test_the_romanian_action_page_answers_its_readers_and_404s_the_others(world, allowed, refused) -> None:
    users, actions = world
    url = f"/programme/actions/{actions['ro'].pk}/"
    for name in allowed:
        assert client_for(users[name]).get(url).status_code == 200, name
    for name in refused:
        response = client_for(users.get(name) if name else None).get(url)
        assert response.status_code == (404 if name else 302), name


def test_embassy_ro_edits_its_bilateral_action_embassy_rs_and_anonymous_cannot(world) -> None:
    users, actions = world
    action = actions["ro"]
    url = f"/programme/actions/{action.pk}/edit/"
    form = {"iati_identifier": action.iati_identifier, "title_en": "Edited by Romania", "channel": "bilateral",
            "status": "2", "planned_start": "2024-01-01", "planned_end": "2026-12-31", "countries": "RO=100",
            "objectives": "3=100"}
    for name in ("embassy-rs", None, "partner-iom"):
        before = audit_count()
        response = client_for(users.get(name) if name else None).post(url, form)
        assert response.status_code == (404 if name else 302)
        assert Action.objects.get(pk=action.pk).title_en == "Action FR-3-TEST-RO"
        assert audit_count() == before
    response = client_for(users["embassy-ro"]).post(url, form)
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).title_en == "Edited by Romania"


def test_the_edit_form_explains_shares_that_do_not_sum_to_100_and_saves_nothing(world) -> None:
    users, actions = world
    action = actions["ro"]
    response = client_for(users["manager"]).post(f"/programme/actions/{action.pk}/edit/", {
        "iati_identifier": action.iati_identifier, "title_en": "Changed", "channel": "bilateral", "status": "2",
        "planned_start": "2024-01-01", "planned_end": "2023-12-31", "countries": "RO=70, MD=20",
        "objectives": "3=100", "sectors": "99999"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Country shares: the shares sum to 90, not 100." in page
    assert "Not a DAC purpose code of the programme: 99999." in page
    assert Action.objects.get(pk=action.pk).title_en == "Action FR-3-TEST-RO"


def test_aggregate_only_roles_see_the_matrix_and_gaps_but_no_action(world) -> None:
    users, _actions = world
    for name in ("viewer", "analyst-ro"):
        client = client_for(users[name])
        assert client.get("/programme/complementarity/").status_code == 200
        assert client.get("/programme/complementarity/gaps/").status_code == 200
        assert client.get("/programme/greta/").status_code == 200
        for url in ("/programme/actions/", "/programme/complementarity/overlaps/",
                    "/programme/complementarity/timeline/?country=RO"):
            assert client.get(url).status_code == 404, (name, url)
        assert client.get("/api/programme/actions/").json()["results"] == []
    for name in ("manager", "embassy-ro", "partner-iom"):
        client = client_for(users[name])
        for url in ("/programme/actions/", "/programme/complementarity/overlaps/",
                    "/programme/complementarity/timeline/?country=RO", "/programme/actions/new/"
                    if name != "partner-iom" else "/programme/greta/"):
            assert client.get(url).status_code == 200, (name, url)


def test_the_api_lists_what_each_user_may_read(world) -> None:
    users, _actions = world
    expected = {"manager": ["FR-3-TEST-IOM", "FR-3-TEST-RO"], "embassy-ro": ["FR-3-TEST-RO"],
                "embassy-rs": ["FR-3-TEST-IOM"], "partner-iom": ["FR-3-TEST-IOM"], "partner-other": [],
                "coordinator-ro": ["FR-3-TEST-RO"]}
    for name, identifiers in expected.items():
        data = client_for(users[name]).get("/api/programme/actions/").json()
        assert sorted(a["iati_identifier"] for a in data["results"]) == identifiers, name
    assert client_for(None).get("/api/programme/actions/").status_code in (401, 403)


def test_the_api_patch_follows_the_scopes_and_refusals_change_nothing(world) -> None:
    users, actions = world
    iom_action = actions["iom"]
    url = f"/api/programme/actions/{iom_action.pk}/"
    for name in ("partner-other", "embassy-rs", "coordinator-rs"):
        before = audit_count()
        response = client_for(users[name]).patch(url, {"title_en": "Hijacked"}, content_type="application/json")
        assert response.status_code == 404, name
        assert Action.objects.get(pk=iom_action.pk).title_en == "Action FR-3-TEST-IOM"
        assert audit_count() == before
    bad = client_for(users["partner-iom"]).patch(
        url, {"countries": [{"country": "AL", "percentage": "60"}, {"country": "RS", "percentage": "30"}]},
        content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["countries"] == ["Country shares: the shares sum to 90, not 100."]
    before = audit_count()
    partial = client_for(users["manager"]).patch(  # a list item sent without its role answered 500
        url, {"participations": [{"organisation": iom_action.participations.get().organisation_id}],
              "countries": [{"country": "AL"}]}, content_type="application/json")
    assert (partial.status_code, partial.json()) == (400, {
        "participations": {"0": {"role": ["This field is required."]}},
        "countries": {"0": {"percentage": ["This field is required."]}}})
    assert audit_count() == before
    response = client_for(users["partner-iom"]).patch(url, {"title_en": "IOM project"},
                                                       content_type="application/json")
    assert response.status_code == 200 and response.json()["title_en"] == "IOM project"
    assert response.json()["countries"] == [{"country": "AL", "percentage": "60.00"},
                                            {"country": "RS", "percentage": "40.00"}]


def test_the_api_creates_for_an_embassy_officer_in_its_country_only(world) -> None:
    users, _actions = world
    payload = {"iati_identifier": "FR-3-TEST-NEW", "title_en": "New", "channel": "bilateral", "status": 1,
               "planned_start": "2026-01-01", "planned_end": "2026-12-31",
               "countries": [{"country": "RS", "percentage": "100"}], "objectives": [{"objective": 2,
                                                                                       "percentage": "100"}]}
    refused = client_for(users["embassy-ro"]).post("/api/programme/actions/", payload, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["channel"] == ["This change would take the action out of your scope."]
    assert client_for(users["coordinator-rs"]).post("/api/programme/actions/", payload,
                                                    content_type="application/json").status_code == 403
    assert not Action.objects.filter(iati_identifier="FR-3-TEST-NEW").exists()
    created = client_for(users["embassy-rs"]).post("/api/programme/actions/", payload, content_type="application/json")
    assert created.status_code == 201
    assert Action.objects.get(iati_identifier="FR-3-TEST-NEW").country_shares.get().country_id == "RS"


def test_matrix_downloads_parse_back_to_the_computed_figures(world) -> None:
    users, _actions = world
    client = client_for(users["viewer"])
    rows = download_rows(client.get("/programme/complementarity/?format=csv"))
    cells = {(r["Country"], r["Objective"], r["Channel"]): r for r in rows}
    warn, protect = "2. Warn vulnerable populations", "3. Protect victims and prosecute perpetrators"
    assert cells[("Albania", warn, "multilateral")]["Committed (EUR)"] == "15000.00"  # 50,000 x 60 % x 50 %
    assert cells[("Serbia", protect, "multilateral")]["Committed (EUR)"] == "10000.00"
    assert cells[("Romania", protect, "bilateral")]["Share of the portfolio (%)"] == "66.67"
    workbook = load_workbook(io.BytesIO(client.get("/programme/complementarity/?format=xlsx").content))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert sheet_rows[0] == ("Country", "Objective", "Channel", "Actions", "Committed (EUR)", "Disbursed (EUR)",
                             "Share of the portfolio (%)")
    as_text = {(r[0], str(r[1]), r[2]): D(str(r[4])) for r in sheet_rows[1:]}
    assert as_text == {k: D(v["Committed (EUR)"]) for k, v in cells.items()}
    french = client.get("/programme/complementarity/?format=csv", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.content.decode("utf-8-sig").splitlines()[0] == (
        "Pays;Objectif;Canal;Actions;Engagé (EUR);Décaissé (EUR);Part du portefeuille (%)")
    french_cells = {(r["Pays"], r["Canal"]): r for r in download_rows(french)}
    assert french_cells[("Roumanie", "bilatéral")]["Part du portefeuille (%)"] == "66,67"
    assert AuditEvent.objects.filter(action="export", object_type="complementarity_matrix").count() == 3
    api = client.get("/api/programme/matrix/").json()
    assert api["total_committed_eur"] == "150000.00"


def test_action_list_downloads_hold_only_what_the_user_may_read(world) -> None:
    users, _actions = world
    client = client_for(users["embassy-ro"])
    rows = download_rows(client.get("/programme/actions/?format=csv"))
    assert [(r["Identifier"], r["Countries"], r["Objectives"]) for r in rows] == [
        ("FR-3-TEST-RO", "Romania 100\u00a0%", "3. Protect victims and prosecute perpetrators 100\u00a0%")]
    workbook = load_workbook(io.BytesIO(client_for(users["manager"]).get(
        "/programme/actions/?format=xlsx&channel=multilateral").content))
    values = list(workbook.active.iter_rows(values_only=True))
    assert [v[0] for v in values[1:]] == ["FR-3-TEST-IOM"]
    assert values[1][4] == "Albania 60\u00a0%; Serbia 40\u00a0%"


def test_greta_pages_and_downloads(world) -> None:
    users, actions = world
    recommendation = GretaRecommendation.objects.create(
        country_id="RO", round=3, report_date="2021-06-03", paragraph="112", theme="compensation", level="urges",
        text="[DEMO] ensure compensation", articles="15", is_demo=True)
    client = client_for(users["viewer"])
    rows = download_rows(client.get("/programme/greta/?format=csv&answered=no"))
    assert [(r["Country"], r["Paragraph"], r["Level"], r["Answered by an action"]) for r in rows] == [
        ("Romania", "112", "urges", "no")]
    actions["ro"].greta_recommendations.add(recommendation)
    assert client.get("/programme/greta/?format=csv&answered=no").content.decode().count("\n") == 1
    assert client.get(f"/programme/greta/{recommendation.pk}/").status_code == 200
    assert json.loads(client.get("/api/programme/greta-recommendations/").content)["count"] == 1


def test_the_channel_table_names_its_lines_in_the_heatmaps_order(world) -> None:
    users, _actions = world
    page = client_for(users["viewer"]).get("/programme/complementarity/")
    lines = [(line["country"], line["objective"][:2], line["span"],
              [cell.actions if cell else None for cell in line["by_channel"]], line["share"])
             for line in page.context["channel_table"]]  # channels: bilateral, regional, multilateral
    assert lines == [
        ("Albania", "2.", 2, [None, None, 1], D("10.00")), ("Albania", "3.", 0, [None, None, 1], D("10.00")),
        ("Romania", "3.", 1, [1, None, None], D("66.67")),
        ("Serbia", "2.", 2, [None, None, 1], D("6.67")), ("Serbia", "3.", 0, [None, None, 1], D("6.67")),
    ]
    html = page.content.decode()
    assert '<th scope="rowgroup" rowspan="2">Albania</th><td>2. Warn vulnerable populations</td>' in html
    spec = json.loads(html.split('<div class="chart" id="chart-matrix"', 1)[1].split(">", 2)[2].split("</script>")[0])
    heatmap_countries = spec["data"][0]["y"]
    assert spec["layout"]["yaxis"]["autorange"] == "reversed"  # drawn top to bottom, as the table lists them
    listed = list(dict.fromkeys(line[0] for line in lines))
    assert [name for name in heatmap_countries if name in listed] == listed
