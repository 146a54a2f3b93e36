"""The training pages: list (with CSV/XLSX), detail (aggregates for all its readers, names for its organisers and
the programme managers), the forms, the attendance upload (a background job), materials and certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.capacity import access, services
from palermo.capacity.certificates import certificates_pdf
from palermo.capacity.choices import Profession, Sex, Status
from palermo.capacity.figures import training_figures
from palermo.capacity.filters import TrainingFilter
from palermo.capacity.forms import (
    AttendanceForm,
    FollowUpForm,
    MaterialForm,
    ParticipantForm,
    SurveyForm,
    TrainingForm,
)
from palermo.capacity.jobs import create_attendance_import
from palermo.capacity.models import Participant, Training
from palermo.i18n import day
from palermo.programme import uploads
from palermo.reference.models import Country
from palermo.web.listing import download, file_response, list_page, own_country, yes_no


def _headers() -> list[str]:
    return [_("Title"), _("Country"), _("Start"), _("End"), _("Format"), _("Place"), _("Funding action"),
            _("Status"), _("Trained"), _("Women"), _("Men"), _("Other")]


def _with_counts(queryset: Any) -> Any:
    trained = Q(participants__attended=True)
    return queryset.annotate(
        trained=Count("participants", filter=trained),
        women=Count("participants", filter=trained & Q(participants__sex=Sex.FEMALE)),
        men=Count("participants", filter=trained & Q(participants__sex=Sex.MALE)),
        other=Count("participants", filter=trained & Q(participants__sex=Sex.OTHER)))


@signed_in
def training_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every reader of a training sees it here with its counts (no name)."""
    found = _with_counts(Training.objects.visible_to(request.user).select_related("country", "action"))
    listing = list_page(request, found, TrainingFilter, sorts={
        "start": ("start_date", "pk"), "country": ("country__name_en", "-start_date", "pk"),
        "title": ("title_en", "pk")}, default_sort="-start", defaults={"country": own_country(request.user)})
    if listing.download and listing.filterset.is_valid():
        rows = [[t.title, t.country.name, t.start_date, t.end_date, t.get_mode_display(), t.place,
                 t.action.iati_identifier, t.get_status_display(), t.trained, t.women, t.men, t.other]
                for t in listing.queryset]
        return download(request, name="capacity.trainings", fmt=listing.download, headers=_headers(), rows=rows,
                        file_name=f"trainings.{listing.download}")
    return render(request, "capacity/list.html", {
        "listing": listing, "page": listing.page, "params": listing.params, "query": listing.query,
        "countries": Country.objects.programme(), "statuses": Status.choices,
        "may_create": access.may_organise(request.user),
    }, status=400 if listing.filterset.errors else 200)


@signed_in
def training_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = access.access_training(request.user, pk)
    names = access.may_read_names(request.user, training)
    editable = access.may_edit_training(request.user, training)
    figures = training_figures(training)
    participants = list(training.participants.select_related("follow_up")) if names else []
    if names:
        record(actor=request.user, action=AuditEvent.Action.READ_RECORDS, object_type="capacity.training",
               object_id=training.pk, country=training.country_id, request=request,
               detail={"participants": len(participants)})
    professions = dict(Profession.choices)
    return render(request, "capacity/detail.html", {
        "training": training, "figures": figures, "names": names, "editable": editable,
        "participants": participants, "materials": training.materials.all(),
        "organisers": training.organisers.order_by("username") if names else [],
        "by_profession": sorted(((str(professions.get(k, k)), v) for k, v in figures.by_profession.items()),
                                key=lambda item: -item[1]),
        "by_sex": [(label, figures.by_sex.get(value, 0)) for value, label in Sex.choices],
        "imports": training.imports.select_related("job")[:10] if editable else [],
        "attendance_form": AttendanceForm() if editable else None,
        "survey_labels": [(_("overall satisfaction"), figures.survey_means.get("overall")),
                          (_("relevance to the work"), figures.survey_means.get("relevance")),
                          (_("trainers"), figures.survey_means.get("trainers")),
                          (_("organisation"), figures.survey_means.get("organisation"))],
        "follow_up_rows": [(label, figures.follow_up_answers.get(value, 0))
                           for value, label in services.PracticeChange.choices],
    })


