"""Justice record pages: the proceedings and defendants lists (with their downloads), a proceeding with its charges,
decisions and victims, and the forms that record them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.cases.models import Case
from palermo.diagnostics.views_support import ScopeError
from palermo.justice import dashboard, figures, services
from palermo.justice.access import (
    access_defendant,
    access_proceeding,
    may_edit,
    may_read_justice,
    may_record_justice,
    may_view_figures,
)
from palermo.justice.filters import DefendantFilter, ProceedingFilter
from palermo.justice.forms import DecisionForm, DefendantForm, NewProceedingForm, ProceedingForm, VictimForm
from palermo.justice.models import Charge, Decision, Defendant, Proceeding, VictimParticipation
from palermo.reference.models import Country
from palermo.web.listing import download, list_page, own_country, requested_format, yes_no


def _proceedings(request: AuthenticatedHttpRequest) -> QuerySet[Proceeding]:
    return Proceeding.objects.visible_to(request.user).select_related("defendant", "country").prefetch_related(
        Prefetch("charges", queryset=Charge.objects.order_by("pk"))).annotate(victim_count=Count("victims"))


def proceeding_headers() -> list[str]:
    return [_("Country"), _("File number"), _("Defendant"), _("Company"), _("Sex"), _("Investigation opened on"),
            _("Prosecution started on"), _("Charges"), _("Charged with trafficking"), _("Outcome"),
            _("First verdict on"), _("Days to the first verdict"), _("Victims")]


def proceeding_row(p: Proceeding) -> list[Any]:
    days = (p.first_verdict_on - p.investigation_opened).days if p.first_verdict_on else None
    return [p.country.name, p.file_number, p.defendant.reference, yes_no(p.defendant.is_legal_person),
            p.defendant.get_sex_display(), p.investigation_opened, p.prosecuted_on,
            ", ".join(str(c.get_offence_display()) for c in p.charges.all()), yes_no(p.thb_charged),
            p.get_outcome_display(), p.first_verdict_on, days, getattr(p, "victim_count", None)]


@signed_in
def proceedings(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_read_justice(request.user):
        raise Http404
    listing = list_page(request, _proceedings(request), ProceedingFilter,
                        sorts={"opened": ("investigation_opened", "pk"), "country": ("country_id", "pk"),
                               "verdict": ("first_verdict_on", "pk")},
                        default_sort="-opened", defaults={"country": own_country(request.user)})
    if listing.download:
        return download(request, name="justice-proceedings", fmt=listing.download, headers=proceeding_headers(),
                        rows=(proceeding_row(p) for p in listing.queryset))
    return render(request, "justice/proceedings.html", {
        "listing": listing, "page": listing.page, "query": listing.query,
        "may_add": may_record_justice(request.user)})


@signed_in
def defendants(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_read_justice(request.user):
        raise Http404
    found = Defendant.objects.visible_to(request.user).select_related("country", "citizenship").annotate(
        proceeding_count=Count("proceedings"))
    listing = list_page(request, found, DefendantFilter, sorts={"reference": ("country_id", "reference", "pk")},
                        default_sort="reference", defaults={"country": own_country(request.user)})
    if listing.download:
        headers = [_("Country"), _("Reference"), _("Company"), _("Sex"), _("Year of birth"), _("Citizenship"),
                   _("Proceedings")]
        rows = ([d.country.name, d.reference, yes_no(d.is_legal_person), d.get_sex_display(), d.birth_year,
                 d.citizenship.name if d.citizenship else "", d.proceeding_count] for d in listing.queryset)
        return download(request, name="justice-defendants", fmt=listing.download, headers=headers, rows=rows)
    return render(request, "justice/defendants.html", {"listing": listing, "page": listing.page,
                                                       "query": listing.query})


@signed_in
def proceeding_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proceeding = access_proceeding(request.user, pk)
    editable = may_edit(request.user, proceeding)
    visible_cases = set(Case.objects.visible_to(request.user).filter(
        proceeding_parts__proceeding=proceeding).values_list("pk", flat=True))
    victims = list(proceeding.victims.select_related("case").order_by("pk"))
    return render(request, "justice/proceeding.html", {
        "proceeding": proceeding, "charges": proceeding.charges.all(),
        "decisions": proceeding.decisions.order_by("decided_on", "pk"),
        "victims": [(v, v.case_id in visible_cases) for v in victims],
        "editable": editable,
        "decision_form": DecisionForm() if editable else None,
        "victim_form": VictimForm(user=request.user) if editable else None,
    })


@signed_in
def proceeding_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_record_justice(request.user):
        raise Http404
    form = NewProceedingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                defendant = data["defendant"] or services.record_defendant(
                    acting_user=request.user, country=data["country"], person=form.person(), request=request)
                proceeding = services.open_proceeding(acting_user=request.user, defendant=defendant,
                                                      spec=form.spec(), request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Proceeding recorded."))
            return redirect("justice:proceeding", pk=proceeding.pk)
    return render(request, "justice/proceeding_form.html", {"form": form, "proceeding": None})


@signed_in
def proceeding_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proceeding = access_proceeding(request.user, pk)
    if not may_edit(request.user, proceeding):
        raise Http404
    form = ProceedingForm(request.POST or None, initial=ProceedingForm.initial_of(proceeding))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proceeding(acting_user=request.user, proceeding=proceeding, spec=form.spec(),
                                       request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Proceeding saved."))
            return redirect("justice:proceeding", pk=proceeding.pk)
    return render(request, "justice/proceeding_form.html", {"form": form, "proceeding": proceeding})


@signed_in
def defendant_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    defendant = access_defendant(request.user, pk)
    if not may_edit(request.user, defendant):
        raise Http404
    initial = {"reference": defendant.reference, "is_legal_person": defendant.is_legal_person, "sex": defendant.sex,
               "birth_year": defendant.birth_year, "citizenship": defendant.citizenship_id,
               "perpetrators": list(defendant.perpetrators.values_list("pk", flat=True))}
    form = DefendantForm(request.POST or None, initial=initial, user=request.user, defendant=defendant)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_defendant(acting_user=request.user, defendant=defendant, person=form.value(),
                                      request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Defendant saved."))
            return redirect("justice:defendants")
    return render(request, "justice/defendant_form.html", {
        "form": form, "defendant": defendant,
        "proceedings": Proceeding.objects.visible_to(request.user).filter(defendant=defendant)})


def _refused(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            messages.error(request, f"{field}: {problem}" if field != "__all__" else problem)


@signed_in
@require_POST
def decision_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proceeding = access_proceeding(request.user, pk)
    if not may_edit(request.user, proceeding):
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_decision(acting_user=request.user, proceeding=proceeding, verdict=form.verdict(),
                                     request=request)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Decision recorded."))
    else:
        _refused(request, ValidationError(form.errors))
    return redirect("justice:proceeding", pk=proceeding.pk)


@signed_in
@require_POST
def decision_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.filter(
        proceeding__in=Proceeding.objects.visible_to(request.user).values("pk")), pk=pk)
    proceeding = access_proceeding(request.user, decision.proceeding_id)
    if not may_edit(request.user, proceeding):
        raise Http404
    try:
        services.delete_decision(acting_user=request.user, decision=decision, request=request)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Decision removed."))
    return redirect("justice:proceeding", pk=proceeding.pk)


@signed_in
@require_POST
def victim_set(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proceeding = access_proceeding(request.user, pk)
    if not may_edit(request.user, proceeding):
        raise Http404
    form = VictimForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.set_victim(acting_user=request.user, proceeding=proceeding, case=form.cleaned_data["case_code"],
                                part=form.part(), request=request)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Victim's part saved."))
    else:
        _refused(request, ValidationError(form.errors))
    return redirect("justice:proceeding", pk=proceeding.pk)


@signed_in
@require_POST
def victim_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    part = get_object_or_404(VictimParticipation.objects.filter(
        proceeding__in=Proceeding.objects.visible_to(request.user).values("pk")).select_related("case"), pk=pk)
    proceeding = access_proceeding(request.user, part.proceeding_id)
    if not may_edit(request.user, proceeding):
        raise Http404
    services.remove_victim(acting_user=request.user, part=part, request=request)
    messages.success(request, _("Victim removed from the proceeding."))
    return redirect("justice:proceeding", pk=proceeding.pk)


def countries_for(request: AuthenticatedHttpRequest) -> QuerySet[Country]:
    codes = request.user.country_codes()
    return Country.objects.programme() if codes is None else Country.objects.filter(code__in=codes)


# --- the figures -------------------------------------------------------------------------------------------------

def _figures_scope(request: AuthenticatedHttpRequest) -> figures.JusticeScope:
    try:
        return figures.scope_of(request.user, request.GET)
    except ScopeError as error:
        messages.error(request, str(error))
        return figures.default_scope(request.user)


@signed_in
def figures_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_view_figures(request.user):
        raise Http404
    scope = _figures_scope(request)
    computed = figures.compute(scope)
    return render(request, "justice/figures.html", {
        "scope": scope, "sections": dashboard.sections(computed), "query": request.GET.urlencode(),
        "countries": countries_for(request).order_by("code"), "formats": ("csv", "xlsx"),
        "selected_country": request.GET.get("country", "").upper(),
        "every_country": request.user.country_codes() is None,
        "scope_countries": Country.objects.names_of(scope.countries),
        "may_read": may_read_justice(request.user)})


@signed_in
def figures_download(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    """One section's table as CSV or XLSX, as the page shows it; audited as an export."""
    fmt = requested_format(request)
    if not may_view_figures(request.user) or fmt is None:
        raise Http404
    try:
        scope = figures.scope_of(request.user, request.GET)
    except ScopeError as error:
        refused = 403 if isinstance(error, figures.OutOfScope) else 400
        return HttpResponse(str(error), status=refused, content_type="text/plain; charset=utf-8")
    section = next((s for s in dashboard.sections(figures.compute(scope)) if s.name == name), None)
    if section is None:
        raise Http404
    return download(request, name=f"justice-{name}", fmt=fmt, headers=section.headers,
                    rows=([dashboard.download_cell(c) for c in row] for row in section.rows),
                    detail={"exact": scope.exact, "countries": list(scope.countries),
                            "years": [scope.year_from, scope.year_to]})
