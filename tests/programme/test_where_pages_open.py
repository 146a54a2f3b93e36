"""Pages open where the user is (issue 17): lists, timeline, GRETA, gaps and diagnostics on the user's own country;
the home figures per role: no action figures for roles that cannot read actions, no "EUR 0" of a year without
transactions, "actions under way" opening the list it counts."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.programme.models import GretaRecommendation, Transaction
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user_factory: Any) -> dict[str, Any]:
    return {"embassy_ro": user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)),
            "coordinator_two": user_factory("coordinator-two", Role.NATIONAL_COORDINATOR, ("RS", "MK")),
            "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
            "viewer": user_factory("viewer", Role.VIEWER),
            "case_worker": user_factory("cw-ro", Role.CASE_WORKER, ("RO",))}


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


@pytest.fixture
def actions(make_action: Any) -> dict[str, Any]:
    return {"ro": make_action("FR-3-RO", countries={"RO": 100}, title_en="Romanian shelter"),
            "al": make_action("FR-3-AL", countries={"AL": 100}, title_en="Albanian hotline",
                              planned_start=date(2020, 1, 1)),
            "rs": make_action("FR-3-RS", countries={"RS": 100}, title_en="Serbian training"),
            "closed_ro": make_action("FR-3-RO-OLD", countries={"RO": 100}, status=4, title_en="Old Romanian action")}


def test_the_timeline_opens_on_romania_for_the_romanian_embassy_not_on_albania(people: Any, actions: Any) -> None:
    page = client_for(people["embassy_ro"]).get("/programme/complementarity/timeline/")
    assert page.context["code"] == "RO"
    assert [a.iati_identifier for a in page.context["actions"]] == ["FR-3-RO", "FR-3-RO-OLD"]
    assert client_for(people["manager"]).get("/programme/complementarity/timeline/").context["code"] == "AL"
    assert client_for(people["coordinator_two"]).get("/programme/complementarity/timeline/").context["code"] == "MK"


def test_the_action_list_opens_on_the_users_country_and_all_countries_stays_a_choice(people: Any,
                                                                                     actions: Any) -> None:
    client = client_for(people["embassy_ro"])
    page = client.get("/programme/actions/")
    assert sorted(a.iati_identifier for a in page.context["page"]) == ["FR-3-RO", "FR-3-RO-OLD"]
    assert '<option value="RO" selected>Romania</option>' in page.content.decode()
    manager = client_for(people["manager"])
    assert manager.get("/programme/actions/").context["page"].paginator.count == 4
    assert manager.get("/programme/actions/?country=").context["page"].paginator.count == 4
    several = client_for(people["coordinator_two"]).get("/programme/actions/")
    assert [a.iati_identifier for a in several.context["page"]] == ["FR-3-RS"]  # all of theirs: no default


def test_greta_and_gaps_open_on_the_users_country(people: Any, actions: Any) -> None:
    for code in ("RO", "AL"):
        GretaRecommendation.objects.create(country_id=code, round=3, report_date=date(2024, 1, 1), paragraph="12",
                                           level="urges", text=f"Recommendation for {code}", is_demo=True)
    client = client_for(people["embassy_ro"])
    greta = client.get("/programme/greta/")
    assert [r.country_id for r in greta.context["page"]] == ["RO"]
    assert [r.country_id for r in client.get("/programme/greta/?country=").context["page"]] == ["AL", "RO"]
    gaps = client.get("/programme/complementarity/gaps/")
    assert {country for country, _objective in gaps.context["cells"]} == {"Romania"}
    assert [r.country_id for r in gaps.context["urges"]] == ["RO"]
    assert gaps.context["country"] == "RO"
    everything = client_for(people["manager"]).get("/programme/complementarity/gaps/")
    assert len({country for country, _objective in everything.context["cells"]}) == 11


def test_the_diagnostics_dashboard_names_the_users_country(people: Any) -> None:
    page = client_for(people["embassy_ro"]).get("/diagnostics/")
    assert page.context["selected_country"] == "RO" and page.context["scope"].countries == frozenset({"RO"})
    assert client_for(people["manager"]).get("/diagnostics/").context["selected_country"] == ""


def figures(user: Any) -> dict[str, Any]:
    response = client_for(user).get("/")
    return {str(h["label"]): h for h in response.context["headlines"]}


def test_action_figures_only_for_roles_that_read_actions_and_under_way_opens_its_list(people: Any,
                                                                                       actions: Any) -> None:
    for name in ("viewer", "case_worker"):
        assert not {"Actions under way", "Committed in the latest year with commitments"} & set(figures(people[name]))
    embassy = figures(people["embassy_ro"])["Actions under way"]
    assert (embassy["value"], embassy["url_name"], embassy["query"]) == (1, "programme:action_list",
                                                                         "status=active&origin=programme")
    listed = client_for(people["embassy_ro"]).get(f"/programme/actions/?{embassy['query']}")
    assert listed.context["page"].paginator.count == 1
    assert figures(people["manager"])["Actions under way"]["value"] == 3
    html = client_for(people["manager"]).get("/").content.decode()
    assert re.search(r'<span class="headline-value">3</span>\s*<span class="headline-label"><a href="/programme/'
                     r'actions/\?status=active&amp;origin=programme">Actions under way</a>', html)


def test_no_eur_0_from_a_year_without_transactions(people: Any, actions: Any) -> None:
    assert figures(people["manager"])["Committed in the latest year with commitments"]["value"] is None
    Transaction.objects.create(action=actions["ro"], transaction_type=2, date=date(2024, 2, 1), value=Decimal(1770))
    Transaction.objects.create(action=actions["al"], transaction_type=2, date=date(2023, 2, 1), value=Decimal(5))
    assert figures(people["manager"])["Committed in the latest year with commitments"]["value"] == "€1,770 (2024)"
