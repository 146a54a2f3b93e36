"""The case worker's day in a real browser: the caseload on the home page, a case found by name, an empty new-case
form refused, the case list within a 1366 px screen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from palermo.reference.models import Country
from tests.conftest import PASSWORD
from tests.web.test_browser import browser_page  # noqa: F401  (the fixture)
from tests.web.test_browser_language import code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 768}


@pytest.fixture
def caseworker(user_factory: Any, organisation_factory: Any) -> dict[str, Any]:
    """The case worker, their device and three cases, created before the browser starts (tests/web/test_browser.py);
    Serbia is made again if an earlier transactional test flushed the reference rows."""
    Country.objects.get_or_create(code="RS", defaults={"alpha3": "SRB", "name_en": "Serbia", "name_fr": "Serbie",
                                                       "is_programme": True})
    ngo = organisation_factory("NGO-RS", country="RS")
    user = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",), organisation=ngo)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    cases = {}
    for key, first, second, birth, status in (
            ("ana", "Ana", "Popescu", date(1999, 3, 4), "possible"),
            ("namesake", "Ana", "Popescu", date(2004, 8, 1), "possible"),
            ("djordje", "Ђорђе", "Живковић", date(1990, 7, 9), "possible")):
        case = Case(organisation=ngo, owner_country_id="RS", first_name=first, second_name=second, birth_date=birth,
                    identification_date=date(2024, 5, 1), gender="Feminine", trafficking_status=status)
        cases[key] = create_case(acting_user=SYSTEM.running("test"), case=case, forms=[], route=Route())
    return {"user": user, "device": device, "cases": cases}


def sign_in(page: Any, base_url: str, device: TOTPDevice) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("User name").fill("caseworker-rs")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/accounts/two-factor/**")
    page.get_by_role("textbox").fill(code(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{base_url}/")


def test_the_case_worker_finds_a_case_by_name_from_the_home_page(caseworker: Any, browser_page: Any) -> None:  # noqa: F811
    page, base_url, outside = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ana, djordje = caseworker["cases"]["ana"], caseworker["cases"]["djordje"]
    sign_in(page, base_url, caseworker["device"])

    assert page.get_by_role("heading", level=1).inner_text() == "Your caseload"
    caseload = page.locator("section", has=page.get_by_role("heading", name="Your organisation's open cases"))
    assert "3 open cases" in caseload.inner_text()
    search = page.get_by_role("search", name="Find a case by name")
    search.get_by_label("Name").fill("ana popescu")
    search.get_by_label("Date or year of birth").fill("04/03/1999")
    search.get_by_role("button", name="Find").click()
    page.wait_for_url(f"{base_url}/cases/search/")
    results = page.get_by_role("table")
    assert results.locator("caption").inner_text() == "1 case found"
    assert results.get_by_role("link").all_inner_texts() == [ana.case_code]
    assert "Popescu" not in results.inner_text()  # the search shows no identity

    page.get_by_role("search").get_by_label("Name").fill("Djordje Zivkovic 1990")
    page.get_by_role("search").get_by_label("Date or year of birth").fill("")
    page.get_by_role("search").get_by_role("button", name="Find").click()
    page.get_by_role("table").get_by_role("link", name=djordje.case_code).click()
    page.wait_for_url(f"{base_url}/cases/{djordje.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Case {djordje.case_code}"
    assert errors == [] and outside == []


def test_an_empty_new_case_form_is_refused_and_nothing_is_recorded(caseworker: Any, browser_page: Any) -> None:  # noqa: F811
    page, base_url, outside = browser_page
    sign_in(page, base_url, caseworker["device"])
    page.goto(f"{base_url}/cases/new/")
    sections = page.locator("fieldset legend").all_inner_texts()
    assert sections == ["Identification", "Person", "Recruitment", "Exploitation", "Route", "Referral",
                        "Support and follow-up"]
    assert page.get_by_label("Citizenship", exact=True).evaluate("element => element.tagName") == "SELECT"
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base_url}/cases/new/"
    alert = page.locator("#form-errors")
    assert [line for line in alert.inner_text().splitlines() if line] == ["The form is empty: nothing was recorded.",
                                               "Fill in the required fields: Date of identification, Gender."]
    page.goto(f"{base_url}/cases/")
    assert page.locator("table caption").inner_text() == "3 cases"  # the fixture's three, none added
    assert outside == []


@pytest.mark.parametrize("language", ["English", "Français"])
def test_the_case_list_fits_a_1366_pixel_screen(caseworker: Any, browser_page: Any, language: str) -> None:  # noqa: F811
    page, base_url, outside = browser_page
    page.set_viewport_size(DESK)
    sign_in(page, base_url, caseworker["device"])
    if language == "Français":
        page.get_by_role("button", name="Français").click()
        page.wait_for_load_state("networkidle")
    page.goto(f"{base_url}/cases/")
    table = page.locator("table.case-list")
    assert table.locator("tbody tr").count() == 3
    widths = table.evaluate("table => [table.scrollWidth, table.parentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert page.evaluate("document.documentElement.scrollWidth") <= DESK["width"]
    assert outside == []
