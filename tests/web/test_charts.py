"""Charts that do not mislead: gaps where years are missing, axes from 0, small shares with a decimal, and "no data
for this selection" rather than an empty frame; every chart a JSON spec drawn after the deferred Plotly bundle."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.test import Client
from django.utils import translation

from palermo.accounts.roles import Role
from palermo.diagnostics import charts
from palermo.diagnostics.figures import Figure, FigureRow
from palermo.numbers import percent_text
from palermo.web.charts import chart_html, figure_has_data
from tests.conftest import verified_login
from tests.diagnostics.helpers import many, write_rows


def figure_of(name: str, rows: list[FigureRow]) -> Figure:
    return Figure(name=name, rows=rows, denominator=None, unknown=None, exact=True, k=1)


def spec_of(html: str) -> dict:
    found = re.search(r'<script type="application/json">(.*?)</script>', html, re.S)
    assert found is not None, html
    return json.loads(found.group(1))


def test_a_chart_is_a_json_spec_that_runs_nothing() -> None:
    figure = go.Figure(go.Bar(x=[3], y=["</script><script>alert(1)</script>"], orientation="h"))
    figure.update_layout(height=300, title="Persons")
    html = str(chart_html(figure, div_id="chart-x"))
    assert html.startswith('<div class="chart" id="chart-x" style="min-height:300px"><script type="application/json">')
    assert html.count("<script") == 1 and "alert(1)</script>" not in html
    spec = spec_of(html)
    assert spec["data"][0]["y"] == ["</script><script>alert(1)</script>"]
    assert spec["config"] == {"displaylogo": False, "responsive": True}


def test_a_figure_with_nothing_to_draw_says_so() -> None:
    with translation.override("en"):
        empty = str(chart_html(go.Figure(go.Bar(x=[], y=[])).update_layout(title="Persons by sex"), div_id="c"))
    assert empty == ('<div class="chart chart-empty" id="c"><p class="chart-title">Persons by sex</p>'
                     "<p>No data for this selection.</p></div>")
    with translation.override("fr"):
        assert "Aucune donnée pour cette sélection." in str(chart_html(go.Figure()))
    grey_map_only = [{"type": "choropleth", "locations": ["RO"], "z": [0], "hoverinfo": "skip"},
                     {"type": "choropleth", "locations": [], "z": []}]
    assert figure_has_data(grey_map_only) is False
    assert figure_has_data([{"type": "sankey", "link": {"source": [0], "target": [1], "value": [0]}}]) is False
    assert figure_has_data([{"type": "scatter", "x": [2020], "y": [None]}]) is True  # x alone: the axis is there


def test_shares_under_one_percent_keep_a_decimal() -> None:
    assert [percent_text(v) for v in (0, 0.0004, 0.004, 0.25, Decimal("0.3334"), -0.003)] == [
        "0\u00a0%", "< 0.1\u00a0%", "0.4\u00a0%", "25\u00a0%", "33\u00a0%", "-0.3\u00a0%"]
    assert percent_text(0.004, ",") == "0,4\u00a0%"


def test_no_line_is_drawn_across_missing_years() -> None:
    """UNODC publishes 2009, 2012 and 2018 for a country: the years between are gaps, not a straight line."""
    official = {2009: 40, 2012: 25, 2018: 31, 2015: "<5"}
    cases = figure_of("trend", [FigureRow("2020", 5), FigureRow("2022", 7)])
    figure = charts.trend(cases, "Trend", official, "UNODC", "cases").to_plotly_json()
    palermo, unodc = figure["data"]
    assert list(palermo["x"]) == [2020, 2021, 2022] and list(palermo["y"]) == [5, None, 7]
    assert list(unodc["x"]) == list(range(2009, 2019))
    assert list(unodc["y"]) == [40, None, None, 25, None, None, None, None, None, 31]
    assert palermo["connectgaps"] is False and unodc["connectgaps"] is False
    assert figure["layout"]["yaxis"]["rangemode"] == "tozero"


def test_bars_start_at_zero_and_label_small_shares() -> None:
    counts = figure_of("sex", [FigureRow("female", 996, 0.996), FigureRow("other", 4, 0.004)])
    figure = charts.bar(counts, "Sex", {"female": "women"}, ",").to_plotly_json()
    assert list(figure["data"][0]["text"]) == ["100\u00a0%", "0,4\u00a0%"]
    assert figure["layout"]["xaxis"]["rangemode"] == "tozero"


@pytest.mark.django_db
def test_an_empty_selection_shows_no_data_instead_of_a_blank_map(settings, tmp_path, user_factory) -> None:
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    write_rows(many(12, year_identified=2021), tmp_path / "cases.parquet")
    client = Client()
    verified_login(client, user_factory("analyst-ro", Role.ANALYST, ("RO",)))
    html = client.get("/diagnostics/?year_from=1995&year_to=1996").content.decode()
    assert '<div class="chart chart-empty" id="chart-map"><p class="chart-title">Victims by country of exploitation' \
           "</p><p>No data for this selection.</p></div>" in html
    assert '<div class="chart chart-empty" id="chart-sex">' in html
    full = client.get("/diagnostics/").content.decode()
    assert '<div class="chart" id="chart-map"' in full and '<div class="chart" id="chart-sex"' in full
