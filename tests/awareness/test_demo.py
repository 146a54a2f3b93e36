"""The awareness demo: at least ten campaigns across countries and years tied to demo actions, materials in
several languages, reach feeding the actions' measured indicators, and high-risk profiles deliberately left
uncovered; idempotent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from palermo.accounts import demo as accounts_demo
from palermo.audit.services import verify_chain
from palermo.awareness import demo, planning
from palermo.awareness.models import Campaign, MaterialVersion, ReachPeriod
from palermo.cases import demo as cases_demo
from palermo.partners import demo as partners_demo
from palermo.programme import demo as programme_demo
from palermo.programme.models import Period
from palermo.referral import demo as referral_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db: Any) -> list[str]:
    partners_demo.load([])
    accounts_demo.load([])
    cases_demo.load([], total=2500)
    referral_demo.load([], now=datetime(2026, 12, 2, 12, tzinfo=UTC))
    programme_demo.load([])
    log: list[str] = []
    demo.load(log)
    return log


def test_the_demo_has_campaigns_across_countries_and_years_with_gaps_left(loaded: list[str]) -> None:
    campaigns = list(Campaign.objects.prefetch_related("countries"))
    assert len(campaigns) == 12
    assert len({c.code for campaign in campaigns for c in campaign.countries.all()}) == 11
    assert {campaign.start.year for campaign in campaigns} == {2021, 2022, 2023, 2024, 2025, 2026}
    assert all(not campaign.action.is_external for campaign in campaigns)
    languages = set(MaterialVersion.objects.values_list("material__language", flat=True))
    assert {"sr-Latn", "sr-Cyrl", "rom", "ro", "sq", "en"} <= languages
    assert ReachPeriod.objects.count() > 20
    measured = Period.objects.filter(indicator__measured_by="awareness.people_reached")
    assert measured.exclude(actual=None).count() >= 8
    picture = planning.picture(None, year=planning.latest_year(None, datetime(2026, 12, 2).date()))
    assert len(picture.gaps) >= 5  # the second to fifth profiles of the targeted countries stay uncovered
    assert any(line.covered for lines in picture.ranking.values() for line in lines)
    again: list[str] = []
    demo.load(again)
    assert again == ["awareness: 12 campaigns already there"]
    assert verify_chain() is None
