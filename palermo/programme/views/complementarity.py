"""The complementarity analysis pages: the matrix (aggregates, for everyone), overlap alerts and the
timeline (Gantt chart) of a country (portfolio roles: they name actions), gap alerts (aggregates and
public GRETA recommendations, for everyone). Each has its CSV and XLSX download."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import FilterSet

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.partners.models import Organisation
from palermo.programme import complementarity as logic
from palermo.programme import portfolio
from palermo.programme.access import require_portfolio
from palermo.programme.filters import GapFilter, MatrixFilter
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActivityStatus,
    Channel,
    GretaRecommendation,
    TargetGroup,
    TraffickingForm,
)
from palermo.reference.models import Country, Objective
from palermo.web.charts import chart_html
from palermo.web.listing import download, own_country, requested_format, with_defaults

YEARS = range(2014, 2028)  # offered by the year menus; any year of portfolio.PORTFOLIO_YEARS is accepted
MATRIX_HEADERS = (_lazy("Country"), _lazy("Objective"), _lazy("Channel"), _lazy("Actions"), _lazy("Committed (EUR)"),
                  _lazy("Disbursed (EUR)"), _lazy("Share of the portfolio (%)"))
OVERLAP_HEADERS = (_lazy("Action"), _lazy("Similar action"), _lazy("Countries"), _lazy("Objectives"),
                   _lazy("Target groups"), _lazy("Similarity"))
GAP_HEADERS = (_lazy("Gap"), _lazy("Country"), _lazy("Objective"), _lazy("Detail"))
TIMELINE_HEADERS = (_lazy("Identifier"), _lazy("Title"), _lazy("Channel"), _lazy("Status"), _lazy("Planned start"),
                    _lazy("Planned end"), _lazy("Actual start"), _lazy("Actual end"))


def _refused(request: AuthenticatedHttpRequest, template: str, filterset: FilterSet) -> HttpResponse:
    """The page with the filters it cannot apply, and nothing computed."""
    return render(request, template, {"filterset": filterset, "refused": True, "years": YEARS,
                                      "statuses": ActivityStatus.choices, "query": request.GET.urlencode()},
                  status=400)


@signed_in
def matrix(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = MatrixFilter(request.GET, queryset=Action.objects.none())
    if not filterset.is_valid():
        return _refused(request, "programme/matrix.html", filterset)
    year, statuses = filterset.matrix_parameters()
    result = portfolio.matrix_for(filterset.matrix_actions(Action.objects.all()), year=year, statuses=statuses)
    countries = list(Country.objects.programme())
    names = {o.number: f"{o.number}. {o.name}" for o in Objective.objects.all()}
    channel_rows = _channel_rows(result.cells, countries, names)
    if fmt := requested_format(request):
        rows = [[r["country"], r["objective"], r["channel"], r["cell"].actions, r["cell"].committed,
                 r["cell"].disbursed, r["cell"].share] for r in channel_rows]
        return download(request, name="complementarity_matrix", fmt=fmt, headers=MATRIX_HEADERS, rows=rows)
    by_cell: dict[tuple[str, int], dict[str, Any]] = {}
    for cell in result.cells:
        entry = by_cell.setdefault((cell.country, cell.objective), {"actions": 0, "committed": 0, "channels": []})
        entry["actions"] += cell.actions
        entry["committed"] += cell.committed
        entry["channels"].append(cell)
    grid = [
        {"country": c, "cells": [by_cell.get((c.code, n)) for n in names]} for c in countries
    ]
    figure = go.Figure(go.Heatmap(
        z=[[float(by_cell.get((c.code, n), {}).get("committed", 0)) for n in names] for c in countries],
        x=[names[n] for n in names], y=[c.name for c in countries], colorscale="Blues",
        hovertemplate="%{y} · %{x}<br>EUR %{z:,.0f}<extra></extra>",
    ))
    figure.update_layout(height=480, margin={"l": 160, "r": 20, "t": 30, "b": 80},
                         title=_("EUR committed by country and objective"),
                         yaxis={"autorange": "reversed"})  # the first country on top, as in the tables
    return render(request, "programme/matrix.html", {
        "result": result, "grid": grid, "objectives": names, "channel_table": _channel_table(channel_rows),
        "year": year,
        "statuses": ActivityStatus.choices, "chosen_statuses": statuses or [], "channels": dict(Channel.choices),
        "trafficking_forms": TraffickingForm.choices,
        "trafficking_form": filterset.form.cleaned_data.get("trafficking_form") or "",
        "chart": chart_html(figure, div_id="chart-matrix", has_data=bool(result.cells)),
        "query": request.GET.urlencode(), "years": YEARS, "filterset": filterset,
    })


def _country_names(codes: set[str]) -> dict[str, str]:
    return {c.code: c.name for c in Country.objects.filter(code__in=codes)}


def _channel_rows(cells: list[logic.Cell], countries: list[Country],
                  objectives: dict[int, str]) -> list[dict[str, Any]]:
    """The country x objective x channel cells with names, in the heatmap's order: programme countries as listed
    there, then other countries by name, then actions without a country; objectives by number; channels as
    offered."""
    order = {c.code: index for index, c in enumerate(countries)}
    others = _country_names({cell.country for cell in cells} - set(order))
    names = {**{c.code: c.name for c in countries}, **others}
    channel_order = {value: index for index, value in enumerate(Channel.values)}
    channels = dict(Channel.choices)

    def key(cell: logic.Cell) -> tuple[int, str, int, int]:
        rank = order.get(cell.country, len(order) if cell.country else len(order) + 1)
        return (rank, names.get(cell.country, ""), cell.objective or 99, channel_order.get(cell.channel, 99))

    return [
        {"country": names.get(cell.country, cell.country) if cell.country else _("no country given"),
         "objective": objectives.get(cell.objective, _("no objective given")), "channel": channels.get(
             cell.channel, cell.channel), "cell": cell}
        for cell in sorted(cells, key=key)
    ]


def _channel_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The country x objective x channel table on one screen: a line per country and objective (in ``rows``'
    order), a column per channel; ``span`` on a country's first line is how many lines it has."""
    lines: list[dict[str, Any]] = []
    for row in rows:
        cell: logic.Cell = row["cell"]
        if not lines or (lines[-1]["country"], lines[-1]["objective"]) != (row["country"], row["objective"]):
            lines.append({"country": row["country"], "objective": row["objective"], "cells": {}, "span": 0,
                          "share": Decimal("0")})
        lines[-1]["cells"][cell.channel] = cell
        lines[-1]["share"] += cell.share
    first: dict[str, Any] | None = None
    for line in lines:
        if first is None or first["country"] != line["country"]:
            first = line
        first["span"] += 1
        line["by_channel"] = [line["cells"].get(channel) for channel in Channel.values]
    return lines


