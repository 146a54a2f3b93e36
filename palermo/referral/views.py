"""Referral pages: the worklist, a case's referral, the service directory."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.cases.access import access_case
from palermo.reference.models import Country
from palermo.referral import sections, services, workflow
from palermo.referral.access import access_service, may_edit_directory, may_refer, may_use_referrals
from palermo.referral.filters import ServiceFilter
from palermo.referral.forms import OpenReferralForm, ServiceForm, StepForm
from palermo.referral.models import Referral, Service
from palermo.referral.worklist import items_for, pending
from palermo.web.listing import list_page


@signed_in
def worklist(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_use_referrals(request.user):
        raise Http404
    return render(request, "referral/worklist.html", {"items": items_for(request.user)})


@signed_in
def case_referral(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access_case(request.user, case_pk)
    if not may_refer(request.user, case):
        raise Http404
    referral = Referral.objects.filter(case=case).select_related("service__organisation").first()
    open_form = OpenReferralForm(request.POST if request.POST.get("action") == "open" else None)
    step_form = StepForm(request.POST if request.POST.get("action") == "step" else None,
                         country=case.owner_country_id)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "open" and referral is None and open_form.is_valid():
                services.open_referral(acting_user=request.user, case=case, minor=open_form.value(), request=request)
                return redirect("referral:case", case_pk=case.pk)
            if action == "step" and referral is not None and step_form.is_valid():
                data = step_form.cleaned_data
                services.record_step(acting_user=request.user, referral=referral, step=data["step"],
                                     reason=data["reason"], decided_by=data["decided_by"], service=data["service"],
                                     request=request)
                return redirect("referral:case", case_pk=case.pk)
            if action == "guardian" and referral is not None:
                services.appoint_guardian(acting_user=request.user, referral=referral, request=request)
                return redirect("referral:case", case_pk=case.pk)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
    steps = list(referral.steps.select_related("recorded_by", "service__organisation")) if referral else []
    return render(request, "referral/case.html", {
        "case": case, "referral": referral, "steps": steps, "open_form": open_form, "step_form": step_form,
        "due": pending(referral, timezone.now()) if referral else [],
        "sections": sections.sections_for(request.user, case)})


def _editable_countries(request: AuthenticatedHttpRequest) -> list[tuple[str, str]]:
    codes = request.user.country_codes()
    countries = Country.objects.programme() if codes is None else Country.objects.filter(code__in=codes)
    return [(c.code, c.name) for c in countries.order_by("code")
            if may_edit_directory(request.user, c.code)]


@signed_in
def service_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset = Service.objects.visible_to(request.user).select_related("organisation", "country")
    listing = list_page(request, queryset, ServiceFilter, sorts={"country": ("country_id", "organisation__name", "pk"),
                                                                 "verified": ("last_verified", "pk")},
                        default_sort="country")
    today = timezone.localdate()
    rows = [(service, service.is_stale(today)) for service in listing.page]
    return render(request, "referral/services.html", {
        "listing": listing, "page": listing.page, "rows": rows, "may_add": bool(_editable_countries(request))})


@signed_in
def service_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    countries = _editable_countries(request)
    if not countries:
        raise Http404
    form = ServiceForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_service(acting_user=request.user, organisation=data["organisation"], country=data["country"],
                             service_types=data["service_types"], area=data["area"], languages=data["languages"],
                             contact=data["contact"], last_verified=data["last_verified"], request=request)
        messages.success(request, _("Service added to the directory."))
        return redirect("referral:services")
    return render(request, "referral/service_form.html", {"form": form})


@signed_in
@require_POST
def service_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = access_service(request.user, pk)
    services.confirm_service(acting_user=request.user, service=service, request=request)
    messages.success(request, _("Marked as verified today."))
    return redirect("referral:services")
