"""State changes of capacity building: keyword-only, atomic, audited in the same transaction. The rules come from
``palermo.capacity.access``; a refused actor gets ``PermissionDenied`` before anything is written, bad input a
``ValidationError`` naming the field. A change of the figures (participants, attendance, a training's status, dates
or action) refreshes the indicator periods the trainings measure (``palermo.programme.feeds``) in the same
transaction.

Audit rows keep ids, codes and counts, never a participant's name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, person_of
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.capacity.access import may_edit_training, may_organise_in
from palermo.capacity.choices import MaterialKind, Mode, PracticeChange, Profession, Sex, Status
from palermo.capacity.models import ORGANISER_ROLES, FollowUp, Material, Participant, SurveyResponse, Training
from palermo.i18n import day
from palermo.partners.models import Organisation
from palermo.programme import uploads
from palermo.programme.choices import DOCUMENT_LANGUAGES
from palermo.programme.models import Action
from palermo.programme.services.documents import upload_problem_message
from palermo.programme.services.results import refresh_measured_periods
from palermo.reference.models import Country

FOLLOW_UP_DAYS = (90, 186)  # three to six months after the training's last day
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def refresh_figures(acting_user: Actor, action_ids: Iterable[int]) -> None:
    """The indicator periods measured by the trainings of these actions, computed again (same transaction)."""
    ids = sorted({pk for pk in action_ids if pk})
    if not ids:
        return
    refresh_measured_periods(acting_user=acting_user, action_ids=ids)


def require_edit(actor: Actor, training: Training) -> None:
    if not may_edit_training(actor, training):
        raise PermissionDenied


def locked_training(training: Training) -> Training:
    return Training.objects.select_for_update().get(pk=training.pk)


# Trainings -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingData:
    """What a training says, as the page form or the API gives it."""

    title_en: str
    country: Country
    action: Action
    start_date: date
    end_date: date
    title_fr: str = ""
    organiser_organisation: Organisation | None = None
    status: str = Status.PLANNED
    mode: str = Mode.IN_PERSON
    place: str = ""
    hours: int | None = None
    trainers: str = ""
    curriculum: str = ""
    max_score: Decimal = Decimal("100")
    organisers: tuple[User, ...] | None = None  # None: unchanged (on creation: the creator)


FIELDS = ("title_en", "title_fr", "country_id", "action_id", "organiser_organisation_id", "status", "start_date",
          "end_date", "mode", "place", "hours", "trainers", "curriculum", "max_score")


def _training_problems(data: TrainingData) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not data.title_en.strip():
        problems["title_en"] = [_("Give the title in English.")]
    if data.end_date < data.start_date:
        problems["end_date"] = [_("The end cannot come before the start.")]
    if data.status not in Status.values:
        problems["status"] = [_("Choose a status from the list.")]
    if data.mode not in Mode.values:
        problems["mode"] = [_("Choose a format from the list.")]
    elif data.mode != Mode.ONLINE and not data.place.strip():
        problems["place"] = [_("Give the place of a training held in person.")]
    if data.action.is_external:
        problems["action"] = [_("A training is funded by one of the programme's own actions, not another donor's.")]
    elif not data.action.country_shares.filter(country_id=data.country.code).exists():
        problems["country"] = [_("The funding action has no share in this country.")]
    if data.hours is not None and not 1 <= data.hours <= 500:
        problems["hours"] = [_("Give a duration between 1 and 500 hours.")]
    if not Decimal("1") <= data.max_score <= Decimal("9999"):
        problems["max_score"] = [_("The highest test score lies between 1 and 9999.")]
    if data.status == Status.HELD and data.start_date > date.today():
        problems["status"] = [_("A training starting in the future cannot be marked held.")]
    for organiser in data.organisers or ():
        if organiser.role not in ORGANISER_ROLES or not organiser.is_active:
            problems.setdefault("organisers", []).append(
                _("%(user)s cannot organise a training: only programme managers, national coordinators and "
                  "international organisation partners do.") % {"user": organiser.username})
    return problems


def _values(data: TrainingData) -> dict[str, Any]:
    return {"title_en": data.title_en.strip(), "title_fr": data.title_fr.strip(), "country_id": data.country.code,
            "action_id": data.action.pk,
            "organiser_organisation_id": data.organiser_organisation.pk if data.organiser_organisation else None,
            "status": data.status, "start_date": data.start_date, "end_date": data.end_date, "mode": data.mode,
            "place": data.place.strip(), "hours": data.hours, "trainers": data.trainers.strip(),
            "curriculum": data.curriculum.strip(), "max_score": data.max_score}


def _audit_training(training: Training) -> dict[str, Any]:
    return {"action": training.action_id, "country": training.country_id, "status": training.status,
            "start": training.start_date.isoformat(), "end": training.end_date.isoformat()}


@transaction.atomic
def create_training(*, acting_user: Actor, data: TrainingData, request: HttpRequest | None = None) -> Training:
    """A new training; its creator (of an organiser role) becomes one of its organisers."""
    if not may_organise_in(acting_user, country=data.country.code, action=data.action):
        raise PermissionDenied
    problems = _training_problems(data)
    if problems:
        raise ValidationError(problems)
    training = Training.objects.create(**_values(data), created_by=person_of(acting_user))
    organisers = list(data.organisers or ())
    creator = person_of(acting_user)
    if creator is not None and creator.role in ORGANISER_ROLES and creator not in organisers:
        organisers.append(creator)
    training.organisers.set(organisers)
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="capacity.training",
           object_id=training.pk, country=training.country_id, request=request,
           detail={**_audit_training(training), "organisers": sorted(u.pk for u in organisers)})
    refresh_figures(acting_user, [training.action_id])
    return training


@transaction.atomic
def update_training(*, acting_user: Actor, training: Training, data: TrainingData,
                    request: HttpRequest | None = None) -> Training:
    locked = locked_training(training)
    require_edit(acting_user, locked)
    if (data.country.code != locked.country_id or data.action.pk != locked.action_id) and not may_organise_in(
            acting_user, country=data.country.code, action=data.action):
        raise PermissionDenied
    problems = _training_problems(data)
    if problems:
        raise ValidationError(problems)
    before_action = locked.action_id
    values = _values(data)
    changed = sorted(name.removesuffix("_id") for name, value in values.items() if getattr(locked, name) != value)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    if data.organisers is not None:
        before = set(locked.organisers.values_list("pk", flat=True))
        if before != {u.pk for u in data.organisers}:
            locked.organisers.set(data.organisers)
            changed.append("organisers")
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="capacity.training",
           object_id=locked.pk, country=locked.country_id, request=request,
           detail={**_audit_training(locked), "fields": changed})
    refresh_figures(acting_user, [before_action, locked.action_id])
    return locked


@transaction.atomic
def delete_training(*, acting_user: Actor, training: Training, request: HttpRequest | None = None) -> None:
    """Remove a training with its participants, survey and materials (their files once committed)."""
    locked = locked_training(training)
    require_edit(acting_user, locked)
    pk, country, action_id = locked.pk, locked.country_id, locked.action_id
    files = [m.file.name for m in locked.materials.all() if m.file.name]
    participants = locked.participants.count()
    locked.delete()
    storage = Material.file.field.storage
    for name in files:
        transaction.on_commit(lambda name=name: storage.delete(name))  # type: ignore[misc]
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="capacity.training", object_id=pk,
           country=country, request=request, detail={"action": action_id, "participants": participants})
    refresh_figures(acting_user, [action_id])


# Participants --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantData:
    given_name: str
    family_name: str
    sex: str
    profession: str
    organisation: str = ""
    email: str = ""
    attended: bool = True
    pre_score: Decimal | None = None
    post_score: Decimal | None = None


def participant_problems(data: ParticipantData, max_score: Decimal) -> dict[str, str]:
    """What is wrong with one participant, by field (shared by the form, the API and the attendance import)."""
    problems: dict[str, str] = {}
    if not data.given_name.strip():
        problems["given_name"] = _("The given name is missing.")
    if not data.family_name.strip():
        problems["family_name"] = _("The family name is missing.")
    for name, text, limit in (("given_name", data.given_name, 100), ("family_name", data.family_name, 100),
                              ("organisation", data.organisation, 300), ("email", data.email, 254)):
        if len(text) > limit:
            problems[name] = _("At most %(limit)d characters.") % {"limit": limit}
    if data.sex not in Sex.values:
        problems["sex"] = _("Unknown sex %(value)r: use one of %(values)s.") % {
            "value": data.sex, "values": ", ".join(Sex.values)}
    if data.profession not in Profession.values:
        problems["profession"] = _("Unknown profession %(value)r: use one of %(values)s.") % {
            "value": data.profession, "values": ", ".join(Profession.values)}
    if data.email and ("@" not in data.email or " " in data.email.strip()):
        problems["email"] = _("Not an email address.")
    for name, score in (("pre_score", data.pre_score), ("post_score", data.post_score)):
        if score is not None and not Decimal("0") <= score <= max_score:
            problems[name] = _("A score lies between 0 and the training's highest score (%(max)s).") % {
                "max": f"{max_score.normalize():f}"}
        elif score is not None and score != score.quantize(Decimal("0.01")):
            problems[name] = _("A score has at most two decimals.")
    return problems


def _participant_values(data: ParticipantData) -> dict[str, Any]:
    return {"given_name": data.given_name.strip(), "family_name": data.family_name.strip(), "sex": data.sex,
            "profession": data.profession, "organisation": data.organisation.strip(),
            "email": data.email.strip().lower(), "attended": data.attended, "pre_score": data.pre_score,
            "post_score": data.post_score}


@transaction.atomic
def add_participant(*, acting_user: Actor, training: Training, data: ParticipantData,
                    request: HttpRequest | None = None) -> Participant:
    locked = locked_training(training)
    require_edit(acting_user, locked)
    problems = participant_problems(data, locked.max_score)
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})
    participant = Participant.objects.create(training=locked, **_participant_values(data))
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="capacity.participant",
           object_id=participant.pk, country=locked.country_id, request=request,
           detail={"training": locked.pk, "sex": data.sex, "profession": data.profession})
    refresh_figures(acting_user, [locked.action_id])
    return participant


@transaction.atomic
def update_participant(*, acting_user: Actor, participant: Participant, data: ParticipantData,
                       request: HttpRequest | None = None) -> Participant:
    locked = Participant.objects.select_for_update().select_related("training").get(pk=participant.pk)
    require_edit(acting_user, locked.training)
    problems = participant_problems(data, locked.training.max_score)
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})
    values = _participant_values(data)
    changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="capacity.participant",
           object_id=locked.pk, country=locked.training.country_id, request=request,
           detail={"training": locked.training_id, "fields": changed})
    refresh_figures(acting_user, [locked.training.action_id])
    return locked


@transaction.atomic
def remove_participant(*, acting_user: Actor, participant: Participant, request: HttpRequest | None = None) -> None:
    locked = Participant.objects.select_for_update().select_related("training").get(pk=participant.pk)
    training = locked.training
    require_edit(acting_user, training)
    pk = locked.pk
    locked.delete()
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="capacity.participant", object_id=pk,
           country=training.country_id, request=request, detail={"training": training.pk})
    refresh_figures(acting_user, [training.action_id])


# Reaction survey and follow-up ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyData:
    overall: int
    relevance: int
    trainers: int
    organisation: int
    comment: str = ""


@transaction.atomic
def add_survey_response(*, acting_user: Actor, training: Training, data: SurveyData,
                        request: HttpRequest | None = None) -> SurveyResponse:
    """One anonymous answer to the reaction survey (the organisers key the paper forms in)."""
    locked = locked_training(training)
    require_edit(acting_user, locked)
    problems = {name: [_("A rating lies between 1 and 5.")] for name, value in asdict(data).items()
                if name != "comment" and not 1 <= value <= 5}
    if locked.status != Status.HELD:
        problems.setdefault("overall", []).append(_("Only a training held has a reaction survey."))
    if problems:
        raise ValidationError(problems)
    response = SurveyResponse.objects.create(training=locked, **{**asdict(data), "comment": data.comment.strip()})
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="capacity.surveyresponse",
           object_id=response.pk, country=locked.country_id, request=request,
           detail={"training": locked.pk, "overall": data.overall})
    return response


@dataclass(frozen=True)
class FollowUpData:
    date: date
    practice_changed: str
    example: str = ""


def follow_up_window(training: Training) -> tuple[date, date]:
    return (training.end_date + timedelta(days=FOLLOW_UP_DAYS[0]),
            training.end_date + timedelta(days=FOLLOW_UP_DAYS[1]))


@transaction.atomic
def record_follow_up(*, acting_user: Actor, participant: Participant, data: FollowUpData,
                     request: HttpRequest | None = None) -> FollowUp:
    """The follow-up of a participant, three to six months after the training (a second one replaces it)."""
    locked = Participant.objects.select_for_update().select_related("training").get(pk=participant.pk)
    training = locked.training
    require_edit(acting_user, training)
    first, last = follow_up_window(training)
    problems: dict[str, list[str]] = {}
    if not first <= data.date <= last:
        problems["date"] = [_("A follow-up takes place three to six months after the training: between "
                              "%(first)s and %(last)s.") % {"first": day(first), "last": day(last)}]
    elif data.date > date.today():
        problems["date"] = [_("The follow-up date cannot be in the future.")]
    if data.practice_changed not in PracticeChange.values:
        problems["practice_changed"] = [_("Choose an answer from the list.")]
    if not locked.attended:
        problems["participant"] = [_("This participant did not attend the training.")]
    if problems:
        raise ValidationError(problems)
    follow_up, created = FollowUp.objects.update_or_create(
        participant=locked, defaults={"date": data.date, "practice_changed": data.practice_changed,
                                      "example": data.example.strip()})
    record(actor=acting_user, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
           object_type="capacity.followup", object_id=follow_up.pk, country=training.country_id, request=request,
           detail={"training": training.pk, "participant": locked.pk, "practice_changed": data.practice_changed})
    return follow_up


# Materials ------------------------------------------------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "CAPACITY_MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES))


@transaction.atomic
def add_material(*, acting_user: Actor, training: Training, title: str, kind: str, language: str,
                 upload: UploadedFile, request: HttpRequest | None = None) -> Material:
    """A file of the training (curriculum, slides...): size-limited, and what its name says (as action documents:
    ``programme.uploads.inspect``); stored with a random name, served only to the training's readers."""
    locked = locked_training(training)
    require_edit(acting_user, locked)
    problems: dict[str, list[str]] = {}
    if not title.strip() or len(title) > 300:
        problems["title"] = [_("Give a title of at most 300 characters.")]
    if kind not in MaterialKind.values:
        problems["kind"] = [_("Choose a kind from the list.")]
    if language not in DOCUMENT_LANGUAGES:
        problems["language"] = [_("Choose a language from the list.")]
    name, limit = upload.name or "", max_bytes()
    data = upload.read(limit + 1)
    if len(data) > limit:
        problems["upload"] = [_("%(name)s is larger than %(limit)s.") % {"name": name,
                                                                         "limit": filesizeformat(limit)}]
    else:
        verdict = uploads.inspect(name, data, upload.content_type or "")
        if verdict.problem is not None:
            problems["upload"] = [upload_problem_message(verdict.problem, name)]
    if problems:
        raise ValidationError(problems)
    content_type = uploads.inspect(name, data, upload.content_type or "").content_type or ""
    material = Material(training=locked, title=title.strip(), kind=kind, language=language,
                        content_type=content_type, size=len(data))
    material.file.save(f"{uuid.uuid4().hex}{uploads.extension_of(name)}", ContentFile(data), save=False)
    try:
        material.save()
        record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="capacity.material",
               object_id=material.pk, country=locked.country_id, request=request,
               detail={"training": locked.pk, "kind": kind, "file": material.file.name,
                       "content_type": content_type, "original_name": name})
    except Exception:
        material.file.storage.delete(material.file.name)  # written outside the database: undo by hand
        raise
    return material


@transaction.atomic
def remove_material(*, acting_user: Actor, material: Material, request: HttpRequest | None = None) -> None:
    locked = Material.objects.select_for_update().select_related("training").get(pk=material.pk)
    training = locked.training
    require_edit(acting_user, training)
    pk, name = locked.pk, locked.file.name or ""
    locked.delete()
    if name:
        storage = Material.file.field.storage
        transaction.on_commit(lambda: storage.delete(name))
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="capacity.material", object_id=pk,
           country=training.country_id, request=request, detail={"training": training.pk, "file": name})
