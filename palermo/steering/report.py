"""Render the review: a self-contained HTML document with SVG charts (the archived form, and the source
of the PDF), the PDF itself through WeasyPrint, and Plotly charts for the web page."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from palermo.accounts.access import Principal
from palermo.steering import svg
from palermo.steering.figures import DecisionLine, Review, Scope
from palermo.steering.models import Decision, SteeringMeeting
from palermo.steering.review import build_review
from palermo.steering.scope import scoped_review
from palermo.steering.tables import Chart, ReviewTables, build_tables
from palermo.web.charts import chart_html


def meeting_decisions(meeting: SteeringMeeting, user: Principal | None = None) -> list[Decision]:
    """The meeting's decisions with their actions (none for a meeting not yet saved); with ``user``, those the
    user may read (``Decision.objects.visible_to``)."""
    if not meeting.pk:
        return []
    decisions = meeting.decisions.all() if user is None else Decision.objects.visible_to(user).filter(meeting=meeting)
    return list(decisions.prefetch_related("actions"))


def decision_lines(decisions: list[Decision]) -> list[DecisionLine]:
    """The decisions as the review shows them, in the active language."""
    return [
        DecisionLine(
            text=d.text,
            actions=tuple((a.pk, a.iati_identifier) for a in d.actions.all()),
            owner=d.owner,
            due_date=d.due_date,
        )
        for d in decisions
    ]


def review_for(
    meeting: SteeringMeeting, language: str, scope: Scope | None = None, decisions: list[Decision] | None = None
) -> Review:
    """The review computed now in ``language``: the full one, or the version of ``scope``; ``decisions`` when the
    caller has already loaded them (a version keeps those whose every action it holds)."""
    with translation.override(language):
        review = build_review(meeting.year)
        review.decisions = decision_lines(meeting_decisions(meeting) if decisions is None else decisions)
        return review if scope is None else scoped_review(review, scope)


def review_and_tables(
    meeting: SteeringMeeting, language: str, scope: Scope | None = None, decisions: list[Decision] | None = None
) -> tuple[Review, ReviewTables]:
    """The review (full, or the version of ``scope``) and its tables."""
    review = review_for(meeting, language, scope, decisions)
    with translation.override(language):
        return review, build_tables(review)


def render_document(meeting: SteeringMeeting, language: str, scope: Scope | None = None) -> bytes:
    """The review (full, or the version of ``scope``) as one HTML file: inline style, inline SVG charts, nothing
    fetched."""
    return render_review(meeting, review_for(meeting, language, scope), language)


def render_review(meeting: SteeringMeeting, review: Review, language: str) -> bytes:
    """The document of a review already computed (or drawn from a frozen record)."""
    with translation.override(language):
        tables = build_tables(review)
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
    return html.encode("utf-8")


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
