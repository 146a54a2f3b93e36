from __future__ import annotations

import logging

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.accounts.roles import Role
from palermo.reference.filters import IndicatorListFilter
from palermo.reference.models import (
    Country,
    ExploitationForm,
    IndicatorList,
    InstrumentStatus,
    LegalInstrument,
    Objective,
)
from palermo.web import registry
from palermo.web.listing import list_page
from palermo.web.navigation import SECTION_TITLES

logger = logging.getLogger(__name__)


@signed_in
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each reader's start: the panels the apps give this role (a case worker's caseload and next steps), the
    headline figures it may see, then the four objectives with the pages it may open."""
    user = request.user
    panels = [{"template": panel.template, "data": data} for panel in registry.panels_for(user)
              if (data := panel.context(user)) is not None]
    headlines = [
        {"label": h.label, "value": h.value(user), "url_name": h.url_name, "query": h.query}
        for h in registry.headlines_for(user)
    ]
    objectives = [
        {"objective": objective, "links": registry.links_for(user, f"objective-{objective.number}")}
        for objective in Objective.objects.all()
    ]
    title = _("Your caseload") if user.role == Role.CASE_WORKER else _("Programme dashboard")
    return render(request, "web/home.html", {"headlines": headlines, "objectives": objectives, "panels": panels,
                                             "title": title})


@signed_in
def objective(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    found = Objective.objects.filter(number=number).first()
    if found is None:
        raise Http404
    section = f"objective-{number}"
    return render(
        request,
        "web/objective.html",
        {"objective": found, "title": SECTION_TITLES[section], "links": registry.links_for(request.user, section)},
    )


@signed_in
def exploitation_forms(request: AuthenticatedHttpRequest) -> HttpResponse:
    forms = ExploitationForm.objects.select_related("instrument")
    return render(request, "web/exploitation_forms.html", {"forms": forms})


@signed_in
def legal_frame(request: AuthenticatedHttpRequest) -> HttpResponse:
    countries = list(Country.objects.programme())
    instruments = LegalInstrument.objects.prefetch_related(
        Prefetch("statuses", queryset=InstrumentStatus.objects.filter(country__is_programme=True))
    )
    rows = []
    for instrument in instruments:
        by_country = {status.country_id: status for status in instrument.statuses.all()}
        rows.append({"instrument": instrument, "cells": [by_country.get(c.code) for c in countries]})
    return render(request, "web/legal_frame.html", {"countries": countries, "rows": rows})


@signed_in
def indicators(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The indicator lists, filtered as the API filters them (``?code=``, ``?population=``...)."""
    listing = list_page(request, IndicatorList.objects.prefetch_related("indicators__dimension"), IndicatorListFilter,
                        per_page=None)
    return render(request, "web/indicators.html", {"listing": listing, "lists": listing.page.object_list})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The branded 404 page; under ``/api/`` the API's JSON answer, as for an object that does not exist
    (a path no route matches, such as ``/api/cases/1.5/``)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Under ``/api/``, a JSON answer; elsewhere the branded 500 page, in the reader's language, with the menu
    when it can still be built. The error may have left the database or the session unusable: then the page is
    rendered without the request (no menu), and as a last resort as plain text; this view never fails itself."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error (500)")}, status=500)
    try:
        return render(request, "500.html", status=500)
    except Exception:  # whatever broke the request may break its context too
        logger.warning("the 500 page could not be built with its request", exc_info=True)
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:
        logger.exception("the 500 page could not be rendered")
        return HttpResponseServerError(_("Server error (500)"), content_type="text/plain; charset=utf-8")
