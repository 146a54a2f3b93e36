"""The choices of the capacity app: professions, sex, training mode and status, follow-up answers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    POLICE = "police", _("police")
    BORDER_POLICE = "border_police", _("border police")
    PROSECUTOR = "prosecutor", _("prosecutors")
    JUDGE = "judge", _("judges")
    LABOUR_INSPECTOR = "labour_inspector", _("labour inspectors")
    SOCIAL_WORKER = "social_worker", _("social workers")
    HEALTH_STAFF = "health_staff", _("health staff")
    TEACHER = "teacher", _("teachers")
    NGO_STAFF = "ngo_staff", _("NGO staff")
    CONSULAR_STAFF = "consular_staff", _("consular staff")


class Sex(models.TextChoices):
    """The keys of the results framework's sex disaggregation (programme ``codes.SEXES``)."""

    FEMALE = "female", _("women")
    MALE = "male", _("men")
    OTHER = "other", _("other")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    BLENDED = "blended", _("in person and online")


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class MaterialKind(models.TextChoices):
    CURRICULUM = "curriculum", _("curriculum")
    AGENDA = "agenda", _("agenda")
    SLIDES = "slides", _("slides")
    HANDOUT = "handout", _("handout")
    TEST = "test", _("test")
    OTHER = "other", _("other")


class PracticeChange(models.TextChoices):
    YES = "yes", _("yes, practice changed")
    PARTLY = "partly", _("partly")
    NO = "no", _("no change")
