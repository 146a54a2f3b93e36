from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.jobs.models import Job
from palermo.steering import services
from palermo.steering.access import (
    access_managed_meeting,
    access_meeting,
    may_manage_steering,
    may_read_steering,
    review_scope,
)
from palermo.steering.filters import MeetingFilter
from palermo.steering.forms import CloseMeetingForm, DecisionForm, MeetingForm
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
from palermo.steering.report import meeting_decisions, plotly_chart, review_and_tables
from palermo.tabular import Format
from palermo.web.listing import download, list_page


def _language(request: AuthenticatedHttpRequest) -> str:
    wanted = request.GET.get("lang") or get_language() or "en"
    return "fr" if wanted.startswith("fr") else "en"


@signed_in
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_read_steering(request.user):
        raise Http404
    meetings = SteeringMeeting.objects.visible_to(request.user).prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.visible_to(request.user)))
    listing = list_page(request, meetings, MeetingFilter, per_page=None)
    return render(
        request,
        "steering/meeting_list.html",
        {"listing": listing, "meetings": listing.page.object_list, "may_manage": may_manage_steering(request.user)},
    )


@signed_in
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_manage_steering(request.user):
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting created."))
            return redirect("steering:detail", year=meeting.year)
    return render(request, "steering/meeting_form.html", {"form": form})


@signed_in
def meeting_detail(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    meeting = access_meeting(request.user, year)
    scope = review_scope(request.user)
    # Loaded once: the page's table and the review's both show them (a reader's version, those of its actions).
    decisions = meeting_decisions(meeting, request.user)
    pdf_urls = [services.review_pdf_url(meeting, language) for language in services.LANGUAGE_CODES]
    context: dict[str, object] = {
        "meeting": meeting,
        "may_manage": may_manage_steering(request.user),
        "decisions": decisions,
        "pdf_jobs": list(Job.objects.visible_to(request.user).unfinished().filter(
            kind=services.PDF_JOB_KIND, next_url__in=pdf_urls)),
        "version": None if scope is None else {"scope": scope, "version": services.version_name(scope)},
        "version_missing": scope is not None and meeting.is_closed and not services.has_frozen_facts(meeting),
    }
    if not meeting.is_closed:
        review, tables = review_and_tables(meeting, _language(request), scope, decisions)
        context.update(
            review=review,
            tables=tables,
            charts=[(chart, plotly_chart(chart)) for chart in tables.charts.values()],
            decision_form=DecisionForm(),
            close_form=CloseMeetingForm(),
        )
    return render(request, "steering/meeting_detail.html", context)


@signed_in
@require_POST
def meeting_close(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    meeting = access_managed_meeting(request.user, year)
    form = CloseMeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(message) for message in form.errors["confirm"]))
        return redirect("steering:detail", year=year)
    try:  # the PDFs are made by the worker, from the frozen HTML (services.close_meeting says why that is sealed)
        services.close_meeting(acting_user=request.user, meeting=meeting, with_pdf=False, queue_pdf=True,
                               request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is closed and its review frozen; its PDFs are being made."))
    return redirect("steering:detail", year=year)


@signed_in
def decision_create(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    meeting = access_managed_meeting(request.user, year)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_decision(acting_user=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("steering:detail", year=year)
    return render(request, "steering/decision_form.html", {"form": form, "meeting": meeting})


@signed_in
@xframe_options_sameorigin
def review_document(request: AuthenticatedHttpRequest, year: int, fmt: str) -> HttpResponse:
    meeting = access_meeting(request.user, year)
    if fmt not in (FrozenReview.Format.HTML, FrozenReview.Format.PDF):
        raise Http404
    language = _language(request)
    try:
        if fmt == FrozenReview.Format.PDF:
            found = services.ready_review_pdf(acting_user=request.user, meeting=meeting, language=language)
            if found is None:  # WeasyPrint takes seconds: the worker makes it, its page links back here
                job = services.queue_review_pdf(acting_user=request.user, meeting=meeting, language=language,
                                                request=request)
                return redirect("jobs:detail", pk=job.pk)
            content = found
        else:
            content = services.review_bytes(acting_user=request.user, meeting=meeting, language=language, fmt=fmt)
    except services.FrozenReviewAltered:
        return HttpResponse(
            _("The stored review does not match its hash: it was altered. Tell the administrator."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    except FrozenReview.DoesNotExist as error:
        raise Http404 from error
    if fmt == FrozenReview.Format.PDF:
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="steering-review-{year}-{language}.pdf"'
        return response
    return HttpResponse(content, content_type="text/html; charset=utf-8")


@signed_in
def review_table(request: AuthenticatedHttpRequest, year: int, table: str, fmt: Format = "csv") -> HttpResponse:
    """A table of a draft review (the reader's version) as CSV or XLSX."""
    meeting = access_meeting(request.user, year)
    if meeting.is_closed:
        raise Http404  # a closed meeting's record is its frozen review, tables included
    scope = review_scope(request.user)
    _review, tables = review_and_tables(meeting, _language(request), scope)
    found = tables.get(table)
    if found is None:
        raise Http404
    return download(
        request,
        name="steering.review_table",
        fmt=fmt,
        headers=found.columns,
        rows=found.rows,
        detail={"year": year, "table": table, "version": scope.key if scope else ""},
        file_name=f"steering-{year}-{table}.{fmt}",
    )