def _save(request: AuthenticatedHttpRequest, form: Any, call: Any) -> Any:
    """Run a service with the form's data; its ValidationError goes onto the form (None then)."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            form.add_error(None, error)
    return None


@signed_in
def training_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.may_organise(request.user):
        raise Http404
    form = TrainingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            training = _save(request, form, lambda: services.create_training(
                acting_user=request.user, data=form.data_for_service(), request=request))
        except PermissionDenied:
            form.add_error("action", _("You may not hold a training in this country with this action."))
            training = None
        if training is not None:
            messages.success(request, _("Training recorded."))
            return redirect("capacity:detail", pk=training.pk)
    return render(request, "capacity/form.html", {"form": form, "heading": _("New training"),
                                                  "cancel": "capacity:list"})


@signed_in
def training_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = access.access_editable_training(request.user, pk)
    form = TrainingForm(request.POST or None, user=request.user, initial=TrainingForm.initial_of(training))
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, lambda: services.update_training(
                acting_user=request.user, training=training, data=form.data_for_service(), request=request))
        except PermissionDenied:
            form.add_error("action", _("You may not hold a training in this country with this action."))
            saved = None
        if saved is not None:
            messages.success(request, _("Training saved."))
            return redirect("capacity:detail", pk=training.pk)
    return render(request, "capacity/form.html", {"form": form, "heading": _("Edit the training"),
                                                  "training": training})


@signed_in
@require_POST
def training_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = access.access_editable_training(request.user, pk)
    services.delete_training(acting_user=request.user, training=training, request=request)
    messages.success(request, _("Training removed."))
    return redirect("capacity:list")


@signed_in
def participant_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = access.access_editable_training(request.user, pk)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form, lambda: services.add_participant(
            acting_user=request.user, training=training, data=form.data_for_service(), request=request)):
        messages.success(request, _("Participant added."))
        return redirect("capacity:detail", pk=training.pk)
    return render(request, "capacity/form.html", {"form": form, "heading": _("Add a participant"),
                                                  "training": training})


@signed_in
def participant_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = access.access_participant(request.user, pk)
    initial = {name: getattr(participant, name) for name in ParticipantForm.base_fields}
    form = ParticipantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, lambda: services.update_participant(
            acting_user=request.user, participant=participant, data=form.data_for_service(), request=request)):
        messages.success(request, _("Participant saved."))
        return redirect("capacity:detail", pk=participant.training_id)
    return render(request, "capacity/form.html", {"form": form, "heading": _("Edit a participant"),
                                                  "training": participant.training})


@signed_in
@require_POST
def participant_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = access.access_participant(request.user, pk)
    training_id = participant.training_id
    services.remove_participant(acting_user=request.user, participant=participant, request=request)
    messages.success(request, _("Participant removed."))
    return redirect("capacity:detail", pk=training_id)


@signed_in
def follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = access.access_participant(request.user, pk)
    first, last = services.follow_up_window(participant.training)
    existing = getattr(participant, "follow_up", None) if hasattr(participant, "follow_up") else None
    initial = ({"date": existing.date, "practice_changed": existing.practice_changed, "example": existing.example}
               if existing else {})
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, lambda: services.record_follow_up(
            acting_user=request.user, participant=participant, data=form.data_for_service(), request=request)):
        messages.success(request, _("Follow-up recorded."))
        return redirect("capacity:detail", pk=participant.training_id)
    return render(request, "capacity/form.html", {
        "form": form, "heading": _("Follow-up of %(name)s") % {"name": participant}, "training": participant.training,
        "note": _("Three to six months after the training: between %(first)s and %(last)s.") % {
            "first": day(first), "last": day(last)}})


@signed_in
def survey_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = access.access_editable_training(request.user, pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form, lambda: services.add_survey_response(
            acting_user=request.user, training=training, data=form.data_for_service(), request=request)):
        messages.success(request, _("Survey answer recorded."))
        return redirect("capacity:survey", pk=training.pk)
    return render(request, "capacity/form.html", {
        "form": form, "heading": _("Reaction survey: one answer"), "training": training,
        "note": _("Ratings from 1 (poor) to 5 (excellent). The answers are anonymous.")})


@signed_in
def material_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = access.access_editable_training(request.user, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(request, form, lambda: services.add_material(
                acting_user=request.user, training=training, title=data["title"], kind=data["kind"],
                language=data["language"], upload=data["upload"], request=request)):
            messages.success(request, _("Material added."))
            return redirect("capacity:detail", pk=training.pk)
    return render(request, "capacity/form.html", {"form": form, "heading": _("Add a material"),
                                                  "training": training, "multipart": True,
                                                  "note": _("Accepted files: %(kinds)s.") % {
                                                      "kinds": ", ".join(uploads.EXTENSIONS)}})


@signed_in
def material_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    material = access.access_material(request.user, pk)
    extension = uploads.extension_of(material.file.name or "")
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="capacity.material",
           object_id=material.pk, request=request, detail={"training": material.training_id})
    response = FileResponse(handle, as_attachment=True, filename=f"material-{material.pk}{extension}",
                            content_type=uploads.CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@signed_in
@require_POST
def material_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = access.access_material(request.user, pk)
    if not access.may_edit_training(request.user, material.training):
        raise Http404
    services.remove_material(acting_user=request.user, material=material, request=request)
    messages.success(request, _("Material removed."))
    return redirect("capacity:detail", pk=material.training_id)


@signed_in
@require_POST
def attendance_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = access.access_editable_training(request.user, pk)
    form = AttendanceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            found = create_attendance_import(acting_user=request.user, training=training,
                                             upload=form.cleaned_data["upload"], request=request)
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            if found.job_id:
                return redirect("jobs:detail", pk=found.job_id)
    else:
        messages.error(request, _("Choose a CSV or XLSX file."))
    return redirect("capacity:detail", pk=training.pk)


@signed_in
def import_detail(request: AuthenticatedHttpRequest, pk: int, import_pk: int) -> HttpResponse:
    training = access.access_editable_training(request.user, pk)
    found = training.imports.filter(pk=import_pk).select_related("job").first()
    if found is None:
        raise Http404
    return render(request, "capacity/import.html", {"training": training, "found": found,
                                                    "report": found.report or {}})


@signed_in
def participants_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The attendance list with scores and follow-ups: names, for the organisers and programme managers only."""
    training = access.access_named_training(request.user, pk)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    headers = [_("Given name"), _("Family name"), _("Sex"), _("Profession"), _("Organisation"), _("Email"),
               _("Attended"), _("Pre-test score"), _("Post-test score"), _("Practice changed")]
    rows = [[p.given_name, p.family_name, p.get_sex_display(), p.get_profession_display(), p.organisation, p.email,
             yes_no(p.attended), p.pre_score, p.post_score,
             p.follow_up.get_practice_changed_display() if hasattr(p, "follow_up") else ""]
            for p in Participant.objects.filter(training=training).select_related("follow_up")]
    return download(request, name="capacity.participants", fmt=fmt, headers=headers, rows=rows,  # type: ignore[arg-type]
                    country=training.country_id, detail={"training": training.pk},
                    file_name=f"participants-{training.pk}.{fmt}")


@signed_in
def survey(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The reaction survey's answers (anonymous): every reader of the training."""
    training = access.access_training(request.user, pk)
    return render(request, "capacity/survey.html", {
        "training": training, "figures": training_figures(training),
        "responses": training.survey_responses.all(), "editable": access.may_edit_training(request.user, training)})


@signed_in
def certificates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Bilingual attendance certificates of everyone who attended (or of one participant: ``?participant=``)."""
    training = access.access_named_training(request.user, pk)
    if training.status != Status.HELD:
        raise Http404
    people = training.participants.filter(attended=True)
    wanted = request.GET.get("participant", "")
    if wanted:
        if not wanted.isascii() or not wanted.isdigit():
            raise Http404
        people = people.filter(pk=int(wanted))
    chosen = list(people)
    if not chosen:
        raise Http404
    body = certificates_pdf(training, chosen)
    record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="capacity.certificate",
           object_id=training.pk, country=training.country_id, request=request,
           detail={"format": "pdf", "participants": [p.pk for p in chosen]})
    name = f"certificate-{training.pk}-{chosen[0].pk}.pdf" if wanted else f"certificates-{training.pk}.pdf"
    return file_response(body, content_type="application/pdf", file_name=name)
