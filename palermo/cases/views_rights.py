"""Pages of retention and the person's rights: the countries' retention policies, a case's legal hold, the
subject-access export and erasure on request (docs/cases.md, "Retention and data-subject rights")."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.cases import services
from palermo.cases.access import (
    access_case,
    may_exercise_subject_rights,
    may_hold_case,
    may_read_retention,
    may_set_retention,
)
from palermo.cases.forms import ErasureForm, LegalHoldForm, RetentionPolicyForm, SubjectAccessForm
from palermo.cases.models import Case, RetentionPolicy
from palermo.cases.services.subject import STATISTICS_FIELDS
from palermo.reference.models import Country


@signed_in
def retention_policies(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every country the reader covers, with its policy or the statement that nothing of it is purged."""
    user = request.user
    if not may_read_retention(user):
        raise Http404
    policies = {policy.country_id: policy for policy in
                RetentionPolicy.objects.visible_to(user).select_related("country", "set_by")}
    codes_ = user.country_codes()
    countries = (Country.objects.filter(is_programme=True) | Country.objects.filter(code__in=list(policies))
                 if codes_ is None else Country.objects.filter(code__in=codes_))
    rows = [(country, policies.get(country.pk)) for country in countries.distinct().order_by("code")]
    return render(request, "cases/retention.html", {"rows": rows, "may_set": may_set_retention(user)})


@signed_in
def retention_policy_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    user = request.user
    if not may_set_retention(user):
        raise Http404
    country = get_object_or_404(Country, code=code.upper())
    policy = RetentionPolicy.objects.filter(country=country).first()
    initial = {"years_after_closure": policy.years_after_closure, "legal_basis": policy.legal_basis} if policy else {}
    form = RetentionPolicyForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.remove_policy(acting_user=user, country=country, request=request)
                messages.success(request, _("The retention policy of %(country)s is removed: nothing of it is "
                                            "purged.") % {"country": country.name})
                return redirect("cases:retention")
            if form.is_valid():
                services.set_policy(acting_user=user, country=country, request=request, **form.cleaned_data)
                messages.success(request, _("The retention policy of %(country)s is saved.")
                                 % {"country": country.name})
                return redirect("cases:retention")
        except services.RetentionError as refused:
            error = str(refused)
    return render(request, "cases/retention_edit.html", {"country": country, "policy": policy, "form": form,
                                                         "error": error})


@signed_in
def case_hold(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Set or lift the case's legal hold, with a reason."""
    user = request.user
    case = access_case(user, pk)
    if not may_hold_case(user, case):
        raise Http404
    form = LegalHoldForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if case.on_legal_hold:
                services.lift_legal_hold(acting_user=user, case=case, reason=reason, request=request)
                messages.success(request, _("The legal hold is lifted."))
            else:
                services.set_legal_hold(acting_user=user, case=case, reason=reason, request=request)
                messages.success(request, _("The case is on legal hold."))
            return redirect("cases:detail", pk=case.pk)
        except services.RetentionError as refused:
            error = str(refused)
    return render(request, "cases/hold.html", {"case": case, "form": form, "error": error})


@signed_in
@require_POST
def case_subject_access(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person's whole record as a file (JSON, or a readable HTML page), for the owning case worker; a POST
    (CSRF), audited as a read of identifying data and an export, never stored by a browser or proxy."""
    user = request.user
    case = access_case(user, pk)
    if not may_exercise_subject_rights(user, case):
        raise Http404
    form = SubjectAccessForm(request.POST)
    if not form.is_valid():
        raise Http404
    file_format = form.cleaned_data["format"]
    document = services.export_subject_record(acting_user=user, case=case, file_format=file_format, request=request)
    if file_format == "json":
        response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                                content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(render_to_string("cases/subject_access.html", {"record": document}, request=request),
                                content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.case_code}-subject-access.{file_format}"'
    add_never_cache_headers(response)
    return response


@signed_in
def case_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm, then erase the person's data on their request (refused on legal hold)."""
    user = request.user
    case = access_case(user, pk)
    if not may_exercise_subject_rights(user, case):
        raise Http404
    form = ErasureForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_case(acting_user=user, case=case, reason=form.cleaned_data["reason"], request=request)
        except services.ErasureRefused as refused:
            error, status = str(refused), 409
        else:
            messages.success(request, _("Case %(code)s is erased: only what the statistics count remains.")
                             % {"code": case.case_code})
            return redirect("cases:detail", pk=case.pk)
    kept = [getattr(Case._meta.get_field(name), "verbose_name", name) for name in STATISTICS_FIELDS]
    return render(request, "cases/erase.html", {"case": case, "form": form, "error": error, "kept": kept},
                  status=status)

