"""Pages of the networks: the list, a network (figures, link chart, timeline, exports, sharing, upload), its
entity table and one entity (its sources, links, roles, cases). Diagnoses are in ``views_diagnosis.py``."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from typing import Any

import plotly.graph_objects as go
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.cases.models import Case
from palermo.jobs.services import enqueue
from palermo.networks import chart, exports, reading, services
from palermo.networks.access import access_entity, access_network, may_edit_network, may_use_networks
from palermo.networks.filters import EntityFilter, NetworkFilter
from palermo.networks.graphs import analyse_network
from palermo.networks.jobs import import_upload
from palermo.networks.models import CaseLink, Entity, Link, Network, RoleSuggestion
from palermo.reference.models import Country
from palermo.web.charts import chart_html
from palermo.web.listing import download, file_response, list_page

TIMELINE_TYPES = ("Call", "Payment", "Trip", "Event")


def _guard(request: AuthenticatedHttpRequest) -> None:
    if not may_use_networks(request.user):
        raise Http404


@signed_in
def network_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _guard(request)
    queryset = Network.objects.visible_to(request.user).select_related("owner_country").annotate(
        entity_count=Count("entities", filter=Q(entities__is_edge=False)))
    listing = list_page(request, queryset, NetworkFilter, sorts={"name": ("name",), "updated": ("-updated_at",)},
                        default_sort="name")
    return render(request, "networks/list.html", {"listing": listing, "page": listing.page})


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _chart_filter(request: AuthenticatedHttpRequest) -> chart.ChartFilter:
    focus = request.GET.get("focus", "")
    depth = request.GET.get("depth", "1")
    return chart.ChartFilter(
        types=tuple(t for t in request.GET.getlist("type") if t), country=request.GET.get("country", "")[:2].upper(),
        date_from=_day(request.GET.get("from", "")), date_to=_day(request.GET.get("to", "")),
        values=request.GET.get("values", "1") != "0", focus=int(focus) if focus.isdigit() else None,
        depth=int(depth) if depth.isdigit() else 1)


def _timeline(network: Network) -> tuple[Any, list[dict[str, Any]]]:
    rows = list(Link.objects.filter(network=network, date__isnull=False).order_by("date", "pk").values_list(
        "date", "schema", "from_entity__caption", "to_entity__caption", "amount", "currency")[:5000])
    figure = go.Figure()
    for kind in sorted({row[1] for row in rows}):
        days = [row[0] for row in rows if row[1] == kind]
        figure.add_trace(go.Scatter(x=days, y=[kind] * len(days), mode="markers", name=kind,
                                    marker={"size": 9, "opacity": 0.6}))
    figure.update_layout(height=260, margin={"l": 100, "r": 20, "t": 30, "b": 40},
                         title=_("Calls, trips and payments over time"))
    table = [{"date": day, "type": kind, "from": a, "to": b, "amount": amount, "currency": currency}
             for day, kind, a, b, amount, currency in rows[-200:]]
    return chart_html(figure, div_id="network-timeline", has_data=bool(rows)), table


@signed_in
def network_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    figures = analyse_network(network)
    types = list(Entity.objects.filter(network=network, is_edge=False).values_list("schema", flat=True).distinct()
                 .order_by("schema"))
    countries = list(Entity.objects.filter(network=network, is_edge=False).exclude(country__isnull=True)
                     .values_list("country_id", flat=True).distinct().order_by("country_id"))
    timeline, timeline_rows = _timeline(network)
    return render(request, "networks/detail.html", {
        "network": network, "figures": figures, "types": types, "countries": countries,
        "may_edit": may_edit_network(request.user, network), "timeline": timeline, "timeline_rows": timeline_rows,
        "shared_with": network.shared_with.order_by("code"), "sources": network.sources.order_by("name"),
        "all_countries": Country.objects.order_by("code"), "diagnoses": network.diagnoses.order_by("-year"),
        "graph_url": reverse("networks:graph", args=[network.pk]),
        "entity_url": reverse("networks:entity", args=[network.pk, 0]).removesuffix("0/"),
        "role_labels": dict(RoleSuggestion.choices), "this_year": date.today().year})


@signed_in
def network_graph(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    network = access_network(request.user, pk)
    figures = analyse_network(network)
    data = chart.chart_data(network, _chart_filter(request), figures)
    data["role_labels"] = {key: str(label) for key, label in RoleSuggestion.choices}
    return JsonResponse(data)


ENTITY_HEADERS = ("id", "FtM id", "type", "name", "country")


@signed_in
def entity_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    listing = list_page(request, Entity.objects.filter(network=network).order_by("pk"), EntityFilter,
                        sorts={"name": ("caption", "pk"), "type": ("schema", "pk")}, default_sort="name")
    if listing.download:
        return download(request, name="networks.entities", fmt=listing.download,
                        headers=[_("id"), _("FollowTheMoney id"), _("type"), _("name"), _("country of the source")],
                        rows=listing.queryset.values_list("pk", "ftm_id", "schema", "caption", "country_id"),
                        country=network.owner_country_id, detail={"network": network.pk})
    return render(request, "networks/entities.html", {"network": network, "listing": listing,
                                                      "page": listing.page})


@signed_in
def entity_detail(request: AuthenticatedHttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    entity = access_entity(request.user, network, entity_pk)
    links = Link.objects.filter(Q(from_entity=entity) | Q(to_entity=entity), network=network).select_related(
        "from_entity", "to_entity", "source").order_by("date", "pk")[:500]
    return render(request, "networks/entity.html", {
        "network": network, "entity": entity, "links": links,
        "properties": sorted(entity.properties.items()),
        "fragments": entity.fragments.select_related("source", "source__country").order_by("source__name"),
        "annotations": entity.role_annotations.order_by("role"), "roles": RoleSuggestion.choices,
        "case_links": entity.case_links.select_related("case").order_by("case__case_code"),
        "case_roles": CaseLink.Role.choices, "may_edit": may_edit_network(request.user, network)})


@signed_in
@require_POST
def entity_annotate(request: AuthenticatedHttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    entity = access_entity(request.user, network, entity_pk)
    try:
        if request.POST.get("remove"):
            services.remove_role(acting_user=request.user, entity=entity, role=request.POST.get("role", ""),
                                 request=request)
        else:
            services.annotate_role(acting_user=request.user, entity=entity, role=request.POST.get("role", ""),
                                   note=request.POST.get("note", ""), request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("networks:entity", network.pk, entity.pk)


@signed_in
@require_POST
def entity_link_case(request: AuthenticatedHttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    entity = access_entity(request.user, network, entity_pk)
    case = Case.objects.visible_to(request.user).filter(case_code=request.POST.get("case_code", "").strip()).first()
    try:
        if case is None:
            raise ValidationError({"case": [_("No case with this code in your scope.")]})
        services.link_case(acting_user=request.user, entity=entity, case=case, role=request.POST.get("role", ""),
                           request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("networks:entity", network.pk, entity.pk)


@signed_in
@require_POST
def network_share(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    try:
        services.share_network(acting_user=request.user, network=network,
                               countries=request.POST.getlist("countries"), request=request)
        messages.success(request, _("Sharing saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("networks:detail", network.pk)


def _export_nodes(network: Network, figures: dict[str, Any]) -> list[dict[str, Any]]:
    membership = figures.get("membership", {}) or {}
    roles: dict[int, list[str]] = {}
    for suggestion in figures.get("suggested_roles", []):
        roles.setdefault(suggestion["id"], []).append(suggestion["role"])
    return [{"id": pk, "label": caption or ftm_id, "type": schema, "country": country or "",
             "community": membership.get(str(pk)), "roles": roles.get(pk, [])}
            for pk, caption, schema, country, ftm_id in Entity.objects.filter(network=network, is_edge=False)
            .order_by("pk").values_list("pk", "caption", "schema", "country_id", "ftm_id").iterator()]


def _export_edges(network: Network) -> Any:
    for a, b, schema, weight, day in Link.objects.filter(network=network).order_by("pk").values_list(
            "from_entity_id", "to_entity_id", "schema", "weight", "date").iterator():
        yield {"source": a, "target": b, "type": schema, "weight": weight, "date": day.isoformat() if day else ""}


@signed_in
def network_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    network = access_network(request.user, pk)
    name = f"network-{network.pk}"
    if fmt == "ftm":
        rows = list(Entity.objects.filter(network=network).order_by("pk").values_list("ftm_id", "schema",
                                                                                      "properties"))
        services.record_export(acting_user=request.user, network=network, fmt=fmt, rows=len(rows), request=request)
        return file_response(b"".join(exports.ftm_lines(rows)), content_type="application/x-ndjson",
                             file_name=f"{name}.ftm.json")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["source", "target", "type", "weight", "date"])
        count = 0
        for edge in _export_edges(network):
            writer.writerow([edge["source"], edge["target"], edge["type"], edge["weight"], edge["date"]])
            count += 1
        services.record_export(acting_user=request.user, network=network, fmt=fmt, rows=count, request=request)
        return file_response(buffer.getvalue().encode("utf-8"), content_type="text/csv", file_name=f"{name}.csv")
    if fmt not in ("graphml", "gexf"):
        raise Http404
    figures = analyse_network(network)
    nodes = _export_nodes(network, figures)
    edges = list(_export_edges(network))
    body = exports.graphml(nodes, edges) if fmt == "graphml" else exports.gexf(nodes, edges, title=network.name)
    services.record_export(acting_user=request.user, network=network, fmt=fmt, rows=len(nodes) + len(edges),
                           request=request)
    return file_response(body, content_type="application/xml", file_name=f"{name}.{fmt}")


@signed_in
def network_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a file to import in the background (a job with its progress); all rows or none."""
    _guard(request)
    user_countries = sorted(request.user.country_codes() or Country.objects.values_list("code", flat=True))
    context: dict[str, Any] = {"kinds": reading.KINDS, "countries": Country.objects.filter(code__in=user_countries)
                               .order_by("code"), "values": request.POST, "errors": []}
    if request.method == "POST":
        upload = request.FILES.get("file")
        fmt = request.POST.get("format", "")
        country = request.POST.get("country", "").upper()
        source = request.POST.get("source", "").strip()
        network = request.POST.get("network", "").strip() or source
        errors = context["errors"]
        if upload is None:
            errors.append(_("Choose a file."))
        if fmt not in ("ftm", "csv"):
            errors.append(_("Choose the format."))
        if not source or len(source) > 200:
            errors.append(_("Name the source (at most 200 characters)."))
        if country not in user_countries:
            errors.append(_("Choose one of your countries."))
        existing = Network.objects.filter(name=network).first()
        if existing is not None and not may_edit_network(request.user, existing):
            errors.append(_("A network of another country already has this name."))
        try:
            reading.parse_mapping(request.POST.get("columns", ""))
        except ValueError as error:
            errors.append(str(error))
        if not errors and upload is not None:
            folder = settings.MEDIA_ROOT / "networks"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{uuid.uuid4().hex}.upload"
            with open(path, "wb") as handle:
                for part in upload.chunks():
                    handle.write(part)
            job = enqueue(acting_user=request.user, kind="networks.import", label=_("Import into %(network)s") % {
                "network": network}, task=import_upload, args=[str(path), fmt, source, country, network,
                                                                request.POST.get("kind", "edges"),
                                                                request.POST.get("columns", "")],
                identifying=True, next_url=reverse("networks:list"), request=request)
            return redirect("jobs:detail", job.pk)
    return render(request, "networks/upload.html", context, status=400 if context["errors"] else 200)

