from __future__ import annotations

import zlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from palermo import tabular
from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.diagnostics import cached, charts, services, views_support
from palermo.diagnostics import official as official_page
from palermo.diagnostics.access import access_release, may_release, scope_for
from palermo.diagnostics.figures import Figure, Scope
from palermo.diagnostics.filters import ReleaseFilter
from palermo.diagnostics.forms import ReleaseForm
from palermo.diagnostics.jobs import REFRESH_KIND, RELEASE_KIND
from palermo.diagnostics.models import Indicator, Release
from palermo.diagnostics.releases import ReleaseError
from palermo.diagnostics.snapshot import ALL
from palermo.jobs.models import Job
from palermo.linkage.figures import latest_unique_count
from palermo.reference.models import Country
from palermo.web.charts import chart_html
from palermo.web.listing import download, file_response, list_page, own_country, requested_format

MAP_FIGURE = "country_of_exploitation"


def _scope(request: AuthenticatedHttpRequest) -> Scope:
    try:
        return views_support.scope_from_query(request.user, request.GET)
    except views_support.ScopeError as error:
        messages.error(request, str(error))
        return scope_for(request.user)


def _official_by_year(scope: Scope) -> dict[int, Any]:
    """GLOTIP detected victims per year over the countries of the scope: a number, ``"<5"`` when the only
    value is suppressed, or ``"N+"`` when a suppressed value (1 to 4) adds to N."""
    countries = scope.countries
    if countries is None:  # "all countries" means the programme's: not a world total
        countries = frozenset(Country.objects.programme().values_list("code", flat=True))
    by_country = services.official_detected_victims(countries)
    sums: dict[int, int] = {}
    suppressed: set[int] = set()
    for series in by_country.values():
        for year, value in series.items():
            sums.setdefault(year, 0)
            if value == "<5":
                suppressed.add(year)
            else:
                sums[year] += value
    out: dict[int, Any] = {}
    for year, total in sums.items():
        if year in suppressed:
            out[year] = "<5" if total == 0 else f"{total}+"
        else:
            out[year] = total
    return out


def _chart(name: str, figure: Figure, labels: dict[str, str], official: dict[int, Any]) -> str:
    static_url = settings.STATIC_URL  # a folder: static("") raises under the hashed (manifest) storage
    title = str(views_support.FIGURE_TITLES[name])
    if name == "trend":
        plot = charts.trend(figure, title, official, _("UNODC GLOTIP detected victims"), _("cases in Palermo"))
    elif name == "flows":
        plot = charts.sankey(figure, title, labels, " " + _("(transit)"))
    else:
        if figure.multi_valued:  # said on the chart itself: its bars add up to more than its victims
            title = _("%(title)s (one victim can count in several categories)") % {"title": title}
        plot = charts.bar(figure, title, labels, str(get_format("DECIMAL_SEPARATOR")))
    spec = charts.to_spec(plot, static_url)
    return chart_html(spec, div_id=f"chart-{name}", config=spec["config"])


@signed_in
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = _scope(request)
    labels = views_support.category_labels()
    official = _official_by_year(scope)
    query = request.GET.urlencode()
    geojson_url = static("diagnostics/region.geojson")
    # The figures, charts and tables of the scope, drawn once per snapshot version and everything they show
    # (cached.py); never keyed by the person: the scope carries whether the figures are exact or released. Kept
    # compressed: 135 KB of HTML (mostly the charts' JSON) take 13 KB, for 0.2 ms to unpack.
    packed = cached.remember(
        "dashboard-html", [cached.scope_key(scope), get_language(), labels, sorted(official.items()), query,
                           settings.STATIC_URL, geojson_url],
        lambda: zlib.compress(_figures_html(scope, labels, official, query, geojson_url).encode(), 1))
    figures_html = zlib.decompress(packed).decode()
    refreshing = Job.objects.filter(kind=REFRESH_KIND).unfinished().order_by("-pk").first()
    return render(request, "diagnostics/dashboard.html", {
        "refreshing": refreshing,
        "refreshing_visible": refreshing is not None and Job.objects.visible_to(request.user).filter(
            pk=refreshing.pk).exists(),
        "scope": scope, "figures_html": figures_html, "query": query,
        "all_countries": Country.objects.programme(), "ALL": ALL,
        # "My scope" is the user's countries: one country is shown by name, as the lists open on it.
        "selected_country": request.GET.get("country", own_country(request.user)),
        "scope_countries": Country.objects.names_of(scope.countries),
        "unique_count": latest_unique_count(request.user),
    })


