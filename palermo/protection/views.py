"""The objective-3 dashboard page and its downloads (the API gives the same figures: api.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from palermo import i18n
from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.diagnostics import charts as diagnostics_charts
from palermo.diagnostics.access import scope_for
from palermo.diagnostics.disclosure import TOTAL
from palermo.diagnostics.figures import Scope
from palermo.diagnostics.views_support import ScopeError
from palermo.protection import charts, labels, measures, records
from palermo.protection.access import OutOfScope, dashboard_scope, may_view_dashboard
from palermo.reference.models import Country
from palermo.web.charts import chart_html
from palermo.web.listing import download as download_table
from palermo.web.listing import requested_format

DASH = "–"


def _cell(value: Any, kind: str = "count") -> str:
    """A value as the page shows it, in the active language; "–" for a suppressed or hidden one."""
    if value is None:
        return DASH
    if kind == "share":
        return i18n.percent(value)
    if kind == "days":
        return number_format(value, decimal_pos=1)
    return number_format(value, force_grouping=True)


def _table(columns: Sequence[tuple[str, str]], rows: Sequence[Mapping[str, Any]], row_key: str,
           names: Mapping[str, str], kinds: Mapping[str, str] | None = None) -> dict[str, Any]:
    kinds = kinds or {}
    return {"caption": "", "headers": [title for _key, title in columns],
            "rows": [{"label": names.get(row[row_key], row[row_key]), "is_total": row[row_key] == TOTAL,
                      "cells": [_cell(row[key], kinds.get(key, "count")) for key, _title in columns[1:]]}
                     for row in rows]}


def _pivot_table(rows: Sequence[Mapping[str, Any]], first: str, row_key: str, column_key: str, value_key: str,
                 columns: Sequence[str], names: Mapping[str, str],
                 fixed: Mapping[str, str] | None = None, caption: str = "") -> dict[str, Any]:
    table = measures.pivot(rows, row_key, column_key, value_key, fixed)
    headers = [first, *(names.get(c, c) for c in columns), names[TOTAL]]
    return {"caption": caption, "headers": headers,
            "rows": [{"label": names.get(key, key), "is_total": key == TOTAL,
                      "cells": [_cell(values.get(c)) for c in (*columns, TOTAL)]} for key, values in table.items()]}


def _scope(request: AuthenticatedHttpRequest) -> Scope:
    try:
        return dashboard_scope(request.user, request.GET)
    except ScopeError as error:
        messages.error(request, str(error))
        return scope_for(request.user)


def _html(chart: Any, name: str) -> str:
    spec = diagnostics_charts.to_spec(chart, settings.STATIC_URL)
    return chart_html(spec, div_id=f"chart-{name}", config=spec["config"])


def sections(result: measures.Dashboard) -> list[dict[str, Any]]:
    """Each figure of the page: its title, chart, table(s) and note, in the active language."""
    names = labels.names(result.options)
    sections_ = result.sections
    countries = result.options.countries
    supported = measures.pivot(sections_["assistance"], "support_type", "country", "persons")[TOTAL][TOTAL]
    days, persons = _("days"), _("persons")
    duration_series = {"referral_median": _("Median days to referral"),
                       "referral_p90": _("90th percentile") + " " + _("(referral)"),
                       "identification_median": _("Median days to identification"),
                       "identification_p90": _("90th percentile") + " " + _("(identification)")}
    duration_columns = [("country", _("Country")), ("referred", _("Persons referred")),
                        ("referral_median", _("Median days to referral")), ("referral_p90", _("90th percentile")),
                        ("identified", _("Persons formally identified")),
                        ("identification_median", _("Median days to identification")),
                        ("identification_p90", _("90th percentile"))]
    guardian_columns = [("country", _("Country")), *((o, names[o]) for o in measures.GUARDIAN_OUTCOMES),
                        ("minors", _("Minors")), ("share_on_time", _("Share within the deadline"))]
    kinds = {"referral_median": "days", "referral_p90": "days", "identification_median": "days",
             "identification_p90": "days", "share_on_time": "share"}
    guardians_long = measures.long_rows(sections_["guardians"], "country", "outcome", measures.GUARDIAN_OUTCOMES,
                                        "minors")
    by_sex = {"age_band": TOTAL}
    by_band = {"sex": TOTAL}
    return [
        {"name": "durations", "title": labels.TITLES["durations"],
         "charts": [_html(charts.durations(sections_["durations"], str(labels.TITLES["durations"]), days,
                                           duration_series, names), "durations")],
         "tables": [_table(duration_columns, sections_["durations"], "country", names, kinds)],
         "note": str(labels.NOTES["durations"]) % {"k": result.options.k}},
        {"name": "guardians", "title": labels.TITLES["guardians"],
         "charts": [_html(charts.stacked(guardians_long, str(labels.TITLES["guardians"]), _("minors"), "country",
                                         "outcome", "minors", measures.GUARDIAN_OUTCOMES, names), "guardians")],
         "tables": [_table(guardian_columns, sections_["guardians"], "country", names, kinds)],
         "note": labels.NOTES["guardians"]},
        {"name": "assistance", "title": labels.TITLES["assistance"],
         "charts": [_html(charts.stacked(sections_["assistance"], str(labels.TITLES["assistance"]), persons,
                                         "support_type", "country", "persons", countries, names, horizontal=True),
                          "assistance")],
         "tables": [_pivot_table(sections_["assistance"], _("Type of support"), "support_type", "country", "persons",
                                 countries, names)],
         "note": labels.NOTES["assistance"], "empty": supported == 0},
        {"name": "referrals", "title": labels.TITLES["referrals"],
         "charts": [_html(charts.stacked(sections_["referrals"], _("By sex"), persons, "country", "sex", "referrals",
                                         measures.SEXES, names, by_sex), "referrals-sex"),
                    _html(charts.stacked(sections_["referrals"], _("By age band (CTDC)"), persons, "country",
                                         "age_band", "referrals", measures.AGE_BANDS, names, by_band),
                          "referrals-age")],
         "tables": [_pivot_table(sections_["referrals"], _("Country"), "country", "sex", "referrals", measures.SEXES,
                                 names, by_sex, _("By sex")),
                    _pivot_table(sections_["referrals"], _("Country"), "country", "age_band", "referrals",
                                 measures.AGE_BANDS, names, by_band, _("By age band (CTDC)"))],
         "note": labels.NOTES["referrals"]},
    ]


@signed_in
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_view_dashboard(request.user):
        raise Http404
    scope = _scope(request)
    result = records.compute(scope, timezone.now(), labels.support_type_codes())
    own = request.user.country_codes()
    choices = Country.objects.programme() if own is None else Country.objects.filter(code__in=own)
    return render(request, "protection/dashboard.html", {
        "scope": scope, "options": result.options, "sections": sections(result), "query": request.GET.urlencode(),
        "countries": choices.order_by("code"), "selected_country": request.GET.get("country", "").upper(),
        "formats": ("csv", "xlsx"), "every_country": own is None,
        "scope_countries": Country.objects.names_of(result.options.countries),
    })


@signed_in
def download(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    """One figure's table as CSV or XLSX (``?format=``), suppressed cells empty; audited as an export."""
    fmt = requested_format(request)
    if not may_view_dashboard(request.user) or name not in measures.SECTIONS or fmt is None:
        raise Http404
    try:
        scope = dashboard_scope(request.user, request.GET)
    except ScopeError as error:
        refused = 403 if isinstance(error, OutOfScope) else 400
        return HttpResponse(str(error), status=refused, content_type="text/plain; charset=utf-8")
    result = records.compute(scope, timezone.now(), labels.support_type_codes())
    rows = measures.as_rows(result.sections[name])
    headers = [*rows[0].keys(), "exact", "k"]  # every table has at least its total row
    released_k = "" if scope.exact else scope.k
    return download_table(
        request, name=f"protection-{name}", fmt=fmt, headers=headers,
        rows=[[*row.values(), scope.exact, released_k] for row in rows],
        detail={"exact": scope.exact, "countries": list(result.options.countries), "year": result.options.year})
