"""Indicator screening pages: the organisation's screenings, a new screening, its result, opening a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.reference.models import Country, IndicatorList
from palermo.screening import lists, scoring, services
from palermo.screening.access import access_screening, may_screen
from palermo.screening.filters import ScreeningFilter
from palermo.screening.models import Screening
from palermo.screening.qualifying import active_language
from palermo.web.listing import download, file_response, list_page

HEADERS = ("id", "screened_at", "country", "list", "version", "list_verified", "possible_victim", "referral",
           "positive_dimensions", "case")


def _screener(request: AuthenticatedHttpRequest) -> None:
    if not may_screen(request.user):
        raise Http404


@signed_in
def screening_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _screener(request)
    queryset = Screening.objects.visible_to(request.user).select_related("indicator_list", "country", "case")
    listing = list_page(request, queryset, ScreeningFilter, sorts={"date": ("-screened_at", "-pk"),
                                                                   "country": ("country_id", "-pk")},
                        default_sort="date")
    if listing.download:
        rows = [(s.pk, s.screened_at, s.country_id, s.indicator_list.code, s.indicator_list.version,
                 s.indicator_list.verified, s.possible_victim, s.referral,
                 " ".join(d["dimension"] for d in s.result.get("en", {}).get("positive_dimensions", [])),
                 s.case.case_code if s.case else "") for s in listing.queryset]
        return download(request, name="screenings", fmt=listing.download, headers=HEADERS, rows=rows)
    return render(request, "screening/screening_list.html", {
        "listing": listing, "page": listing.page, "lists": lists.active_lists()})


def _countries(request: AuthenticatedHttpRequest) -> list[Country]:
    codes = request.user.country_codes()
    countries = Country.objects.programme() if codes is None else Country.objects.filter(code__in=codes)
    return list(countries.order_by("code"))


@signed_in
def screening_new(request: AuthenticatedHttpRequest, list_pk: int) -> HttpResponse:
    _screener(request)
    indicator_list = IndicatorList.objects.filter(pk=list_pk).first()
    if indicator_list is None or not lists.is_active(indicator_list):
        raise Http404
    spec = lists.spec_of(indicator_list)
    countries = _countries(request)
    errors: list[str] = []
    ticked = request.POST.getlist("indicator") if request.method == "POST" else []
    if request.method == "POST":
        country = request.POST.get("country", "")
        if country not in {c.code for c in countries}:
            errors.append(_("Choose one of your countries."))
        else:
            try:
                screening = services.create_screening(acting_user=request.user, indicator_list=indicator_list,
                                                      country=country, ticked=ticked, request=request)
            except scoring.ScreeningInputError as error:
                errors.extend(error.problems)
            else:
                return redirect("screening:detail", pk=screening.pk)
    language = active_language()
    groups = [(dimension.name.get(language),
               [(i.key, i.text.get(language), i.strength, i.key in ticked) for i in spec.indicators
                if i.dimension == dimension.code])
              for dimension in spec.dimensions]
    return render(request, "screening/screening_form.html", {
        "indicator_list": indicator_list, "groups": [g for g in groups if g[1]], "countries": countries,
        "errors": errors, "strengths": {"strong": _("strong"), "medium": _("medium"), "weak": _("weak")}})


@signed_in
def screening_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _screener(request)
    screening = access_screening(request.user, pk)
    result = screening.result.get(active_language()) or screening.result.get("en", {})
    return render(request, "screening/screening_detail.html", {
        "screening": screening, "result": result, "active": lists.is_active(screening.indicator_list)})


def result_document(screening: Screening, language: str) -> str:
    result = screening.result.get(language) or screening.result.get("en", {})
    return render_to_string("screening/screening_pdf.html",
                            {"screening": screening, "result": result, "language": language})


@signed_in
def screening_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The result as PDF, with the same notice and warning as the page; the download is audited."""
    from weasyprint import HTML

    _screener(request)
    screening = access_screening(request.user, pk)

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"the screening document may not fetch {url}")

    body = HTML(string=result_document(screening, active_language()), url_fetcher=refuse).write_pdf()
    record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="screening.screening",
           object_id=screening.pk, country=screening.country_id, request=request, detail={"format": "pdf"})
    return file_response(body, content_type="application/pdf", file_name=f"screening-{screening.pk}.pdf")


@signed_in
@require_POST
def screening_open_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _screener(request)
    screening = access_screening(request.user, pk)
    case = services.open_case(acting_user=request.user, screening=screening, request=request)
    messages.success(request, _("Case %(code)s opened from this screening.") % {"code": case.case_code})
    return redirect("cases:detail", pk=case.pk)
