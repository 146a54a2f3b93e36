from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.roles import CASE_RECORD_ROLES
from palermo.cases import jobs
from palermo.cases.forms import CaseFilterForm, CaseForm, ImportUploadForm
from palermo.cases.models import Case, ImportJob
from palermo.cases.services import (
    access_case,
    create_case,
    may_edit_cases,
    read_identity,
    update_case,
)


def _user(request: HttpRequest) -> Any:
    return request.user


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in CASE_RECORD_ROLES:
        raise Http404
    cases = Case.objects.visible_to(user)
    form = CaseFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            cases = cases.filter(case_code__icontains=data["q"].strip())
        if data["year"]:
            cases = cases.filter(year_identified=data["year"])
        if data["status"]:
            cases = cases.filter(trafficking_status=data["status"])
        if data["form"]:
            cases = cases.filter(forms=data["form"])
        if data["gender"]:
            cases = cases.filter(gender=data["gender"])
        if data["thb_form"]:
            cases = cases.filter(thb_form=data["thb_form"])
        if data["exploitation_country"]:
            cases = cases.filter(country_of_exploitation_id=data["exploitation_country"].upper())
    elif form.is_bound:
        cases = cases.none()
    cases = cases.prefetch_related("forms")  # the list shows country codes: no join needed
    page = Paginator(cases.order_by("-year_identified", "-pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "may_edit": may_edit_cases(user),
    })


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(_user(request), pk)
    return render(request, "cases/detail.html", {
        "case": case, "events": case.events.select_related("country"), "history": case.status_history.all(),
        "perpetrators": case.perpetrators.all(), "forms": case.forms.all(),
        "may_edit": may_edit_cases(_user(request)),
    })


@login_required
@require_POST
def case_identity(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access_case(user, pk)
    if not may_edit_cases(user):
        raise Http404
    identity = read_identity(acting_user=user, case=case, request=request)
    labels = {name: getattr(Case._meta.get_field(name), "verbose_name", name) for name in identity}
    rows = [(labels[name], value) for name, value in identity.items() if value]
    return render(request, "cases/identity.html", {"case": case, "rows": rows})


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_edit_cases(user):
        raise Http404
    form = CaseForm(request.POST or None, user=user, instance=Case(organisation=user.organisation))
    if request.method == "POST" and form.is_valid():
        case = form.fill(form.save(commit=False))
        create_case(acting_user=user, case=case, forms=[f.pk for f in form.cleaned_data["forms_"]],
                    route=form.route(), request=request)
        messages.success(request, _("Case %(code)s recorded.") % {"code": case.case_code})
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form.html", {"form": form, "case": None})


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not may_edit_cases(user):
        raise Http404
    case = access_case(user, pk)
    if request.method != "POST":
        # Filling the form shows the identity: that is a read of identifying data, audited.
        read_identity(acting_user=user, case=case, request=request, channel="edit form")
    previous_status, previous_override = case.trafficking_status, case.thb_form_override
    form = CaseForm(request.POST or None, user=user, instance=case)
    if request.method == "POST" and form.is_valid():
        changed = list(form.changed_data)
        case = form.fill(form.save(commit=False))
        update_case(acting_user=user, case=case, forms=[f.pk for f in form.cleaned_data["forms_"]],
                    route=form.route(), previous_status=previous_status, previous_override=previous_override,
                    changed=changed, request=request)
        messages.success(request, _("Case %(code)s saved.") % {"code": case.case_code})
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form.html", {"form": form, "case": case})


def _jobs_of(user: Any) -> Any:
    return ImportJob.objects.filter(created_by=user, organisation_id=user.organisation_id)


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_edit_cases(user):
        raise Http404
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        path = jobs.save_upload(data["file"])
        job = ImportJob.objects.create(
            created_by=user, organisation=user.organisation, owner_country=data["owner_country"],
            file_name=data["file"].name[:300], file_path=str(path), layout=data["layout"], source=data["source"],
        )
        jobs.start(job)
        return redirect("cases:import_detail", pk=job.pk)
    return render(request, "cases/imports.html", {"form": form, "jobs": _jobs_of(user)[:20]})


def _job(request: HttpRequest, pk: int) -> ImportJob:
    user = _user(request)
    job = _jobs_of(user).filter(pk=pk).first() if may_edit_cases(user) else None
    if job is None:
        raise Http404
    return job


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "cases/import_detail.html", {"job": _job(request, pk)})


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "cases/import_progress.html", {"job": _job(request, pk)})
