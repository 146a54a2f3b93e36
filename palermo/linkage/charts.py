"""The match-weights chart of a trained model, drawn with Plotly from Splink's model JSON: one bar per comparison
level, its weight log2(m/u) (how much agreeing at that level says for a match), and the prior as its own bar.

Pure: no Django; ``palermo.web.charts.chart_html`` puts the figure in a page.
"""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go


def level_weights(model: dict[str, Any]) -> list[dict[str, Any]]:
    """(comparison, level, m, u, weight) of each non-null level of the model, the prior first."""
    rows: list[dict[str, Any]] = []
    prior = float(model.get("probability_two_random_records_match") or 0)
    if 0 < prior < 1:
        rows.append({"comparison": "prior", "level": "probability two random records match", "m": None,
                     "u": None, "weight": round(math.log2(prior / (1 - prior)), 3)})
    for comparison in model.get("comparisons", []):
        name = comparison.get("output_column_name", "")
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = round(math.log2(m / u), 3) if m and u else None
            rows.append({"comparison": name, "level": level.get("label_for_charts", level.get("sql_condition", "")),
                         "m": m, "u": u, "weight": weight})
    return rows


def match_weights_figure(model: dict[str, Any], *, title: str = "") -> go.Figure:
    rows = [row for row in level_weights(model) if row["weight"] is not None]
    labels = [f"{row['comparison']}: {row['level']}" for row in rows]
    figure = go.Figure(go.Bar(
        x=[row["weight"] for row in rows], y=labels, orientation="h",
        marker_color=["#2a7f62" if row["weight"] >= 0 else "#b0413e" for row in rows],
        hovertemplate="%{y}<br>%{x:.2f}<extra></extra>"))
    figure.update_layout(title=title, height=max(300, 22 * len(rows) + 80), margin={"l": 360, "r": 20, "t": 40},
                         yaxis={"autorange": "reversed"}, xaxis={"title": "log2(m/u)"})
    return figure
