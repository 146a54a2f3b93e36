"""In a real browser: a national coordinator picks a risk profile with the evidence behind it and starts a campaign
pre-filled from it; the ranking then shows the profile covered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.programme.models import Action, ActionCountry, Programme
from palermo.reference import loading
from palermo.reference.models import ExploitationForm
from tests.conftest import PASSWORD
from tests.web.test_browser import browser_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "RO|sex=female|age_band=0-17|form=sexual_exploitation"


@pytest.fixture
def planning_world(transactional_db, user_factory, organisation_factory) -> Action:
    """Made before the browser starts (see tests/web/test_browser.py); the reference data again, which an earlier
    transactional test may have flushed."""
    loading.load_all(apps.get_model)
    ngo = organisation_factory("NGO-T", Organisation.Kind.NGO, "RO")
    form = ExploitationForm.objects.get(code="sexual_exploitation")
    for index in range(12):
        case = Case.objects.create(case_code=f"T-RO-{index}", organisation=ngo, owner_country_id="RO",
                                   gender="Feminine", age_at_identification=15, year_identified=2024,
                                   trafficking_status="actual")
        case.forms.add(form)
    donor, _ = Organisation.objects.get_or_create(name="Ministry (test)", defaults={"kind": "donor"})
    programme = Programme.objects.create(iati_identifier="FR-3-TEST", title_en="Test programme",
                                         reporting_organisation=donor)
    action = Action.objects.create(programme=programme, iati_identifier="FR-3-TEST-RO", title_en="Schools against THB",
                                   channel="bilateral", status=2, planned_start=date(2024, 1, 1),
                                   planned_end=date(2026, 12, 31))
    ActionCountry.objects.create(action=action, country_id="RO", percentage=Decimal(100))
    user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",))
    return action


def test_a_planner_starts_a_campaign_from_a_risk_profile(planning_world, browser_page) -> None:  # noqa: F811
    page, base_url, outside = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("User name").fill("coordinator-ro")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")
    page.get_by_role("link", name="Risk profiles and campaign planning").first.click()
    page.wait_for_url(f"{base_url}/awareness/risk/**")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Show").click()
    first = page.locator("#ranking tbody tr").first
    assert first.locator("td").nth(1).inner_text().startswith("female · 0-17 · Sexual exploitation")
    assert "none: a gap" in first.inner_text()
    first.get_by_role("link", name="Evidence and planning").click()
    page.wait_for_url(f"{base_url}/awareness/plan/**")
    assert "12 (95 % interval" in page.locator("dl").inner_text().replace("\u00a0", " ")
    page.get_by_role("link", name="Start a campaign for this profile").click()
    page.wait_for_url(f"{base_url}/awareness/new/**")
    assert page.locator("input[name=target_sexes][value=female]").is_checked()
    assert page.locator("input[name=target_age_bands][value='0-17']").is_checked()
    assert page.locator("input[name=countries][value=RO]").is_checked()
    assert page.locator("input[name=populations][value=children]").is_checked()
    assert "Sexual exploitation" in page.get_by_label("Title").input_value()
    page.get_by_label("Funding action").select_option(str(planning_world.pk))
    page.locator("#id_start").fill("2025-02-01")
    page.locator("#id_end").fill("2025-11-30")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base_url}/awareness/*/")
    assert "Campaign saved." in page.content()
    assert "Schools against THB" in page.content()
    page.goto(f"{base_url}/awareness/risk/?country=RO&year=2024")
    covered = page.locator("#ranking tbody tr").first
    assert "Awareness campaign: female · 0-17 · Sexual exploitation" in covered.inner_text()
    assert "none: a gap" not in covered.inner_text()
    assert errors == [] and outside == []
