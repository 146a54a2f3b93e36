"""In a real browser: the draft steering meeting's charts are drawn (Plotly is deferred; the charts wait for it)."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.reference import loading
from palermo.steering import services
from palermo.steering.models import SteeringMeeting
from tests.steering.builders import build_portfolio
from tests.web.test_browser import browser_page, sign_in_with_second_factor  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHARTS = ("chart-budget-by-country", "chart-budget-by-objective", "chart-achievement-by-country")


@pytest.fixture
def meeting(transactional_db) -> SteeringMeeting:
    """Created before the browser starts (see tests/web/test_browser.py). The portfolio needs the reference data
    the migrations load, which an earlier transactional test may have flushed: loaded again (idempotent)."""
    loading.load_all(apps.get_model)
    build_portfolio()
    return services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna")


@pytest.fixture
def manager(user_factory) -> TOTPDevice:
    """A programme manager signs in with a second factor (docs/security.md, "Separation of duties")."""
    return TOTPDevice.objects.create(user=user_factory("manager", Role.PROGRAMME_MANAGER), name="phone",
                                     confirmed=True)


def test_the_draft_meeting_draws_its_three_charts(meeting, manager, browser_page) -> None:  # noqa: F811
    page, base_url, outside = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{base_url}/accounts/login/")
    sign_in_with_second_factor(page, base_url, manager)
    page.goto(f"{base_url}/steering/2024/")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} svg.main-svg", timeout=20000)
        assert page.locator(f"#{chart} .trace.bars .point").count() > 0, chart
    assert page.locator(".badge-draft").text_content() == "draft"  # shown in capitals by the stylesheet
    assert page.locator(".draft-banner").is_visible()
    # closing asks for the tick first: the browser refuses to send the form without it
    page.get_by_role("button", name="Close the meeting and freeze the review").click()
    assert page.url == f"{base_url}/steering/2024/"
    assert page.locator("input[name=confirm]:invalid").count() == 1
    assert errors == [] and outside == []