@signed_in
def overlaps(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_portfolio(request.user)
    threshold = logic.DEFAULT_SIMILARITY_THRESHOLD
    facts = portfolio.facts_for(Action.objects.visible_to(request.user))
    found = logic.overlaps(facts, threshold=threshold)
    org_names = dict(Organisation.objects.values_list("pk", "name"))
    groups = dict(TargetGroup.choices)
    channels = dict(Channel.choices)
    country_names = _country_names({code for o in found for code in o.countries})
    alerts = [
        {"overlap": o, "beneficiaries": [org_names.get(b, b) for b in o.beneficiaries],
         "groups": [groups.get(g, g) for g in o.target_groups],
         "countries": [country_names.get(c, c) for c in o.countries],
         "channels": [channels.get(o.first.channel, o.first.channel), channels.get(o.second.channel, o.second.channel)]}
        for o in found
    ]
    if fmt := requested_format(request):
        rows = [[f"{o.first.identifier} {o.first.title}", f"{o.second.identifier} {o.second.title}",
                 "; ".join(country_names.get(c, c) for c in o.countries), "; ".join(map(str, o.objectives)),
                 "; ".join(str(groups.get(g, g)) for g in o.target_groups), o.similarity] for o in found]
        return download(request, name="overlap_alerts", fmt=fmt, rows=rows, headers=OVERLAP_HEADERS)
    return render(request, "programme/overlaps.html", {"alerts": alerts, "threshold": threshold})


@signed_in
def gaps(request: AuthenticatedHttpRequest) -> HttpResponse:
    params = with_defaults(request.GET, {"country": own_country(request.user)})
    filterset = GapFilter(params, queryset=Action.objects.none())
    if not filterset.is_valid():
        return _refused(request, "programme/gaps.html", filterset)
    year = filterset.form.cleaned_data.get("year") or date.today().year
    chosen = filterset.form.cleaned_data.get("country")
    programme = list(Country.objects.programme())
    countries = [c for c in programme if chosen is None or c.code == chosen.code]
    numbers = list(Objective.objects.values_list("number", flat=True))
    found = logic.gaps(
        portfolio.facts_for(Action.objects.all()), countries=[c.code for c in countries], objectives=numbers,
        recommendations=portfolio.recommendation_facts(
            GretaRecommendation.objects.filter(country__in=countries).order_by("country", "round")),
        year=year,
        case_forms=(cases := portfolio.case_forms(year)),
    )
    names = {c.code: c.name for c in countries}
    groups = dict(TargetGroup.choices)
    forms = dict(TraffickingForm.choices)
    recommendations = GretaRecommendation.objects.select_related("country").in_bulk(
        [r.id for r in found.unanswered_urges])
    if fmt := requested_format(request):
        objective_names = {o.number: f"{o.number}. {o.name}" for o in Objective.objects.all()}
        rows: list[list[Any]] = [[_("country and objective with no active action"), names.get(c, c),
                                  objective_names.get(o, o), ""] for c, o in found.uncovered_cells]
        rows += [[_("GRETA 'urges' recommendation no action answers"), names.get(r.country, r.country), "", r.label]
                 for r in found.unanswered_urges]
        rows += [[_("target group with no active action in a country"), names.get(c, c), "", str(groups.get(g, g))]
                 for g, c in found.uncovered_groups]
        rows += [[_("form of trafficking with case records and no active action in a country"), names.get(c, c), "",
                  str(forms[form])] for form, c in found.uncovered_forms]
        return download(request, name="gap_alerts", fmt=fmt, rows=rows, headers=GAP_HEADERS)
    return render(request, "programme/gaps.html", {
        "year": year, "years": YEARS, "query": params.urlencode(), "programme": programme,
        "country": chosen.code if chosen else "",
        "cells": [(names[c], o) for c, o in found.uncovered_cells],
        "urges": [recommendations[r.id] for r in found.unanswered_urges],
        "groups": [(groups[g], names[c]) for g, c in found.uncovered_groups],
        "forms": [(forms[form], names[c], cases.get((form, c), 0)) for form, c in found.uncovered_forms],
    })


@signed_in
def timeline(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_portfolio(request.user)
    countries = list(Country.objects.programme())
    own = request.user.country_codes() or frozenset()  # a user of several countries opens on the first of them
    code = request.GET.get("country") or next((c.code for c in countries if c.code in own),
                                              countries[0].code if countries else "")
    if code not in {country.code for country in countries}:
        raise Http404
    actions = list(
        Action.objects.visible_to(request.user)
        .filter(pk__in=ActionCountry.objects.filter(country_id=code).values("action_id"))
        .exclude(planned_start__isnull=True, actual_start__isnull=True)
        .order_by("planned_start", "iati_identifier")
    )
    if fmt := requested_format(request):
        rows = [[a.iati_identifier, a.title, a.get_channel_display(), a.get_status_display(), a.planned_start,
                 a.planned_end, a.actual_start, a.actual_end] for a in actions]
        return download(request, name=f"timeline_{code}", fmt=fmt, headers=TIMELINE_HEADERS, rows=rows)
    figure = go.Figure()
    for label, start_field, end_field, colour in ((_("planned"), "planned_start", "planned_end", "#9ecae1"),
                                                  (_("actual"), "actual_start", "actual_end", "#08519c")):
        spans = [(a, getattr(a, start_field), getattr(a, end_field) or date.today()) for a in actions
                 if getattr(a, start_field)]
        figure.add_trace(go.Bar(
            name=label, orientation="h", y=[a.iati_identifier for a, _s, _e in spans],
            base=[s.isoformat() for _a, s, _e in spans],
            x=[(e - s).days * 86_400_000 for _a, s, e in spans], marker_color=colour,
            hovertext=[a.title for a, _s, _e in spans],
        ))
    figure.update_layout(barmode="group", xaxis={"type": "date"}, height=max(300, 22 * len(actions) + 120),
                         margin={"l": 220, "r": 20, "t": 30, "b": 40}, yaxis={"autorange": "reversed"})
    return render(request, "programme/timeline.html", {
        "countries": countries, "code": code, "actions": actions,
        "chart": chart_html(figure, div_id="chart-timeline"),
    })
