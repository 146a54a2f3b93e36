"""Plotly charts of the dashboard's tables, drawn as the diagnostics draw theirs (``diagnostics.charts.to_html``
emits them). Pure: no Django; every label comes in translated. A suppressed or hidden value is left out of the
chart (its table says "–")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from palermo.diagnostics.disclosure import TOTAL
from palermo.protection.measures import pivot


def _layout(chart: go.Figure, title: str, value_title: str, stacked: bool = False,
            horizontal: bool = False) -> go.Figure:
    chart.update_layout(title=title, margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=360,
                        font={"family": "system-ui, sans-serif"}, barmode="stack" if stacked else "group",
                        legend={"orientation": "h", "traceorder": "normal"})
    if horizontal:
        chart.update_xaxes(title_text=value_title)
        chart.update_yaxes(autorange="reversed")
    else:
        chart.update_yaxes(title_text=value_title)
    return chart


def durations(rows: Sequence[Mapping[str, Any]], title: str, y_title: str, series: Mapping[str, str],
              labels: Mapping[str, str]) -> go.Figure:
    """Grouped bars per country: one bar per measure of ``series`` (column -> translated name)."""
    countries = [row for row in rows if row["country"] != TOTAL]
    names = [labels.get(row["country"], row["country"]) for row in countries]
    chart = go.Figure([go.Bar(x=names, y=[row[column] for row in countries], name=name)
                       for column, name in series.items()])
    return _layout(chart, title, y_title)


def stacked(rows: Sequence[Mapping[str, Any]], title: str, value_title: str, row_key: str, column_key: str,
            value_key: str, columns: Sequence[str], labels: Mapping[str, str],
            fixed: Mapping[str, str] | None = None, horizontal: bool = False) -> go.Figure:
    """Stacked bars: one bar per ``row_key`` value (margin left out), one segment per ``columns`` value;
    ``horizontal`` for long category names."""
    table = pivot(rows, row_key, column_key, value_key, fixed)
    bars = [key for key in table if key != TOTAL]
    names = [labels.get(key, key) for key in bars]
    traces = []
    for column in columns:
        values = [table[key].get(column) for key in bars]
        trace = (go.Bar(y=names, x=values, orientation="h") if horizontal else go.Bar(x=names, y=values))
        trace.name = labels.get(column, column)
        traces.append(trace)
    chart = go.Figure(traces)
    if horizontal:
        chart.update_layout(height=max(360, 40 * len(bars) + 120))
    return _layout(chart, title, value_title, stacked=True, horizontal=horizontal)
