"""Capacity building: trainings funded by programme actions, their participants (professionals' personal data),
pre- and post-test scores, the anonymous reaction survey, the follow-up at three to six months and the materials.

Names of participants are read only by the training's organisers and the programme managers
(``Participant.objects.visible_to``); every other reader gets aggregates.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Principal, is_active_user
from palermo.accounts.roles import ALL_COUNTRY_ROLES, Role
from palermo.capacity.choices import MaterialKind, Mode, PracticeChange, Profession, Sex, Status
from palermo.i18n import in_active_language
from palermo.partners.models import Organisation
from palermo.programme.models import Action, ActionParticipation
from palermo.reference.models import Country

# Who may organise a training (and so be one of its organisers): the programme's managers, the national
# coordinators of its country, the international organisation partners of its action. Embassy officers and viewers
# never organise, so they never read names.
ORGANISER_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.NATIONAL_COORDINATOR, Role.IO_PARTNER})
# Who reads every training's participants by name.
NAME_READER_ROLES = frozenset({Role.PROGRAMME_MANAGER})
SCORE: dict[str, object] = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True,
                            "validators": [MinValueValidator(Decimal("0"))]}
RATING = [MinValueValidator(1), MaxValueValidator(5)]


class TrainingQuerySet(models.QuerySet["Training"]):
    def visible_to(self, user: Principal | None) -> TrainingQuerySet:
        """The trainings (without names) a user reads: every-country roles all of them; country roles their
        countries'; international organisation partners those of actions their organisation takes part in or that
        it organises; anyone those they organise."""
        if not is_active_user(user):
            return self.none()
        if user.role in ALL_COUNTRY_ROLES:
            return self.all()
        mine = Q(organisers=user)
        if user.role == Role.IO_PARTNER and user.organisation_id:
            roles = ActionParticipation.objects.filter(action=OuterRef("action_id"),
                                                       organisation_id=user.organisation_id)
            return self.filter(mine | Q(organiser_organisation_id=user.organisation_id) | Q(Exists(roles))).distinct()
        codes = user.country_codes() or frozenset()
        return self.filter(mine | Q(country_id__in=codes)).distinct()

    def named_for(self, user: Principal | None) -> TrainingQuerySet:
        """The trainings whose participants ``user`` reads by name: programme managers every one, the other
        organiser roles those they organise; nobody else any."""
        if not is_active_user(user):
            return self.none()
        if user.role in NAME_READER_ROLES:
            return self.all()
        if user.role in ORGANISER_ROLES:
            return self.filter(organisers=user)
        return self.none()

    def held(self) -> TrainingQuerySet:
        return self.filter(status=Status.HELD)


class Training(models.Model):
    """One training: where and when, which action funds it, who trains and on what."""

    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="trainings",
                                verbose_name=_("country"))
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="trainings",
                               verbose_name=_("funding action"))
    organiser_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="organised_trainings",
        verbose_name=_("organising institution"))
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="organised_trainings",
                                        verbose_name=_("organisers"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    mode = models.CharField(_("format"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place"), max_length=200, blank=True,
                             help_text=_("City and venue; empty for a training held online only."))
    hours = models.PositiveSmallIntegerField(_("duration (hours)"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(500)])
    trainers = models.TextField(_("trainers"), blank=True, help_text=_("One trainer a line, with their institution."))
    curriculum = models.TextField(_("curriculum"), blank=True)
    max_score = models.DecimalField(_("highest test score"), max_digits=6, decimal_places=2, default=Decimal("100"),
                                    validators=[MinValueValidator(Decimal("1"))])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        indexes = [models.Index(fields=["country", "start_date"])]
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="training_ends_after_start")]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self.title_en, self.title_fr)


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, user: Principal | None) -> ParticipantQuerySet:
        """Participants by name: only those of the trainings ``user`` organises (every one for managers)."""
        return self.filter(training__in=Training.objects.named_for(user).values("pk"))


class Participant(models.Model):
    """A professional on a training's attendance sheet, with the test scores."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants",
                                 verbose_name=_("training"))
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True,
                                    help_text=_("The participant's institution, as on the sheet."))
    email = models.EmailField(_("email"), blank=True)
    attended = models.BooleanField(_("attended"), default=True)
    pre_score = models.DecimalField(_("pre-test score"), **SCORE)  # type: ignore[arg-type]
    post_score = models.DecimalField(_("post-test score"), **SCORE)  # type: ignore[arg-type]

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["training", "family_name", "given_name", "pk"]
        indexes = [models.Index(fields=["training", "attended"])]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class SurveyResponse(models.Model):
    """One anonymous answer to a training's reaction survey (ratings 1 to 5)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="survey_responses",
                                 verbose_name=_("training"))
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"), validators=RATING)
    relevance = models.PositiveSmallIntegerField(_("relevance to the work"), validators=RATING)
    trainers = models.PositiveSmallIntegerField(_("trainers"), validators=RATING)
    organisation = models.PositiveSmallIntegerField(_("organisation"), validators=RATING)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["training", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.training_id}: {self.overall}/5"


class FollowUp(models.Model):
    """The follow-up of one participant three to six months after the training: did practice change?"""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="follow_up",
                                       verbose_name=_("participant"))
    date = models.DateField(_("date"))
    practice_changed = models.CharField(_("practice changed"), max_length=10, choices=PracticeChange.choices)
    example = models.TextField(_("example"), blank=True)

    class Meta:
        ordering = ["participant", "date"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.practice_changed}"


class Material(models.Model):
    """A curriculum, agenda, slides or test of a training: an uploaded file, checked as action documents are."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="materials",
                                 verbose_name=_("training"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=MaterialKind.choices)
    language = models.CharField(_("language"), max_length=5, default="en")
    file = models.FileField(_("file"), upload_to="capacity/materials/%Y/")
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["training", "kind", "title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


__all__ = [
    "AttendanceImport",
    "FollowUp",
    "Material",
    "MaterialKind",
    "Mode",
    "Participant",
    "PracticeChange",
    "Profession",
    "Sex",
    "Status",
    "SurveyResponse",
    "Training",
]


class AttendanceImport(models.Model):
    """An attendance sheet uploaded on the training's page and imported by a background job (palermo.jobs)."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", _("queued")
        SUCCEEDED = "succeeded", _("imported")
        REJECTED = "rejected", _("rejected: nothing imported")
        FAILED = "failed", _("failed: nothing imported")

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="imports",
                                 verbose_name=_("training"))
    job = models.OneToOneField("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    file_name = models.CharField(_("file"), max_length=300)
    file_path = models.CharField(max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("imported by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.QUEUED)
    report = models.JSONField(_("report"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.outcome != self.Outcome.QUEUED
