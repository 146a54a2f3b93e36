"""Plotly charts of the dashboard's tables, drawn as the diagnostics draw theirs (``diagnostics.charts.to_html``
emits them). Pure: no Django; every label comes in translated. A suppressed or hidden value is left out of the
chart (its table says "–")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from palermo.diagnostics.disclosure import TOTAL
from palermo.protection.measures import pivot


def _layout(chart: go.Figure, title: str, y_title: str, stacked: bool = False) -> go.Figure:
    chart.update_layout(title=title, margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=360,
                        font={"family": "system-ui, sans-serif"}, barmode="stack" if stacked else "group",
                        legend={"orientation": "h"})
    chart.update_yaxes(title_text=y_title)
    return chart


def durations(rows: Sequence[Mapping[str, Any]], title: str, y_title: str, series: Mapping[str, str],
              labels: Mapping[str, str]) -> go.Figure:
    """Grouped bars per country: one bar per measure of ``series`` (column -> translated name)."""
    countries = [row for row in rows if row["country"] != TOTAL]
    names = [labels.get(row["country"], row["country"]) for row in countries]
    chart = go.Figure([go.Bar(x=names, y=[row[column] for row in countries], name=name)
                       for column, name in series.items()])
    return _layout(chart, title, y_title)


def stacked(rows: Sequence[Mapping[str, Any]], title: str, y_title: str, row_key: str, column_key: str,
            value_key: str, columns: Sequence[str], labels: Mapping[str, str],
            fixed: Mapping[str, str] | None = None) -> go.Figure:
    """Stacked bars: one bar per ``row_key`` value (margin left out), one segment per ``columns`` value."""
    table = pivot(rows, row_key, column_key, value_key, fixed)
    bars = [key for key in table if key != TOTAL]
    names = [labels.get(key, key) for key in bars]
    chart = go.Figure([go.Bar(x=names, y=[table[key].get(column) for key in bars], name=labels.get(column, column))
                       for column in columns])
    return _layout(chart, title, y_title, stacked=True)
