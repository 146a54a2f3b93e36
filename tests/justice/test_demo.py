"""Demo proceedings tied to the demo cases: in every programme country, deterministic, idempotent, audited."""

from __future__ import annotations

import pytest

from palermo.accounts import demo as accounts_demo
from palermo.audit.models import AuditEvent
from palermo.cases import demo as cases_demo
from palermo.justice import demo, figures
from palermo.justice.models import Decision, Proceeding, VictimParticipation
from palermo.partners import demo as partners_demo
from palermo.programme import demo as programme_demo
from palermo.programme.models import Period

pytestmark = pytest.mark.django_db
PROGRAMME = {"AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS"}


def test_the_demo_proceedings() -> None:
    log: list[str] = []
    partners_demo.load(log)
    accounts_demo.load(log)
    cases_demo.load(log, total=400)
    programme_demo.load(log)
    demo.load(log)
    assert log[-1].startswith("justice: ") and log[-1].endswith("3 demo actions measure persons convicted")
    periods = Period.objects.filter(indicator__measured_by="justice.persons_convicted")
    assert periods.exists() and periods.filter(actual__gt=0).exists()
    count = Proceeding.objects.count()
    assert set(Proceeding.objects.values_list("country_id", flat=True)) == PROGRAMME
    assert Decision.objects.filter(instance="appeal").exists() and VictimParticipation.objects.exists()
    assert all(p.victims.exists() for p in Proceeding.objects.all()[:20])
    assert AuditEvent.objects.filter(object_type="justice.proceeding", actor_username="system: demo").count() == count
    # every victim is a demo case of the proceeding's country
    assert not VictimParticipation.objects.exclude(case__owner_country_id=models_country()).exists()
    result = figures.compute(figures.JusticeScope(tuple(sorted(PROGRAMME)), True, 10, 2015, 2025))
    assert sum(c.ours for c in result.convicted) > 0 and sum(c.ours for c in result.prosecuted) > 0
    demo.load(log)
    assert Proceeding.objects.count() == count


def models_country() -> object:  # the proceeding's own country, as an expression
    from django.db.models import F

    return F("proceeding__country_id")
