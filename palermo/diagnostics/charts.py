"""Plotly charts built server-side from figures. Nothing is fetched from outside: Plotly comes from the static
files, the map boundaries are Palermo's own GeoJSON, and plotly.js' base-map file URL points at our static files."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from palermo.diagnostics.figures import Figure
from palermo.numbers import percent_text

REGION_GEOJSON = Path(__file__).resolve().parent / "static" / "diagnostics" / "region.geojson"
REGION_LONGITUDES = [-11.0, 42.0]
REGION_LATITUDES = [34.0, 60.0]


def plot_config(static_url: str) -> dict[str, Any]:
    return {"displaylogo": False, "responsive": True, "topojsonURL": f"{static_url}diagnostics/topojson/",
            "modeBarButtonsToRemove": ["sendDataToCloud"]}


@cache
def _white_template() -> dict[str, Any]:
    return dict(pio.templates["plotly_white"].to_plotly_json())


def to_spec(figure: go.Figure, static_url: str) -> dict[str, Any]:
    """The chart's data, layout and config, in the "plotly_white" look, for ``palermo.web.charts.chart_html``.
    The template goes into the finished JSON: naming it in the layout makes Plotly validate a deep copy of it,
    about a quarter of a second per chart (a dashboard draws thirteen)."""
    data = figure.to_plotly_json()
    data["layout"]["template"] = _white_template()
    return {"data": data["data"], "layout": data["layout"], "config": plot_config(static_url)}


def _layout(figure: go.Figure, title: str) -> go.Figure:
    figure.update_layout(title=title, margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=360,
                         font={"family": "system-ui, sans-serif"})
    return figure


def bar(figure: Figure, title: str, labels: Mapping[str, str], decimal_separator: str = ".") -> go.Figure:
    """Counts from 0, each bar with its share (one decimal under 1 %, so that a small share never reads 0 %)."""
    rows = [row for row in figure.rows if row.count is not None]
    names = [labels.get(row.category, row.category) for row in rows]
    text = [percent_text(row.share, decimal_separator) if row.share is not None else "" for row in rows]
    chart = go.Figure(go.Bar(x=[row.count for row in rows], y=names, orientation="h", text=text,
                             textposition="auto"))
    chart.update_yaxes(autorange="reversed")
    chart.update_xaxes(rangemode="tozero")
    return _layout(chart, title)


def yearly(values: Mapping[int, Any]) -> tuple[list[int], list[int | None]]:
    """Every year from the first to the last, with ``None`` where there is no number (a year not published, or
    suppressed): the line breaks there instead of joining 2009 to 2012 as if the years between were known."""
    known = {year: value for year, value in values.items() if isinstance(value, int) and not isinstance(value, bool)}
    if not known:
        return [], []
    years = list(range(min(known), max(known) + 1))
    return years, [known.get(year) for year in years]


def trend(figure: Figure, title: str, official: Mapping[int, Any] | None, official_label: str,
          cases_label: str) -> go.Figure:
    """Persons per year from 0, broken where a year has no number (see ``yearly``)."""
    years, counts = yearly({int(row.category): row.count for row in figure.rows})
    chart = go.Figure(go.Scatter(x=years, y=counts, mode="lines+markers", name=cases_label, connectgaps=False))
    if official:
        official_years, values = yearly(official)
        chart.add_trace(go.Scatter(x=official_years, y=values, mode="lines+markers", name=official_label,
                                   line={"dash": "dot"}, connectgaps=False))
    chart.update_yaxes(rangemode="tozero")
    chart.update_xaxes(tickformat="d")
    return _layout(chart, title)


def sankey(figure: Figure, title: str, labels: Mapping[str, str], transit_suffix: str) -> go.Figure:
    nodes: dict[tuple[str, str], int] = {}

    def node(stage: str, code: str) -> int:
        return nodes.setdefault((stage, code), len(nodes))

    sources, targets, values = [], [], []
    for link in figure.extra["links"]:
        if not link["count"]:
            continue
        if link["stage"] == "origin":
            sources.append(node("citizenship", link["source"]))
            targets.append(node("transit", link["target"]))
        else:
            sources.append(node("transit", link["source"]))
            targets.append(node("exploitation", link["target"]))
        values.append(link["count"])
    names = [labels.get(code, code) + (transit_suffix if stage == "transit" and code != "direct" else "")
             for stage, code in nodes]
    chart = go.Figure(go.Sankey(node={"label": names, "pad": 12},
                                link={"source": sources, "target": targets, "value": values}))
    return _layout(chart, title)


@cache
def region_codes() -> tuple[str, ...]:
    """The ISO codes of the shipped boundaries, drawn in grey under the data for context."""
    collection = json.loads(REGION_GEOJSON.read_text(encoding="utf-8"))
    return tuple(feature["id"] for feature in collection["features"])


def region_map(figure: Figure, title: str, labels: Mapping[str, str], geojson_url: str) -> go.Figure:
    rows = [row for row in figure.rows if row.count is not None]
    base = go.Choropleth(
        geojson=geojson_url, featureidkey="id", locations=list(region_codes()), z=[0] * len(region_codes()),
        colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]], showscale=False, hoverinfo="skip", marker_line_width=0.4,
        marker_line_color="#999999",
    )
    data = go.Choropleth(
        geojson=geojson_url, featureidkey="id", locations=[row.category for row in rows],
        z=[row.count for row in rows], text=[labels.get(row.category, row.category) for row in rows],
        colorscale="Blues", marker_line_width=0.5, hovertemplate="%{text}: %{z}<extra></extra>",
    )
    chart = go.Figure([base, data])
    chart.update_geos(visible=False, projection_type="mercator", lonaxis_range=REGION_LONGITUDES,
                      lataxis_range=REGION_LATITUDES)
    _layout(chart, title)
    chart.update_layout(height=520)
    return chart
