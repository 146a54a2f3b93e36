"""The link chart in a real browser (Debian's chromium through Playwright): an analyst opens a network, filters it
(persons only, no shared-value nodes), expands a node by double-clicking it; nothing is fetched from outside."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.networks.importing import import_network_file
from palermo.networks.models import Entity, Network
from tests.conftest import PASSWORD
from tests.networks.conftest import FTM_LINES, write_lines
from tests.web.test_browser import browser_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ring(user_factory, tmp_path: Path) -> tuple[Network, int]:
    """Created before the browser starts (see tests/web/test_browser.py)."""
    from palermo.reference.models import Country

    for code, name in (("RO", "Romania"), ("RS", "Serbia")):  # an earlier transactional test may have flushed them
        Country.objects.get_or_create(code=code, defaults={"alpha3": code + "X", "name_en": name, "name_fr": name})
    user_factory("analyst-ro", Role.ANALYST, ("RO",))
    report = import_network_file(acting_user=SYSTEM.running("test"), path=write_lines(tmp_path / "r.json", FTM_LINES),
                                 fmt="ftm", source="police-ro", country="RO", network_name="ring")
    assert report.ok, report.as_dict()
    return Network.objects.get(name="ring"), Entity.objects.get(ftm_id="p-marko").pk


def wait_for_chart(page, nodes: int) -> None:
    page.locator(f"#link-chart[data-loading='0'][data-nodes='{nodes}']").wait_for(timeout=20000)


def test_open_a_network_filter_and_expand_a_node(ring, browser_page) -> None:  # noqa: F811
    network, marko = ring
    page, base_url, outside = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("User name").fill("analyst-ro")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")
    page.goto(f"{base_url}/networks/")
    page.get_by_role("link", name="ring").click()
    page.wait_for_url(f"{base_url}/networks/{network.pk}/")
    # three persons, an account, a vehicle, and their shared phone as a value node
    wait_for_chart(page, 6)
    assert page.locator("#link-chart canvas").count() == 1

    for schema in ("BankAccount", "Vehicle"):
        page.locator(f"#chart-filters input[name=type][value={schema}]").uncheck()
    page.locator("#chart-filters input[name=values]").uncheck()
    page.get_by_role("button", name="Apply").click()
    wait_for_chart(page, 3)
    assert page.locator("#link-chart").get_attribute("data-edges") == "3"

    page.locator("#link-chart").scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    point = page.evaluate(f"""() => {{
        const chart = window.palermoLinkChart;
        chart.network.stopSimulation();
        chart.network.setOptions({{physics: false}});
        chart.network.fit();
        const position = chart.network.getPositions([{marko}])[{marko}];
        const dom = chart.network.canvasToDOM(position);
        const box = document.getElementById('link-chart').getBoundingClientRect();
        return {{x: box.left + dom.x, y: box.top + dom.y}};
    }}""")
    page.wait_for_timeout(300)
    page.mouse.click(point["x"], point["y"])
    page.get_by_role("button", name="Expand the selected node").click()
    wait_for_chart(page, 4)  # Marko's vehicle joins: expanding shows every neighbour, whatever the type filter
    labels = page.evaluate("() => window.palermoLinkChart.nodes.get().map(n => n.label.split('\\n')[0]).sort()")
    assert sorted(labels) == ["Ana Banca", "B 12 ABC", "Ion Recrutor", "Marko Vozač"]
    assert errors == [] and outside == []
