"""Shared by the pages and the API: reading the scope from a query, computing figures, labelling categories."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter

from palermo.accounts.models import User
from palermo.api.schema import or_empty
from palermo.diagnostics import cached, figures, snapshot
from palermo.diagnostics.access import scope_for
from palermo.diagnostics.figures import Figure, Scope
from palermo.reference.filters import country_schema
from palermo.reference.models import Country

FIGURE_TITLES = {
    "trend": gettext_lazy("Victims by year identified"),
    "country_of_exploitation": gettext_lazy("Country of exploitation"),
    "citizenship": gettext_lazy("Citizenship"),
    "sex": gettext_lazy("Sex"),
    "age_band": gettext_lazy("Age band (CTDC)"),
    "minors": gettext_lazy("Minors at exploitation"),
    "forms": gettext_lazy("Forms of exploitation"),
    "means_of_control": gettext_lazy("Means of control"),
    "recruitment_methods": gettext_lazy("Recruitment method"),
    "recruiter_relation": gettext_lazy("Relation to the recruiter"),
    "thb_form": gettext_lazy("Form of trafficking"),
    "flows": gettext_lazy("Flows: citizenship → transit → exploitation"),
}
FIGURE_NAMES = tuple(FIGURE_TITLES)
# a year as the filters read it (``four_digit_year``): four ASCII digits
YEAR_SCHEMA = {"type": "integer", "minimum": 1000, "maximum": 9999}
SCHEMA_PARAMETERS = [
    OpenApiParameter("country", country_schema(snapshot.ALL),
                     description="ISO alpha-2 owner country, or 'all'; default: your own countries"),
    OpenApiParameter("year_from", or_empty(YEAR_SCHEMA)),
    OpenApiParameter("year_to", or_empty(YEAR_SCHEMA)),
]


class ScopeError(ValueError):
    """A filter that cannot be read; the message names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def four_digit_year(text: str) -> int | None:
    """The year written as four ASCII digits, else None (``str.isdigit`` also accepts "²")."""
    return int(text) if re.fullmatch(r"[0-9]{4}", text) else None


def scope_from_query(user: User, params: Mapping[str, Any]) -> Scope:
    country = str(params.get("country") or "").strip()
    if country and country != snapshot.ALL:
        country = country.upper()
        if len(country) != 2 or not Country.objects.filter(code=country).exists():
            raise ScopeError("country", _("Unknown country code %(code)r: give an ISO 3166 alpha-2 code such as RO.")
                             % {"code": country})
    years: dict[str, int | None] = {}
    for name in ("year_from", "year_to"):
        value = str(params.get(name) or "").strip()
        years[name] = four_digit_year(value) if value else None
        if value and years[name] is None:
            raise ScopeError(name, _("A year is four digits, such as 2021."))
    return scope_for(user, country or None, year_from=years["year_from"], year_to=years["year_to"])


def describe_scope(scope: Scope) -> dict[str, Any]:
    return {"countries": sorted(scope.countries) if scope.countries is not None else None, "exact": scope.exact,
            "k": None if scope.exact else scope.k, "year_from": scope.year_from, "year_to": scope.year_to}


def compute_figure(name: str, scope: Scope) -> Figure:
    """One figure for the scope, computed once per snapshot version and scope (``cached``)."""

    def compute() -> Figure:
        with snapshot.open_snapshot() as snap:
            if name == "trend":
                return figures.trend(snap, scope)
            if name == "flows":
                return figures.flows(snap, scope)
            return figures.distribution(snap, name, scope)

    return cached.remember("figure", [name, cached.scope_key(scope)], compute)


def compute_dashboard(scope: Scope) -> dict[str, Figure]:
    """Every figure of the dashboard for the scope, computed once per snapshot version and scope (``cached``)."""

    def compute() -> dict[str, Figure]:
        with snapshot.open_snapshot() as snap:
            return figures.dashboard(snap, scope)

    return cached.remember("dashboard", [cached.scope_key(scope)], compute)


def category_labels() -> dict[str, str]:
    """Readable names for codes: countries, forms, HTCDS code lists, sexes, minors."""
    from palermo.reference.models import ExploitationForm, ThbForm

    labels: dict[str, str] = {c.code: c.name for c in Country.objects.all()}
    labels.update({f.code: f.name for f in ExploitationForm.objects.all()})
    labels.update({f.code: f.name for f in ThbForm.objects.all()})
    labels.update({"female": _("female"), "male": _("male"), "other": _("other"), "unknown": _("unknown"),
                   "minor": _("minor"), "adult": _("adult"), "direct": _("no transit")})
    try:
        from palermo.cases import codes
        from palermo.cases.choices import choices
    except ImportError:  # pragma: no cover - the cases app is optional for the diagnostics
        return labels
    for code_list in (codes.MeansOfControl, codes.RecruitmentMethod, codes.RecruiterRelation):
        labels.update({value: str(label) for value, label in choices(code_list)})
    return labels


def figure_table(figure: Figure, labels: Mapping[str, str]) -> tuple[list[str], list[list[Any]]]:
    """The figure as a table (headers, rows) for its CSV download; shares and changes to four decimals."""
    released_k = "" if figure.exact else figure.k
    if figure.name == "flows":
        return ["stage", "source", "target", "count", "exact", "k"], [
            [link["stage"], link["source"], link["target"], link["count"], figure.exact, released_k]
            for link in figure.extra["links"]]
    rows = [[row.category, labels.get(row.category, row.category), row.count, _four_decimals(row.share),
             _four_decimals(row.change), figure.denominator, figure.exact, released_k] for row in figure.rows]
    if figure.multi_valued and figure.rows:  # the victims, last: the categories' sum is not a count of anyone
        rows.append(["", str(gettext_lazy("Victims (each counted once; not the sum of the categories)")),
                     figure.denominator, None, None, figure.denominator, figure.exact, released_k])
    return ["category", "label", "count", "share", "change", "denominator", "exact", "k"], rows


def _four_decimals(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.4f}")
