"""Network diagnoses: the list, a diagnosis (page and PDF in French or English) and its workflow: drafted by the
owning country, shared with the source country's national coordinator, commented, co-signed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.networks import diagnosis as content
from palermo.networks import services
from palermo.networks.access import (
    access_diagnosis,
    access_network,
    may_comment,
    may_cosign,
    may_edit_network,
    may_read_diagnoses,
)
from palermo.networks.filters import DiagnosisFilter
from palermo.networks.models import Diagnosis
from palermo.web.listing import file_response, list_page


@signed_in
def diagnosis_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_read_diagnoses(request.user):
        raise Http404
    listing = list_page(request, Diagnosis.objects.visible_to(request.user).select_related(
        "network", "source_country", "network__owner_country"), DiagnosisFilter,
        sorts={"year": ("-year", "network__name")}, default_sort="year")
    return render(request, "networks/diagnoses.html", {"listing": listing, "page": listing.page})


@signed_in
@require_POST
def diagnosis_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    year = request.POST.get("year", "")
    try:
        found = services.draft_diagnosis(acting_user=request.user, network=network,
                                         year=int(year) if year.isdigit() else 0,
                                         summary=request.POST.get("summary", ""),
                                         source_country=request.POST.get("source_country", ""), request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("networks:detail", network.pk)
    return redirect("networks:diagnosis", found.pk)


@signed_in
def diagnosis_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = access_diagnosis(request.user, pk)
    return render(request, "networks/diagnosis.html", {
        "diagnosis": found, **content.content(found, request.user),
        "may_edit": may_edit_network(request.user, found.network) and found.status != Diagnosis.Status.COSIGNED,
        "may_share": may_edit_network(request.user, found.network) and found.status == Diagnosis.Status.DRAFTING,
        "may_comment": may_comment(request.user, found) and found.status != Diagnosis.Status.COSIGNED,
        "may_cosign": may_cosign(request.user, found) and found.status in (Diagnosis.Status.SHARED,
                                                                             Diagnosis.Status.COMMENTED)})


@signed_in
def diagnosis_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from palermo.steering.report import render_pdf

    found = access_diagnosis(request.user, pk)
    language = request.GET.get("lang", translation.get_language() or "en")
    if language not in ("en", "fr"):
        language = "en"
    with translation.override(language):
        html = render_to_string("networks/diagnosis_document.html", {
            "diagnosis": found, **content.content(found, request.user), "language": language})
    body = render_pdf(html.encode("utf-8"))
    record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="networks.diagnosis", object_id=found.pk,
           country=found.network.owner_country_id, request=request, detail={"format": "pdf", "language": language})
    response = file_response(body, content_type="application/pdf",
                             file_name=f"diagnosis-{found.network.pk}-{found.year}-{language}.pdf")
    return response


@signed_in
@require_POST
def diagnosis_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    found = access_diagnosis(request.user, pk)
    comment = request.POST.get("comment", "")
    try:
        if step == "edit":
            services.edit_diagnosis(acting_user=request.user, diagnosis=found, summary=request.POST.get("summary", ""),
                                    request=request)
        elif step == "share":
            services.share_diagnosis(acting_user=request.user, diagnosis=found, request=request)
        elif step == "comment":
            services.comment_diagnosis(acting_user=request.user, diagnosis=found, comment=comment, request=request)
        elif step == "cosign":
            services.cosign_diagnosis(acting_user=request.user, diagnosis=found, comment=comment, request=request)
        else:
            raise Http404
        messages.success(request, _("Saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("networks:diagnosis", found.pk)
