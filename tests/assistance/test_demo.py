"""The demo of objective 3: directory services in every programme country, screenings, referrals (some overdue,
some minors without a guardian) and support plans, consistent with the demo cases; deterministic, idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from django.utils import timezone

from palermo.accounts import demo as accounts_demo
from palermo.assistance import demo as assistance_demo
from palermo.assistance.models import SupportEntry
from palermo.audit.services import verify_chain
from palermo.cases import demo as cases_demo
from palermo.cases.models import Case
from palermo.partners import demo as partners_demo
from palermo.reference.models import Country
from palermo.referral import demo as referral_demo
from palermo.referral import workflow
from palermo.referral.models import CountryNrm, Referral, ReferralStep, Service
from palermo.referral.worklist import pending
from palermo.screening import demo as screening_demo
from palermo.screening.models import Screening

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)  # the loaders take the moment of the load: fixed, the rows are too
PROGRAMME = {"AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS"}


def load() -> list[str]:
    log: list[str] = []
    for module in (screening_demo, referral_demo, assistance_demo):
        module.load(log, now=NOW)
    return log


@pytest.fixture
def demo_cases(db: Any) -> None:
    partners_demo.load([])
    accounts_demo.load([])
    cases_demo.load([], total=150)


def counts() -> dict[str, Any]:
    return {
        "services": Service.objects.count(), "settings": CountryNrm.objects.count(),
        "screenings": Screening.objects.count(), "opened": Screening.objects.filter(case__isnull=False).count(),
        "referrals": Referral.objects.count(), "steps": ReferralStep.objects.count(),
        "by_step": dict(Counter(Referral.objects.values_list("step", flat=True))),
        "support": SupportEntry.objects.count(), "open_support": SupportEntry.objects.open().count(),
        "cases": Case.objects.count(),
    }


def test_the_demo_loads_the_expected_rows_and_a_second_run_adds_nothing(demo_cases: None) -> None:
    log = load()
    first = counts()
    assert first == {
        # 151 demo cases (150 rounded per country) and the 22 opened from the screenings
        "services": 44, "settings": 11, "screenings": 33, "opened": 22, "referrals": 91, "steps": 307,
        # 22 just referred from today's screenings; 54 decided as their case records say; 15 left open since 2025
        "by_step": {"identified": 51, "not_identified": 3, "possible_victim": 7, "referred": 26, "accepted": 4},
        "support": 142, "open_support": 2, "cases": 173,
    }
    assert log == ["screening: 33 demo screenings, 22 case records opened from them",
                   "referral: 44 demo services, 11 demo country settings, 91 referrals",
                   "assistance: 142 demo support plans (140 closed), 142 in all"]
    assert load() == ["screening: 0 demo screenings, 0 case records opened from them",
                      "referral: 0 demo services, 0 demo country settings, 0 referrals",
                      "assistance: 0 demo support plans (0 closed), 142 in all"]
    assert counts() == first
    assert verify_chain() is None


def test_every_programme_country_has_its_demo_services_marked_fictitious(demo_cases: None) -> None:
    load()
    assert set(Service.objects.values_list("country_id", flat=True)) == PROGRAMME
    assert Counter(Service.objects.values_list("country_id", flat=True)) == {code: 4 for code in PROGRAMME}
    assert all(contact.startswith("DEMO — fictitious contact, not a real service: ")
               for contact in Service.objects.values_list("contact", flat=True))
    today = timezone.localdate(NOW)
    assert Service.objects.filter(organisation__short_name="VA-RO").get().is_stale(today)
    assert not Service.objects.filter(organisation__short_name="NGO-RO").get().is_stale(today)
    assert all(row.source.startswith("DEMO data:") and row.reflection_days == 30 for row in CountryNrm.objects.all())
    assert set(Screening.objects.values_list("country_id", flat=True)) == PROGRAMME


def test_referrals_and_support_follow_the_case_records(demo_cases: None) -> None:
    load()
    status_of_step = {workflow.IDENTIFIED: "actual", workflow.NOT_IDENTIFIED: "not_victim"}
    for referral in Referral.objects.select_related("case"):
        case = referral.case
        assert (referral.organisation_id, referral.country_id) == (case.organisation_id, case.owner_country_id)
        if referral.step in status_of_step:
            assert case.trafficking_status == status_of_step[referral.step]
            final = referral.steps.order_by("at", "pk").last()
            assert case.status_decided_on == workflow.local_day(final.at, referral.time_zone)
        else:
            assert case.trafficking_status == "possible"
        if case.age_at_identification is not None:
            assert referral.minor == (case.age_at_identification < 18)
    for entry in SupportEntry.objects.select_related("case__referral"):
        assert entry.case.referral.step in {workflow.ACCEPTED, workflow.IDENTIFIED, workflow.NOT_IDENTIFIED}
        assert entry.provider.short_name in {f"NGO-{entry.country_id}", f"VA-{entry.country_id}"}
        assert entry.actual_end_date is None or entry.start_date <= entry.actual_end_date <= NOW.date()
    items = [item for referral in Referral.objects.all() for item in pending(referral, NOW)]
    urgencies = Counter((item.what, item.urgency) for item in items)
    assert urgencies[("end of the recovery and reflection period", "overdue")] > 0
    assert urgencies[("guardian to appoint", "overdue")] > 0
    assert Referral.objects.filter(minor=True, guardian_appointed_at__isnull=True).count() > 0
    assert set(Referral.objects.values_list("country_id", flat=True)) == PROGRAMME
    assert Country.objects.programme().count() == len(PROGRAMME)


def test_palermo_demo_runs_these_loaders_after_the_cases_and_before_the_diagnostics() -> None:
    from palermo.web.management.commands.demo import DEMO_LOADERS

    order = [name.rsplit(".", 2)[-2] for name in DEMO_LOADERS]
    assert order.index("cases") < order.index("screening") < order.index("referral") < order.index("assistance")
    assert order.index("assistance") < order.index("diagnostics")
