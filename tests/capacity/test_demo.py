"""The demo: trainings across countries and years tied to demo actions, some with scores, idempotent; the
funding actions' people-trained indicator follows them."""

from __future__ import annotations

import pytest

from palermo.capacity import demo
from palermo.capacity.models import Participant, Training
from palermo.programme import demo as programme_demo
from palermo.programme.models import Indicator, Period

pytestmark = pytest.mark.django_db


def test_the_demo_holds_trainings_across_countries_and_years() -> None:
    from palermo.accounts import demo as accounts_demo
    from palermo.partners import demo as partners_demo

    log: list[str] = []
    partners_demo.load(log)
    accounts_demo.load(log)
    programme_demo.load(log)
    demo.load(log)
    trainings = Training.objects.all()
    assert len({t.country_id for t in trainings}) >= 8
    assert {t.end_date.year for t in trainings} >= {2021, 2022, 2023, 2024, 2025}
    assert all(not t.action.is_external for t in trainings.select_related("action"))
    scored = {p.training_id for p in Participant.objects.filter(pre_score__isnull=False)}
    held = set(trainings.filter(status="held").values_list("pk", flat=True))
    assert 0 < len(scored) < len(held)
    measured = Indicator.objects.filter(measured_by="capacity.people_trained")
    assert measured.exists()
    period = Period.objects.filter(indicator__in=measured, actual__gt=0).first()
    assert period is not None
    before = Training.objects.count(), Participant.objects.count()
    demo.load(log)
    assert (Training.objects.count(), Participant.objects.count()) == before  # idempotent
