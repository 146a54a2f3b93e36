"""Directory pages: organisations, their people (portfolio roles only) and partnerships."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from palermo.partners.models import Organisation, Partnership, Person
from palermo.programme import tabular
from palermo.reference.models import Country

HEADERS = ("name", "short_name", "kind", "country", "iati_identifier", "crs_channel_code", "iati_type", "website")


def access_organisation(user: object, pk: int) -> Organisation:
    organisation = Organisation.objects.visible_to(user).filter(pk=pk).select_related("country").first()  # type: ignore[arg-type]
    if organisation is None:
        raise Http404
    return organisation


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    found = Organisation.objects.visible_to(request.user).select_related("country")  # type: ignore[arg-type]
    kind, country, q = request.GET.get("kind", ""), request.GET.get("country", ""), request.GET.get("q", "").strip()
    if kind in Organisation.Kind.values:
        found = found.filter(kind=kind)
    if country == "none":
        found = found.filter(country__isnull=True)
    elif country:
        found = found.filter(country_id=country)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(iati_identifier__icontains=q))
    if (fmt := request.GET.get("format", "")) in tabular.FORMATS:
        rows = [[o.name, o.short_name, o.kind, o.country_id, o.iati_identifier, o.crs_channel_code, o.iati_type,
                 o.website] for o in found]
        return tabular.download(request, name="organisations", fmt=fmt, headers=HEADERS, rows=rows)
    return render(request, "partners/organisation_list.html", {
        "organisations": found, "kinds": Organisation.Kind.choices, "kind": kind, "country": country, "q": q,
        "countries": Country.objects.filter(Q(is_programme=True) | Q(is_steering=True)),
        "query": request.GET.urlencode(),
    })


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access_organisation(request.user, pk)
    partnerships = Partnership.objects.visible_to(request.user).filter(  # type: ignore[arg-type]
        Q(first_party=organisation) | Q(second_party=organisation)
    ).select_related("first_party", "second_party")
    from palermo.programme.models import Action

    actions = Action.objects.visible_to(request.user).filter(  # type: ignore[arg-type]
        participations__organisation=organisation
    ).distinct()
    return render(request, "partners/organisation_detail.html", {
        "organisation": organisation, "partnerships": partnerships, "actions": actions,
        "people": Person.objects.visible_to(request.user).filter(organisation=organisation),  # type: ignore[arg-type]
    })


PARTNERSHIP_HEADERS = ("title", "kind", "first_party", "second_party", "signed_on", "start_date", "end_date", "status")


@login_required
def partnerships(request: HttpRequest) -> HttpResponse:
    found = Partnership.objects.visible_to(request.user).select_related("first_party", "second_party")  # type: ignore[arg-type]
    status, q = request.GET.get("status", ""), request.GET.get("q", "").strip()
    if status in Partnership.Status.values:
        found = found.filter(status=status)
    if q:
        found = found.filter(Q(title__icontains=q) | Q(first_party__name__icontains=q)
                             | Q(second_party__name__icontains=q))
    if (fmt := request.GET.get("format", "")) in tabular.FORMATS:
        rows = [[p.title, p.kind, p.first_party.name, p.second_party.name, p.signed_on, p.start_date, p.end_date,
                 p.status] for p in found]
        return tabular.download(request, name="partnerships", fmt=fmt, headers=PARTNERSHIP_HEADERS, rows=rows)
    return render(request, "partners/partnership_list.html", {
        "partnerships": found, "statuses": Partnership.Status.choices, "status": status, "q": q,
        "query": request.GET.urlencode(),
    })
