"""A training's figures reach the funding action's indicator period (feed) and the steering review of its year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import translation

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.capacity import services
from palermo.capacity.models import Training
from palermo.programme import services as programme_services
from palermo.programme.models import Indicator, Period, PeriodDisaggregation, Result
from palermo.steering import services as steering_services
from palermo.steering.report import render_document, render_pdf
from palermo.steering.review import build_review
from tests.capacity.conftest import participant, training_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(world: dict[str, Any]) -> Period:
    manager = world["users"]["manager"]
    result = programme_services.save_result(acting_user=manager, action=world["actions"]["ro"],
                                            result_type=Result.Type.OUTPUT, title_en="Professionals trained")
    indicator = programme_services.save_indicator(
        acting_user=manager, result=result, title_en="Professionals trained, by sex", measure=Indicator.Measure.UNIT,
        disaggregated_by_sex=True, measured_by="capacity.people_trained")
    return programme_services.save_period(acting_user=manager, indicator=indicator, period_start=date(2024, 1, 1),
                                          period_end=date(2024, 12, 31), target=D("40"))


def scored(training: Training, user: Any) -> None:
    """Six participants who attended (4 women, 2 men; 5 pairs of scores) and one absent man."""
    for given, family, sex, profession, pre, post in [
            ("Ana", "A", "female", "prosecutor", "50", "60"), ("Bea", "B", "female", "judge", "40", "55"),
            ("Cora", "C", "female", "judge", "70", "72"), ("Dana", "D", "female", "police", "30", "45"),
            ("Emil", "E", "male", "police", "60", "61"), ("Filip", "F", "male", "police", None, "80")]:
        services.add_participant(acting_user=user, training=training,
                                 data=participant(given, family, sex, profession, pre, post))
    services.add_participant(acting_user=user, training=training,
                             data=participant("Gelu", "G", "male", "police", attended=False))


def test_the_indicator_period_of_the_funding_action_follows_the_trainings(world: dict[str, Any], period: Period,
                                                                          training: Training) -> None:
    user = world["users"]["coordinator-ro"]
    assert Period.objects.get(pk=period.pk).actual == D("0.00")  # a training held, nobody on its sheet yet
    scored(training, user)
    assert Period.objects.get(pk=period.pk).actual == D("6.00")
    assert dict(PeriodDisaggregation.objects.filter(period=period).values_list("value", "actual")) == {
        "female": D("4.00"), "male": D("2.00")}
    event = AuditEvent.objects.filter(object_type="programme.period", object_id=str(period.pk)).order_by("-seq")[0]
    assert (event.actor_username, event.detail["measured_by"], event.detail["actual"]) == (
        "coordinator-ro", "capacity.people_trained", "6")
    # a training of 2025 and a cancelled one of 2024 do not count in the 2024 period
    later = services.create_training(acting_user=user, data=training_data(
        world, start_date=date(2025, 3, 3), end_date=date(2025, 3, 4)))
    services.add_participant(acting_user=user, training=later, data=participant("Hana", "H"))
    cancelled = services.create_training(acting_user=user, data=training_data(world, status="cancelled"))
    services.add_participant(acting_user=user, training=cancelled, data=participant("Ioana", "I"))
    assert Period.objects.get(pk=period.pk).actual == D("6.00")
    # moving the training into 2025 leaves no training held in 2024: the period says nothing
    services.update_training(acting_user=user, training=training, data=training_data(
        world, start_date=date(2025, 1, 6), end_date=date(2025, 1, 8)))
    assert Period.objects.get(pk=period.pk).actual is None
    assert list(PeriodDisaggregation.objects.filter(period=period).values_list("value", "actual")) == []


def test_the_steering_review_of_the_year_shows_the_people_trained_and_the_gain(world: dict[str, Any],
                                                                               training: Training) -> None:
    scored(training, world["users"]["coordinator-ro"])
    with translation.override("en"):
        sections = build_review(2024).stock_take.extra_sections
        assert [s.title for s in sections] == [
            "Professionals trained in 2024, by country and sex",
            "Professionals trained in 2024, by country, profession and sex",
            "Knowledge gain of the trainings held in 2024 (post-test minus pre-test, 95 % interval)"]
        assert sections[0].rows == [["Romania", "1", "4", "2", "0", "6"], ["all countries", "1", "4", "2", "0", "6"]]
        assert sections[1].rows == [["Romania", "judges", "2", "0", "0", "2"],
                                    ["Romania", "police", "1", "2", "0", "3"],
                                    ["Romania", "prosecutors", "1", "0", "0", "1"]]
        # the five pairs of test_gain: mean 8.6, 95 % interval 0.2 – 17.0
        assert sections[2].rows == [["Romania", "Investigating labour trafficking", "5", "8.6", "0.2 – 17.0",
                                     "50.0 → 58.6"]]
        assert build_review(2025).stock_take.extra_sections[0].rows == []
    with translation.override("fr"):
        rows = build_review(2024).stock_take.extra_sections[2].rows
        assert rows[0][3:5] == ["8,6", "0,2 – 17,0"]


def test_the_gain_is_withheld_below_the_minimum_pairs_in_the_review(world: dict[str, Any],
                                                                    training: Training) -> None:
    user = world["users"]["coordinator-ro"]
    for index in range(4):
        services.add_participant(acting_user=user, training=training,
                                 data=participant(f"P{index}", "Q", pre="10", post="20"))
    with translation.override("en"):
        row = build_review(2024).stock_take.extra_sections[2].rows[0]
    assert row[2:] == ["4", "withheld: fewer than 5 pairs", "", ""]


def test_the_review_document_and_its_pdf_hold_the_trainings(world: dict[str, Any], training: Training) -> None:
    scored(training, world["users"]["coordinator-ro"])
    meeting = steering_services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna")
    for language, title in (("en", "Professionals trained in 2024, by country and sex"),
                            ("fr", "Professionnels formés en 2024, par pays et par sexe")):
        document = render_document(meeting, language)
        assert title in document.decode()
        assert "Investigating labour trafficking" in document.decode() or "Enquêter" in document.decode()
        assert render_pdf(document).startswith(b"%PDF-")
