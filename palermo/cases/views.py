from __future__ import annotations

from django.contrib import messages
from django.db.models import Expression, F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.cases import services, timeline
from palermo.cases.access import (
    access_case,
    access_import_job,
    may_edit_cases,
    may_exercise_subject_rights,
    may_read_cases,
)
from palermo.cases.filters import CaseFilter, ImportJobFilter
from palermo.cases.forms import CaseForm, ImportUploadForm
from palermo.cases.models import IDENTIFYING_FIELDS, Case, ImportJob
from palermo.web.listing import COUNT_CAP, list_page


@signed_in
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not may_read_cases(user):
        raise Http404
    # The list shows country codes (no join needed) and never an identity (the encrypted columns are not even read).
    cases = Case.objects.visible_to(user).defer(*IDENTIFYING_FIELDS).prefetch_related("forms")
    # Sorted as case_scope_idx reads; the count stops at COUNT_CAP ("more than 10,000"), a scope can hold 400,000.
    # A code search (q, a substring) matches few cases, and the planner cannot know how few: in index order it would
    # walk the whole scope to fill a page (1.5 s at 400,000 cases). Sorted on an expression no index holds, it
    # filters first and sorts what matched (0.2 s); the order is the same.
    year: str | Expression = F("year_identified") + 0 if request.GET.get("q", "").strip() else "year_identified"
    listing = list_page(request, cases, CaseFilter, sorts={"year": (year, "pk")}, default_sort="-year",
                        count_cap=COUNT_CAP)
    form = listing.filterset.form
    return render(request, "cases/list.html", {
        "listing": listing, "filter_fields": [form[name] for name in CaseFilter.PAGE_FIELDS], "page": listing.page,
        "query": listing.query, "may_edit": may_edit_cases(user),
    })


@signed_in
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    return render(request, "cases/detail.html", {
        "case": case, "events": case.events.select_related("country"), "history": case.status_history.all(),
        "perpetrators": case.perpetrators.all(), "forms": case.forms.all(),
        "may_edit": may_edit_cases(request.user), "may_act": may_exercise_subject_rights(request.user, case),
    })


@signed_in
def case_timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What happened to the person, oldest first; each capability adds what the user may see of it. Like the case
    page, it shows no identifying data and is not audited as a read."""
    case = access_case(request.user, pk)
    return render(request, "cases/timeline.html", {"case": case, "entries": timeline.entries_for(request.user, case)})


@signed_in
@require_POST
def case_identity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = access_case(user, pk)
    if not may_edit_cases(user):
        raise Http404
    identity = services.read_identity(acting_user=user, case=case, request=request)
    labels = {name: getattr(Case._meta.get_field(name), "verbose_name", name) for name in identity}
    rows = [(labels[name], value) for name, value in identity.items() if value]
    response = render(request, "cases/identity.html", {"case": case, "rows": rows})
    add_never_cache_headers(response)
    return response


@signed_in
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not may_edit_cases(user):
        raise Http404
    form = CaseForm(request.POST or None, user=user, instance=Case(organisation=user.organisation))
    if request.method == "POST" and form.is_valid():
        case = form.fill(form.save(commit=False))
        services.create_case(acting_user=user, case=case, forms=[f.pk for f in form.cleaned_data["forms_"]],
                             route=form.route(), request=request)
        messages.success(request, _("Case %(code)s recorded.") % {"code": case.case_code})
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form.html", {"form": form, "case": None})


@signed_in
def case_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not may_edit_cases(user):
        raise Http404
    case = access_case(user, pk)
    if request.method != "POST":
        # Filling the form shows the identity: that is a read of identifying data, audited.
        services.read_identity(acting_user=user, case=case, request=request, channel="edit form")
    form = CaseForm(request.POST or None, user=user, instance=case)
    if request.method == "POST" and form.is_valid():
        case = form.fill(form.save(commit=False))
        services.update_case(acting_user=user, case=case, forms=[f.pk for f in form.cleaned_data["forms_"]],
                             route=form.route(), request=request)
        messages.success(request, _("Case %(code)s saved.") % {"code": case.case_code})
        return redirect("cases:detail", pk=case.pk)
    response = render(request, "cases/form.html", {"form": form, "case": case})
    add_never_cache_headers(response)  # the form shows the identity
    return response


@signed_in
def imports(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not may_edit_cases(user):
        raise Http404
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid() and user.organisation is not None:
        data = form.cleaned_data
        import_job = services.create_import_job(acting_user=user, upload=data["file"], layout=data["layout"],
                                                source=data["source"], organisation=user.organisation,
                                                owner_country=data["owner_country"], request=request)
        return redirect("cases:import_detail", pk=import_job.pk)
    listing = list_page(request, ImportJob.objects.visible_to(user).select_related("job"), ImportJobFilter,
                        sorts={"created": ("created_at", "pk")}, default_sort="-created", per_page=20)
    return render(request, "cases/imports.html", {"form": form, "listing": listing, "page": listing.page,
                                                  "query": listing.query})


@signed_in
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "cases/import_detail.html", {"import_job": access_import_job(request.user, pk)})


@signed_in
def import_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The import's fragment, polled while its job runs: the job's progress, then the import's report."""
    return render(request, "cases/import_progress.html", {"import_job": access_import_job(request.user, pk)})
