"""The guided legal qualification driven in a real browser (Debian's chromium through Playwright)."""

from __future__ import annotations

import pytest

from palermo.accounts.roles import Role
from tests.conftest import PASSWORD
from tests.web.test_browser import browser_page  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def inspector(user_factory):
    # Every signed-in user may use the guided page; no country, because the transactional tests that run before
    # this one (the worker's) flush the reference rows the migrations loaded.
    return user_factory("inspector", Role.NATIONAL_COORDINATOR)


def test_the_guided_qualification_one_question_at_a_time(inspector, browser_page) -> None:  # noqa: F811
    page, base_url, outside = browser_page
    page.goto(f"{base_url}/screening/qualify/")
    page.get_by_label("User name").fill("inspector")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/screening/qualify/")

    assert "Question 1 of 6" in page.get_by_role("heading", level=2).inner_text()
    page.get_by_label("Age").fill("17")
    page.get_by_role("button", name="Next").click()
    assert "What was done to the person?" in page.get_by_role("heading", level=2).inner_text()
    page.get_by_label("recruitment").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("none of these").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("forced begging").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("not known").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Date").fill("2025-03-01")
    page.get_by_role("button", name="Next").click()

    row = page.locator("#palermo_protocol")
    assert "points to trafficking" in row.inner_text()
    assert "The person is a child (aged 17, under 18): no means is needed." in row.inner_text()
    assert page.get_by_text("An indication for professionals, not a court's finding.").is_visible()

    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Question 1 sur 6" in page.get_by_role("heading", level=2).inner_text()
    assert outside == []
