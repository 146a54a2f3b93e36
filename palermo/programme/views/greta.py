"""Pages of the GRETA recommendations: the list (with its downloads), one recommendation, the CSV upload."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.programme import uploads
from palermo.programme.access import access_recommendation, greta_countries, may_upload_greta
from palermo.programme.filters import GretaRecommendationFilter
from palermo.programme.forms import GretaUploadForm
from palermo.programme.models import Action, ActivityStatus, GretaRecommendation, is_answered
from palermo.programme.services import greta
from palermo.reference.models import Country
from palermo.web.listing import download, list_page, own_country, yes_no

GRETA_HEADERS = (_lazy("Country"), _lazy("Round"), _lazy("Report date"), _lazy("Paragraph"), _lazy("Theme"),
                 _lazy("Level"), _lazy("Text"), _lazy("Articles"), _lazy("Follow-up"),
                 _lazy("Invented for the demo"), _lazy("Answered by an action"))
GRETA_MAX_BYTES = 5 * 1024 * 1024


@signed_in
def greta_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = (GretaRecommendation.objects.visible_to(request.user).select_related("country")
             .annotate(answered=is_answered()))
    listing = list_page(request, found, GretaRecommendationFilter, per_page=None,  # one page, as always
                        defaults={"country": own_country(request.user)})
    if listing.download and listing.filterset.is_valid():
        rows = [[r.country.name, r.round, r.report_date, r.paragraph, r.get_theme_display(), r.get_level_display(),
                 r.text, r.articles, r.get_follow_up_display(), yes_no(r.is_demo), yes_no(r.answered)]
                for r in listing.queryset]
        return download(request, name="greta_recommendations", fmt=listing.download, headers=GRETA_HEADERS,
                        rows=rows)
    return render(request, "programme/greta_list.html", {
        "listing": listing, "page": listing.page, "countries": Country.objects.programme(),
        "params": listing.params, "levels": GretaRecommendation.Level.choices,
        "follow_ups": GretaRecommendation.FollowUp.choices, "query": listing.query,
        "may_upload": may_upload_greta(request.user),
    }, status=400 if listing.filterset.errors else 200)


@signed_in
def greta_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = access_recommendation(request.user, pk)
    actions = Action.objects.visible_to(request.user).filter(greta_recommendations=recommendation)
    return render(request, "programme/greta_detail.html", {
        "recommendation": recommendation, "actions": actions,
        "answered_count": recommendation.actions.exclude(status=ActivityStatus.CANCELLED).count(),
    })


@signed_in
def greta_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Programme managers load any country's recommendations; a national coordinator only its own
    countries' (a row of another country refuses the whole file, naming the row)."""
    user = request.user
    if not may_upload_greta(user):
        raise Http404
    allowed = greta_countries(user)
    form = GretaUploadForm(request.POST or None, request.FILES or None)
    problems: list[greta.Problem] = []
    checked = 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        text = _greta_text(form, upload)
        if text is not None:
            try:
                if form.cleaned_data["check_only"]:
                    checked = len(greta.parse(text, allowed))
                else:
                    report = greta.import_recommendations(acting_user=user, text=text, source=upload.name or "")
                    messages.success(request, _("GRETA recommendations: %(created)s created, %(updated)s updated.")
                                     % {"created": report.created, "updated": report.updated})
                    return redirect("programme:greta_list")
            except greta.GretaImportError as error:
                problems = error.problems
            except PermissionDenied:
                raise Http404 from None
    return render(request, "programme/greta_upload.html", {
        "form": form, "problems": problems, "checked": checked, "columns": greta.COLUMNS,
        "required": greta.REQUIRED, "countries": sorted(allowed) if allowed is not None else None,
    })


def _greta_text(form: GretaUploadForm, upload: UploadedFile) -> str | None:
    if (upload.size or 0) > GRETA_MAX_BYTES:
        form.add_error("file", _("The file is larger than %(limit)s MB.") % {"limit": GRETA_MAX_BYTES // 1_048_576})
        return None
    if uploads.extension_of(upload.name or "") != ".csv":
        form.add_error("file", _("Give a .csv file."))
        return None
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError as error:
        form.add_error("file", _("The file is not UTF-8 text (byte %(byte)s); save it as CSV UTF-8.")
                       % {"byte": error.start})
        return None
