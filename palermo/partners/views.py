"""Directory pages: organisations, their people (portfolio roles only) and partnerships."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.partners.access import access_organisation
from palermo.partners.filters import OrganisationFilter, PartnershipFilter
from palermo.partners.models import Organisation, Partnership, Person
from palermo.reference.models import Country
from palermo.web.listing import download, list_page

HEADERS = (_("Name"), _("Short name"), _("Kind"), _("Country"), _("IATI identifier"), _("CRS channel code"),
           _("IATI organisation type (code)"), _("Website"))
PARTNERSHIP_HEADERS = (_("Title"), _("Kind"), _("First party"), _("Second party"), _("Signed on"), _("Start date"),
                       _("End date"), _("Status"))


@signed_in
def organisations(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = Organisation.objects.visible_to(request.user).select_related("country")
    listing = list_page(request, found, OrganisationFilter, per_page=None)
    if listing.download:
        rows = [[o.name, o.short_name, o.get_kind_display(), o.country.name if o.country else "", o.iati_identifier,
                 o.crs_channel_code, o.iati_type, o.website] for o in listing.queryset]
        return download(request, name="organisations", fmt=listing.download, headers=HEADERS, rows=rows)
    return render(request, "partners/organisation_list.html", {
        "listing": listing, "organisations": listing.page.object_list, "kinds": Organisation.Kind.choices,
        "kind": request.GET.get("kind", ""), "country": request.GET.get("country", ""),
        "q": request.GET.get("q", "").strip(),
        "countries": Country.objects.filter(Q(is_programme=True) | Q(is_steering=True)),
        "query": request.GET.urlencode(),
    })


@signed_in
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from palermo.programme.models import Action

    organisation = access_organisation(request.user, pk)
    partnerships = Partnership.objects.visible_to(request.user).filter(
        Q(first_party=organisation) | Q(second_party=organisation)
    ).select_related("first_party", "second_party")
    actions = Action.objects.visible_to(request.user).filter(participations__organisation=organisation).distinct()
    return render(request, "partners/organisation_detail.html", {
        "organisation": organisation, "partnerships": partnerships, "actions": actions,
        "people": Person.objects.visible_to(request.user).filter(organisation=organisation),
    })


@signed_in
def partnerships(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = Partnership.objects.visible_to(request.user).select_related("first_party", "second_party")
    listing = list_page(request, found, PartnershipFilter, per_page=None)
    if listing.download:
        rows = [[p.title, p.get_kind_display(), p.first_party.name, p.second_party.name, p.signed_on, p.start_date,
                 p.end_date, p.get_status_display()] for p in listing.queryset]
        return download(request, name="partnerships", fmt=listing.download, headers=PARTNERSHIP_HEADERS, rows=rows)
    return render(request, "partners/partnership_list.html", {
        "listing": listing, "partnerships": listing.page.object_list, "statuses": Partnership.Status.choices,
        "status": request.GET.get("status", ""), "q": request.GET.get("q", "").strip(),
        "query": request.GET.urlencode(),
    })
