from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.steering import services
from palermo.steering.access import access_managed_meeting, access_meeting, may_manage_steering, may_read_steering
from palermo.steering.forms import DecisionForm, MeetingForm
from palermo.steering.models import FrozenReview, SteeringMeeting
from palermo.steering.report import plotly_chart, review_and_tables, table_csv


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang") or get_language() or "en"
    return "fr" if wanted.startswith("fr") else "en"


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    if not may_read_steering(request.user):
        raise Http404
    meetings = SteeringMeeting.objects.visible_to(request.user).prefetch_related("decisions")  # type: ignore[arg-type]
    return render(
        request, "steering/meeting_list.html", {"meetings": meetings, "may_manage": may_manage_steering(request.user)}
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not may_manage_steering(request.user):
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting created."))
            return redirect("steering:detail", year=meeting.year)
    return render(request, "steering/meeting_form.html", {"form": form})


@login_required
def meeting_detail(request: HttpRequest, year: int) -> HttpResponse:
    meeting = access_meeting(request.user, year)
    context: dict[str, object] = {
        "meeting": meeting,
        "may_manage": may_manage_steering(request.user),
        "decisions": meeting.decisions.prefetch_related("actions"),
    }
    if not meeting.is_closed:
        review, tables = review_and_tables(meeting, _language(request))
        context.update(
            review=review,
            tables=tables,
            charts=[(chart, plotly_chart(chart)) for chart in tables.charts.values()],
            decision_form=DecisionForm(),
        )
    return render(request, "steering/meeting_detail.html", context)


@login_required
@require_POST
def meeting_close(request: HttpRequest, year: int) -> HttpResponse:
    meeting = access_managed_meeting(request.user, year)
    try:
        services.close_meeting(acting_user=request.user, meeting=meeting)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is closed and its review frozen."))
    return redirect("steering:detail", year=year)


@login_required
def decision_create(request: HttpRequest, year: int) -> HttpResponse:
    meeting = access_managed_meeting(request.user, year)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_decision(acting_user=request.user, meeting=meeting, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("steering:detail", year=year)
    return render(request, "steering/decision_form.html", {"form": form, "meeting": meeting})


@login_required
@xframe_options_sameorigin
def review_document(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    meeting = access_meeting(request.user, year)
    if fmt not in (FrozenReview.Format.HTML, FrozenReview.Format.PDF):
        raise Http404
    language = _language(request)
    try:
        content = services.review_bytes(
            acting_user=request.user,  # type: ignore[arg-type]
            meeting=meeting,
            language=language,
            fmt=fmt,
        )
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


@login_required
def review_table_csv(request: HttpRequest, year: int, table: str) -> HttpResponse:
    meeting = access_meeting(request.user, year)
    if meeting.is_closed:
        raise Http404  # a closed meeting's record is its frozen review, tables included
    _review, tables = review_and_tables(meeting, _language(request))
    found = tables.get(table)
    if found is None:
        raise Http404
    record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditEvent.Action.EXPORT,
        object_type="steering.review_table",
        object_id=meeting.pk,
        detail={"year": year, "table": table},
        request=request,
    )
    response = HttpResponse(table_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="steering-{year}-{table}.csv"'
    return response
