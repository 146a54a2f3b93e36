"""Render the review: a self-contained HTML document with SVG charts (the archived form, and the source
of the PDF), the PDF itself through WeasyPrint, and Plotly charts for the web page."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from palermo.steering import svg
from palermo.steering.models import Decision, SteeringMeeting
from palermo.steering.review import Review, build_review
from palermo.steering.tables import Chart, ReviewTables, build_tables
from palermo.web.charts import chart_html


def meeting_decisions(meeting: SteeringMeeting) -> list[Decision]:
    """The meeting's decisions with their actions (none for a meeting not yet saved)."""
    return list(meeting.decisions.prefetch_related("actions")) if meeting.pk else []


def review_and_tables(
    meeting: SteeringMeeting, language: str, decisions: list[Decision] | None = None
) -> tuple[Review, ReviewTables]:
    """The review and its tables; ``decisions`` when the caller has already loaded them."""
    with translation.override(language):
        review = build_review(meeting.year)
        return review, build_tables(review, meeting_decisions(meeting) if decisions is None else decisions)


def render_document(meeting: SteeringMeeting, language: str) -> bytes:
    """The review as one HTML file: inline style, inline SVG charts, nothing fetched."""
    return render_document_and_review(meeting, language)[0]


def render_document_and_review(meeting: SteeringMeeting, language: str) -> tuple[bytes, Review]:
    review, tables = review_and_tables(meeting, language)
    with translation.override(language):
        separator = str(get_format("DECIMAL_SEPARATOR"))
        charts = [
            (chart, mark_safe(svg.bar_chart(chart.title, chart.categories, chart.series, unit=chart.unit,  # noqa: S308
                                            decimal_separator=separator)))
            for chart in tables.charts.values()
        ]
        html = render_to_string(
            "steering/review_document.html",
            {
                "meeting": meeting,
                "review": review,
                "tables": tables,
                "charts": charts,
                "language": language,
            },
        )
    return html.encode("utf-8"), review


def render_pdf(document: bytes) -> bytes:
    """The PDF of a review document; no URL is fetched (the document holds everything)."""
    from weasyprint import HTML

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"the review document may not fetch {url}")

    return HTML(string=document.decode("utf-8"), url_fetcher=refuse).write_pdf()


def plotly_chart(chart: Chart) -> SafeString:
    figure = go.Figure()
    for name, values in chart.series:
        figure.add_trace(go.Bar(name=name, y=chart.categories, x=values, orientation="h"))
    figure.update_layout(
        title=chart.title,
        barmode="group",
        height=max(260, 60 + 28 * len(chart.categories) * len(chart.series)),
        margin={"l": 180, "r": 20, "t": 50, "b": 30},
        yaxis={"autorange": "reversed"},
        xaxis={"rangemode": "tozero"},
    )
    return chart_html(figure, div_id=f"chart-{chart.slug}")
