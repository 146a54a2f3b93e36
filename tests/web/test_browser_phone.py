"""On a 390 px phone, in a real browser: the menu is folded and opens on a tap, the header wraps, forms are one
field wide and no page is wider than the screen."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.web.test_browser import browser_page, enrolled_manager  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def manager(user_factory) -> TOTPDevice:
    """Created before the browser starts (see tests/web/test_browser.py)."""
    return enrolled_manager(user_factory)


def test_on_a_phone_the_menu_is_folded_and_opens_on_tap(manager, browser_page) -> None:  # noqa: F811
    first_page, base_url, outside = browser_page
    server = urlsplit(base_url)
    phone = first_page.context.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).port == server.port
                else (outside.append(route.request.url), route.abort()))
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{base_url}/accounts/login/")
    field = page.get_by_label("User name")
    assert field.bounding_box()["width"] > 300  # one field across the screen
    field.fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").tap()
    page.wait_for_url(f"{base_url}/accounts/two-factor/**")
    page.get_by_role("textbox").fill(f"{totp(manager.bin_key, step=manager.step, t0=manager.t0):06d}")
    page.get_by_role("button", name="Verify").tap()
    page.wait_for_url(f"{base_url}/")

    def page_width() -> int:
        return int(page.evaluate("document.documentElement.scrollWidth"))

    menu_button = page.get_by_role("button", name="Menu")
    assert menu_button.is_visible() and menu_button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-menu").is_visible()
    assert page_width() <= PHONE["width"]
    menu_button.tap()
    assert menu_button.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-menu").is_visible()
    page.locator("#site-menu").get_by_role("link", name="Actions").first.tap()
    page.wait_for_url(f"{base_url}/programme/actions/**")
    assert not page.locator("#site-menu").is_visible()  # folded again on the next page
    assert page_width() <= PHONE["width"]
    header = page.locator(".site-header").bounding_box()
    assert header["width"] <= PHONE["width"]

    page.goto(f"{base_url}/no-such-page/")
    assert page.get_by_role("heading", level=1).inner_text() == "This page was not found"
    assert page.get_by_role("button", name="Menu").is_visible()

    page.set_viewport_size({"width": 1366, "height": 800})  # on a desk: no button, the menu unfolded
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.locator("#site-menu").is_visible()
    phone.close()
    assert errors == [] and outside == []
