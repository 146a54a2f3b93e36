"""Support plan pages, reached from the case's referral page: add, edit, close."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.assistance import services
from palermo.assistance.access import access_support_entry, may_assist
from palermo.assistance.forms import CloseForm, SupportForm
from palermo.cases.access import access_case


@signed_in
def support_new(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access_case(request.user, case_pk)
    if not may_assist(request.user, case):
        raise Http404
    form = SupportForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_support(acting_user=request.user, case=case, plan=form.plan(), request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Support plan recorded."))
            return redirect("referral:case", case_pk=case.pk)
    return render(request, "assistance/support_form.html", {"form": form, "case": case, "entry": None})


@signed_in
def support_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = access_support_entry(request.user, pk)
    initial = {"support_type": entry.support_type, "provider": entry.provider_id, "service": entry.service_id,
               "start_date": entry.start_date, "planned_end_date": entry.planned_end_date,
               "objectives": entry.objectives, "action_plan": entry.action_plan}
    form = SupportForm(request.POST or None, case=entry.case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_support(acting_user=request.user, entry=entry, plan=form.plan(), request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Support plan saved."))
            return redirect("referral:case", case_pk=entry.case_id)
    return render(request, "assistance/support_form.html", {"form": form, "case": entry.case, "entry": entry})


@signed_in
def support_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = access_support_entry(request.user, pk)
    if not entry.is_open:
        raise Http404
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_support(acting_user=request.user, entry=entry, end_date=data["actual_end_date"],
                                   outcome=data["outcome"], note=data["outcome_note"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Support plan closed."))
            return redirect("referral:case", case_pk=entry.case_id)
    return render(request, "assistance/close_form.html", {"form": form, "case": entry.case, "entry": entry})
