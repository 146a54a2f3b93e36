"""A real browser (Debian's chromium through Playwright) signs in, switches to French and
sees the dashboard; every request that leaves the test server is blocked and counted."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.roles import Role
from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(live_server):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("PALERMO_REQUIRE_BROWSER"):
            pytest.fail(f"chromium is required for the browser test and was not found at {CHROMIUM}")
        pytest.skip("Debian's chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    server = urlsplit(live_server.url)
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        context = browser.new_context()

        def guard(route):
            target = urlsplit(route.request.url)
            if (target.hostname, target.port) != (server.hostname, server.port):
                outside.append(route.request.url)
                return route.abort()
            return route.continue_()

        context.route("**/*", guard)
        page = context.new_page()
        yield page, live_server.url, outside
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def enrolled_manager(user_factory) -> TOTPDevice:
    """A programme manager with an authenticator (managers sign in with a second factor), created before the browser
    starts: a connection opened under Playwright's event loop would belong to another context and outlive the test."""
    user = user_factory("manager", Role.PROGRAMME_MANAGER)
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def sign_in_with_second_factor(page, base_url: str, device: TOTPDevice, *, step: int = 0,
                               verify: str = "Verify") -> None:
    """Password, then the authenticator's code; ``step`` 1 gives the next period's code (django-otp accepts one
    period ahead and never the same code twice), for a second sign-in within the same 30 seconds."""
    page.get_by_label("User name").fill(device.user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/accounts/two-factor/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=step)
    page.get_by_role("textbox").fill(f"{code:06d}")
    page.get_by_role("button", name=verify).click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def manager(user_factory) -> TOTPDevice:
    return enrolled_manager(user_factory)


def test_sign_in_switch_to_french_and_see_the_dashboard(manager, browser_page) -> None:
    page, base_url, outside = browser_page

    page.goto(f"{base_url}/")
    assert page.url.startswith(f"{base_url}/accounts/login/")
    sign_in_with_second_factor(page, base_url, manager)
    assert page.get_by_role("heading", level=1).inner_text() == "Programme dashboard"

    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord du programme"
    assert page.get_by_role("heading", name="Chiffres clés").is_visible()
    assert page.get_by_text("Pays du programme").is_visible()
    assert outside == []
