"""The justice dashboard: every chart with its table and download, the scope rule, French and English."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from palermo.audit.models import AuditEvent
from palermo.justice import services
from palermo.justice.models import Proceeding
from tests.conftest import download_rows, verified_login

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


@pytest.fixture
def convicted(people: dict[str, Any], proceeding: Proceeding) -> Proceeding:
    services.record_decision(acting_user=people["allowed"], proceeding=proceeding, verdict=services.Verdict(
        instance="first_instance", decided_on=date(2022, 5, 1), outcome="convicted", convicted_of_thb=True,
        sentence_months=72))
    return proceeding


def test_the_dashboard_shows_every_section_with_its_table_and_download(people: dict[str, Any],
                                                                       convicted: Proceeding) -> None:
    client = signed_in(people["analyst"])
    page = client.get("/justice/figures/?year_from=2020&year_to=2023").content.decode()
    for name in ("prosecuted", "convicted", "durations", "sentences", "compensation", "participation"):
        assert f'id="{name}"' in page and f"/justice/figures/{name}/?format=csv" in page, name
    assert page.count('class="chart"') + page.count('class="chart chart-empty"') >= 6
    assert "Exact counts for your countries: Romania." in page
    rows = download_rows(client.get("/justice/figures/convicted/?format=csv&year_from=2020&year_to=2023"))
    assert [(r["Country"], r["Year"], r["Our records"], r["UNODC (GLOTIP)"]) for r in rows] == [
        ("Romania", "2022", "1", "")]
    assert "UNODC published no figure" in rows[0]["Why"]
    assert AuditEvent.objects.filter(action="export", object_type="justice-convicted").count() == 1
    french = client.get("/justice/figures/?year_from=2020&year_to=2023", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Personnes condamnées pour traite" in french and "Roumanie" in french


@pytest.mark.parametrize("who", ["other_country", "outsider", "viewer"])
def test_others_read_aggregates_only_small_counts_hidden(people: dict[str, Any], convicted: Proceeding,
                                                         who: str) -> None:
    client = signed_in(people[who])
    if who == "other_country":  # a case worker of Serbia may not ask for Romania
        assert client.get("/justice/figures/convicted/?format=csv&country=RO").status_code == 403
        page = client.get("/justice/figures/?country=RO").content.decode()
        assert "You see the figures of your own countries only" in page
        return
    query = "year_from=2020&year_to=2023&country=RO" if who == "outsider" else "year_from=2020&year_to=2023"
    rows = download_rows(client.get(f"/justice/figures/convicted/?format=csv&{query}"))
    assert [(r["Country"], r["Year"], r["Our records"]) for r in rows] == [("Romania", "2022", "1" if
                                                                            who == "outsider" else "<5")]
    victims = download_rows(client.get(f"/justice/figures/participation/?format=csv&{query}"))
    romania = next(r for r in victims if r["Country"] == "Romania")
    assert romania["Victims in proceedings"] == ("1" if who == "outsider" else "")
