"""Debian's chromium draws the diagnostics page — charts, Sankey and map — with nothing fetched from outside."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.apps import apps

from palermo.accounts.roles import Role
from palermo.reference import loading
from tests.conftest import PASSWORD
from tests.diagnostics.helpers import many, write_rows

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_draws_its_charts_and_map_offline(live_server, settings, tmp_path, user_factory) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    loading.load_all(apps.get_model)  # an earlier transactional test may have flushed the countries (idempotent)
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    write_rows(many(30, transit_countries=["RS"], citizenship="MD") + many(20, country_of_exploitation="IT"),
               tmp_path / "cases.parquet")
    user_factory("analyst-ro", Role.ANALYST, ("RO",))
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    server = urlsplit(live_server.url)
    outside: list[str] = []
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"])
            context = browser.new_context()

            def guard(route):
                target = urlsplit(route.request.url)
                if (target.hostname, target.port) != (server.hostname, server.port):
                    outside.append(route.request.url)
                    return route.abort()
                return route.continue_()

            context.route("**/*", guard)
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("User name").fill("analyst-ro")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live_server.url}/")
            page.goto(f"{live_server.url}/diagnostics/", timeout=60000)
            page.wait_for_selector("#chart-map .choroplethlocation", timeout=15000)
            assert page.locator("#chart-map .trace.choropleth").nth(1).locator(".choroplethlocation").count() == 2
            # citizenship MD, RO -> transit RS, none -> exploitation RO, IT
            assert page.locator("#chart-flows .sankey-node").count() == 6
            assert page.locator("#chart-sex .point").count() == 1
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert errors == []
    assert outside == []  # plotly.js took its base-map file from our static files, not from a CDN


def test_the_official_statistics_draw_their_charts(live_server, tmp_path, user_factory) -> None:
    """Every chart of the official statistics page draws in the browser: the countries' lines, one country's
    breakdowns. The reference rows are made here: an earlier transactional test may have flushed them."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    import openpyxl

    from palermo.accounts.access import SYSTEM
    from palermo.diagnostics.services import import_glotip
    from palermo.reference.models import Country
    from tests.diagnostics.test_official import HEADER, ROWS

    for code, alpha3, english, french in (("AL", "ALB", "Albania", "Albanie"), ("RS", "SRB", "Serbia", "Serbie"),
                                          ("XK", "XKX", "Kosovo", "Kosovo")):
        Country.objects.update_or_create(code=code, defaults={"alpha3": alpha3, "name_en": english,
                                                              "name_fr": french, "is_programme": True})
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for values in ROWS:
        workbook.active.append(values)
    workbook.save(tmp_path / "glotip.xlsx")
    import_glotip(acting_user=SYSTEM.running("test"), path=tmp_path / "glotip.xlsx", source="synthetic")
    user_factory("viewer", Role.VIEWER)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"])
            page = browser.new_context().new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("User name").fill("viewer")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live_server.url}/")
            page.goto(f"{live_server.url}/diagnostics/official-statistics/", timeout=60000)
            page.wait_for_selector("#chart-totals .scatterlayer .trace", timeout=15000)
            assert page.locator("#chart-totals .scatterlayer .trace").count() == 2  # Albania, Serbia
            page.goto(f"{live_server.url}/diagnostics/official-statistics/?country=AL", timeout=60000)
            for name, bars in (("sex", 2), ("age", 1), ("form", 3), ("citizenship", 2)):  # a "<5" bar is empty
                page.wait_for_selector(f"#chart-{name} .barlayer .point", timeout=15000)
                assert page.locator(f"#chart-{name} .barlayer .point").count() == bars, name
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert errors == []