def _figures_html(scope: Scope, labels: dict[str, str], official: dict[int, Any], query: str,
                  geojson_url: str) -> str:
    """The map and every figure of the dashboard (chart, table, CSV link), as HTML."""
    computed = views_support.compute_dashboard(scope)
    sections = []
    for name in views_support.FIGURE_NAMES:
        figure = computed[name]
        if name == "flows":
            rows = [{"code": "", "count": link["count"],
                     "label": " → ".join(labels.get(link[end], link[end]) for end in ("source", "target"))}
                    for link in figure.extra["links"]]
        else:
            rows = [{"code": r.category, "label": labels.get(r.category, r.category), "count": r.count,
                     "share": r.share, "change": r.change,
                     "official": official.get(int(r.category)) if name == "trend" else None} for r in figure.rows]
        # the flows the rounding hides are not drawn (a Sankey link of width 0): name them under the chart
        hidden = [row["label"] for row in rows if not row["count"]] if name == "flows" else []
        sections.append({"name": name, "title": views_support.FIGURE_TITLES[name], "figure": figure, "rows": rows,
                         "chart": _chart(name, figure, labels, official), "hidden": hidden})
    map_spec = charts.to_spec(
        charts.region_map(computed[MAP_FIGURE], _("Victims by country of exploitation"), labels, geojson_url),
        settings.STATIC_URL)
    map_html = chart_html(map_spec, div_id="chart-map", config=map_spec["config"])
    return render_to_string("diagnostics/_figures.html", {"sections": sections, "map_html": map_html,
                                                          "query": query, "k": scope.k})


@signed_in
def figure_csv(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    if name not in views_support.FIGURE_NAMES:
        raise Http404
    try:
        scope = views_support.scope_from_query(request.user, request.GET)
    except views_support.ScopeError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    figure = views_support.compute_figure(name, scope)
    headers, rows = views_support.figure_table(figure, views_support.category_labels())
    body = tabular.csv_bytes(headers, rows, tabular.spreadsheet_layout(get_language()))
    return file_response(body, content_type=tabular.CONTENT_TYPES["csv"],
                         file_name=f"palermo-{name}.csv")


@signed_in
def official(request: AuthenticatedHttpRequest) -> HttpResponse:
    """UNODC GLOTIP figures: ``?indicator=`` (default detected victims), ``?country=`` for one country's
    breakdowns, ``?format=csv|xlsx&table=`` for a table's download."""
    indicator = request.GET.get("indicator") or Indicator.DETECTED_VICTIMS
    if indicator not in Indicator.values:
        messages.error(request, _("Unknown indicator %(value)r.") % {"value": indicator})
        indicator = Indicator.DETECTED_VICTIMS
    code = (request.GET.get("country") or "").strip().upper()
    country = Country.objects.programme().filter(code=code).first() if code else None
    if code and country is None:
        messages.error(request, _("Unknown country code %(code)r: give an ISO 3166 alpha-2 code such as RO.")
                       % {"code": code})
    page = official_page.build(indicator, country)
    if fmt := requested_format(request):
        table = page.tables().get(request.GET.get("table") or "")
        if table is None:
            raise Http404
        headers, rows = table.download()
        return download(request, name="diagnostics.official_statistics", fmt=fmt, headers=headers, rows=rows,
                        country=country.code if country else "",
                        detail={"indicator": indicator, "table": table.name},
                        file_name=f"official-statistics-{indicator}-{code.lower() or 'programme'}-{table.name}.{fmt}")
    static_url = settings.STATIC_URL
    sections: list[dict[str, Any]] = []
    for table in page.tables().values():
        spec = charts.to_spec(official_page.chart(table, indicator), static_url)
        shown_rows = [(label, [official_page.shown(cell) for cell in cells]) for label, cells in table.rows]
        sections.append({"table": table, "rows": shown_rows,
                         "chart": chart_html(spec, div_id=f"chart-{table.name}", config=spec["config"])})
    return render(request, "diagnostics/official.html", {
        "page": page, "sections": sections, "indicators": Indicator.choices,
        "countries": Country.objects.programme(), "indicator_label": official_page.indicator_label(indicator),
        "query": request.GET.urlencode(), "formats": ("csv", "xlsx"),
    })


@signed_in
def releases(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not may_release(user):
        raise Http404
    form = ReleaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parameters = {"kind": data["kind"], "k": data["k"], "dims": data.get("dims") or [],
                      "epsilon": data.get("epsilon"), "country": data.get("country") or None}
        try:
            if data["kind"] == Release.Kind.MICRODATA:  # every case of the scope in Python: the worker makes it
                job = services.queue_release(acting_user=user, request=request, **parameters)
                return redirect("jobs:detail", pk=job.pk)
            release = services.create_release(acting_user=user, **parameters)  # aggregates: DuckDB, under a second
        except ReleaseError as error:
            form.add_error(None, _(error.message) % error.params if error.params else _(error.message))
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Release #%(pk)d made: %(rows)d rows, SHA-256 %(sha)s.")
                             % {"pk": release.pk, "rows": release.rows, "sha": release.sha256})
            return redirect("diagnostics:releases")
    listing = list_page(request, Release.objects.visible_to(user).select_related("created_by"), ReleaseFilter,
                        sorts={"created": ("created_at", "pk")}, default_sort="-created")
    making = Job.objects.visible_to(user).filter(kind=RELEASE_KIND, created_by=user).unfinished()
    return render(request, "diagnostics/releases.html", {"form": form, "listing": listing, "page": listing.page,
                                                         "query": listing.query, "making": list(making)})


@signed_in
def release_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    release = access_release(request.user, pk)
    path = services.export_release(acting_user=request.user, release=release, request=request)
    return FileResponse(path.open("rb"), as_attachment=True, filename=release.file_name, content_type="text/csv")
