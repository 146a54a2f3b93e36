"""Plotly charts on pages, one way for every page.

A chart is a ``<div class="chart">`` holding its figure as JSON (``<script type="application/json">``, which
runs nothing); ``static/palermo/charts.js`` draws every such div once the Plotly bundle has loaded. Both
scripts are deferred (``web/_charts.html`` in the page's ``head`` block), so the page shows before the 4.8 MB
bundle arrives and no chart code runs before the library is there. A figure with nothing to draw shows
"No data for this selection." instead of an empty frame.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from plotly.io.json import to_json_plotly

DEFAULT_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True}
# The attributes that carry a trace's values; a trace without any (or a background layer that skips hover,
# such as the grey map of the region) draws no data.
VALUE_KEYS = ("x", "y", "z", "values", "locations", "lat", "lon")


def _filled(values: Any) -> bool:
    if values is None or isinstance(values, str):
        return False
    try:
        return any(value is not None for value in values)
    except TypeError:
        return True


def trace_has_data(trace: Mapping[str, Any]) -> bool:
    if trace.get("hoverinfo") == "skip":
        return False
    link = trace.get("link")
    if isinstance(link, Mapping) and "value" in link:
        return any(value for value in link["value"] or ())
    return any(_filled(trace.get(key)) for key in VALUE_KEYS)


def figure_has_data(traces: Sequence[Mapping[str, Any]]) -> bool:
    return any(trace_has_data(trace) for trace in traces)


def chart_html(
    figure: go.Figure | Mapping[str, Any],
    *,
    div_id: str = "",
    config: Mapping[str, Any] | None = None,
    has_data: bool | None = None,
) -> SafeString:
    """The chart's div for a template (``{{ chart }}``): its figure, data and layout, and Plotly's config.

    ``has_data`` overrides the test on the traces' values (``figure_has_data``)."""
    spec = dict(figure.to_plotly_json()) if isinstance(figure, go.Figure) else dict(figure)
    data = list(spec.get("data") or [])
    layout = dict(spec.get("layout") or {})
    if not (figure_has_data(data) if has_data is None else has_data):
        title = _title(layout)
        return format_html(
            '<div class="chart chart-empty"{}>{}<p>{}</p></div>',
            format_html(' id="{}"', div_id) if div_id else "",
            format_html('<p class="chart-title">{}</p>', title) if title else "",
            _("No data for this selection."),
        )
    payload = to_json_plotly({"data": data, "layout": layout, "config": {**DEFAULT_CONFIG, **(config or {})}})
    height = layout.get("height")
    return format_html(
        '<div class="chart"{}{}><script type="application/json">{}</script></div>',
        format_html(' id="{}"', div_id) if div_id else "",
        format_html(' style="min-height:{}px"', int(height)) if isinstance(height, (int, float)) else "",
        mark_safe(payload),  # noqa: S308 - Plotly's encoder escapes "<" and "/": nothing in it closes the script
    )


def _title(layout: Mapping[str, Any]) -> str:
    title = layout.get("title")
    if isinstance(title, Mapping):
        title = title.get("text")
    return str(title) if title else ""
