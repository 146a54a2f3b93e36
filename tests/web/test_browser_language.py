"""In a real browser: French chosen on the sign-in page stays through the second factor, every page after it, and
the next sign-in; the header switch saves the choice."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.roles import Role
from tests.conftest import PASSWORD
from tests.web.test_browser import browser_page, enrolled_manager, sign_in_with_second_factor  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caseworker(user_factory) -> TOTPDevice:
    """Created before the browser starts (see tests/web/test_browser.py); without a country, which an earlier
    transactional test may have flushed."""
    user = user_factory("caseworker-rs", Role.CASE_WORKER)
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_french_is_kept_through_the_second_factor_and_the_next_sign_in(caseworker, browser_page) -> None:  # noqa: F811
    page, base_url, outside = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Se connecter"
    page.get_by_label("Nom d'utilisateur").fill("caseworker-rs")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base_url}/accounts/two-factor/**")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Second facteur"
    page.get_by_role("textbox").fill(code(caseworker))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(f"{base_url}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.goto(f"{base_url}/accounts/profile/")
    assert page.locator("html").get_attribute("lang") == "fr"

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{base_url}/accounts/login/")
    page.context.clear_cookies()  # another browser: only the saved choice remains
    page.goto(f"{base_url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("User name").fill("caseworker-rs")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/accounts/two-factor/**")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert errors == [] and outside == []


def test_the_header_switch_saves_the_choice(manager, browser_page) -> None:  # noqa: F811
    page, base_url, outside = browser_page
    page.goto(f"{base_url}/accounts/login/")
    sign_in_with_second_factor(page, base_url, manager)
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{base_url}/accounts/login/")
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    sign_in_with_second_factor(page, base_url, manager, step=1, verify="Vérifier")  # the saved French from here
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord du programme"
    assert outside == []


@pytest.fixture
def manager(user_factory) -> TOTPDevice:
    return enrolled_manager(user_factory)
