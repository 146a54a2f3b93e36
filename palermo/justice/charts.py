"""Plotly charts of the justice figures. Pure: no Django; every label comes in translated. A suppressed or hidden
value ("<5", None) is left out of a chart (its table says what was published)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go


def number(value: Any) -> float | None:
    """A value a chart can draw: a count or an amount; not "<5", not a hidden one."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    return float(value)


def _layout(chart: go.Figure, title: str, value_title: str, stacked: bool = False,
            separators: str = ".,") -> go.Figure:
    chart.update_layout(title=title, margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=360,
                        font={"family": "system-ui, sans-serif"}, barmode="stack" if stacked else "group",
                        legend={"orientation": "h"}, separators=separators)
    chart.update_yaxes(title_text=value_title, rangemode="tozero")
    return chart


def side_by_side(years: Sequence[int], series: Mapping[str, Sequence[Any]], title: str, value_title: str,
                 separators: str = ".,") -> go.Figure:
    """Grouped bars per year, one bar per series (ours, UNODC's): a missing or suppressed value draws no bar."""
    chart = go.Figure([go.Bar(x=list(years), y=[number(v) for v in values], name=name)
                       for name, values in series.items()])
    chart.update_xaxes(type="category")
    return _layout(chart, title, value_title, separators=separators)


def grouped(categories: Sequence[str], series: Mapping[str, Sequence[Any]], title: str, value_title: str,
            stacked: bool = False, separators: str = ".,") -> go.Figure:
    """Bars per category (a country), one per series; ``stacked`` stacks them (a distribution)."""
    chart = go.Figure([go.Bar(x=list(categories), y=[number(v) for v in values], name=name)
                       for name, values in series.items()])
    return _layout(chart, title, value_title, stacked=stacked, separators=separators)


def lines(years: Sequence[int], series: Mapping[str, Sequence[Any]], title: str, value_title: str,
          separators: str = ".,") -> go.Figure:
    """One line per series over the years, broken where a value is missing."""
    chart = go.Figure([go.Scatter(x=list(years), y=[number(v) for v in values], name=name, mode="lines+markers",
                                  connectgaps=False) for name, values in series.items()])
    chart.update_xaxes(type="category")
    return _layout(chart, title, value_title, separators=separators)
