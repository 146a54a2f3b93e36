"""The trainings on the justice dashboard: people trained per country, profession and year (exact or released),
and the convictions in the countries with and without trainings of judges or prosecutors, as a description."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from palermo.capacity.models import Participant, Training
from palermo.justice import figures, services, training_figures
from palermo.justice.dashboard import names_of
from palermo.justice.figures import JusticeScope
from palermo.justice.models import Proceeding
from tests.capacity.conftest import make_action
from tests.conftest import download_rows, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainings(proceeding: Proceeding, people: dict[str, Any]) -> None:
    action = make_action("FR-3-TEST-RO", {"RO": 50, "RS": 50})
    held = {"action": action, "status": "held", "title_en": "Training"}
    ro = Training.objects.create(country_id="RO", start_date=date(2022, 3, 1), end_date=date(2022, 3, 2), **held)
    rs = Training.objects.create(country_id="RS", start_date=date(2023, 3, 1), end_date=date(2023, 3, 2), **held)
    cancelled = Training.objects.create(country_id="RS", start_date=date(2023, 5, 1), end_date=date(2023, 5, 2),
                                        action=action, status="cancelled", title_en="Cancelled")
    people_ = [(ro, "judge", True)] * 3 + [(ro, "police", True)] * 2 + [(ro, "judge", False)] + \
        [(rs, "social_worker", True)] * 4 + [(cancelled, "prosecutor", True)] * 2
    Participant.objects.bulk_create([Participant(training=t, given_name="x", family_name="y", sex="female",
                                                 profession=p, attended=a) for t, p, a in people_])
    services.record_decision(acting_user=people["allowed"], proceeding=proceeding, verdict=services.Verdict(
        instance="first_instance", decided_on=date(2022, 5, 1), outcome="convicted", convicted_of_thb=True,
        sentence_months=40))


def test_people_trained_and_the_trend_by_group(trainings: None) -> None:
    scope = JusticeScope(("RO", "RS"), True, 10, 2021, 2023)
    result = figures.compute(scope)
    trained, by_year, trend = training_figures.sections(result, names_of(scope.countries))
    professions = [h for h in trained.headers]
    judges, police, social = (professions.index(n) for n in ("judges", "police", "social workers"))
    rows = {row[0]: row for row in trained.rows}
    assert (rows["Romania"][judges], rows["Romania"][police], rows["Romania"][-1]) == (3, 2, 5)
    assert (rows["Serbia"][social], rows["Serbia"][-1]) == (4, 4)
    assert rows["All countries"][-1] == 9
    assert [row[1:] for row in by_year.rows] == [[0, 5, 0, 5], [0, 0, 4, 4], [0, 5, 4, 9]]
    # Romania trained judges (2022) and holds the conviction; Serbia trained none (the cancelled one is no training)
    assert trend.rows == [[2021, 0, None, 0, None], [2022, 1, None, 0, None], [2023, 0, None, 0, None]]
    assert "not a causal claim" in trend.note and "Romania (2022)" in trend.note and "without: Serbia" in trend.note
    released = figures.compute(JusticeScope(("RO", "RS"), False, 10, 2021, 2023))
    trained, _y, trend = training_figures.sections(released, names_of(scope.countries))
    assert all(cell is None for row in trained.rows for cell in row[1:])  # every count below 10
    assert trend.rows[1][1] == "<5"


def test_the_dashboard_shows_the_training_sections(trainings: None, people: dict[str, Any]) -> None:
    client = Client()
    verified_login(client, people["analyst"])
    page = client.get("/justice/figures/?year_from=2021&year_to=2023").content.decode()
    for name in ("trained", "trained_years", "trend"):
        assert f'id="{name}"' in page, name
    rows = download_rows(client.get("/justice/figures/trained/?format=csv&year_from=2021&year_to=2023"))
    assert [(r["Country"], r["judges"], r["Total"]) for r in rows] == [("Romania", "3", "5"),
                                                                        ("All countries", "3", "5")]
    french = client.get("/justice/figures/?year_from=2021&year_to=2023", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Personnes formées par pays et par profession" in french
