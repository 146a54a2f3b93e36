"""The annual steering committee: its meeting, its decisions and its frozen review."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from palermo.i18n import in_active_language
from palermo.programme.models import Action

if TYPE_CHECKING:
    from palermo.accounts.access import Principal


class SteeringMeetingQuerySet(models.QuerySet["SteeringMeeting"]):
    def visible_to(self, user: Principal) -> SteeringMeetingQuerySet:
        from palermo.steering.access import may_read_steering

        return self.all() if may_read_steering(user) else self.none()


class SteeringMeeting(models.Model):
    """The committee that takes stock of year ``year`` and examines the programme for ``year + 1``."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CLOSED = "closed", _("closed")

    year = models.PositiveSmallIntegerField(
        _("year reviewed"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    date = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200)
    participants = models.TextField(_("participants"), blank=True, help_text=_("One per line."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    objects = SteeringMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("steering meeting")
        verbose_name_plural = _("steering meetings")

    def __str__(self) -> str:
        return str(_("Steering committee %(year)s") % {"year": self.year})

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def participant_list(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]


class DecisionQuerySet(models.QuerySet["Decision"]):
    def visible_to(self, user: Principal) -> DecisionQuerySet:
        """Readers of the full review read every decision; the others those concerning at least one action and
        only actions they read (``Action.objects.visible_to``): a decision's text may speak of all its actions."""
        from palermo.accounts.access import is_active_user
        from palermo.steering.access import may_read_steering, reads_full_review

        if reads_full_review(user):
            return self.all()
        if not (may_read_steering(user) and is_active_user(user)):
            return self.none()
        links = Decision.actions.through.objects.filter(decision_id=OuterRef("pk"))
        readable = Action.objects.visible_to(user).values("pk")
        return self.filter(Exists(links)).exclude(Exists(links.exclude(action_id__in=readable)))


class Decision(models.Model):
    meeting = models.ForeignKey(SteeringMeeting, on_delete=models.CASCADE, related_name="decisions")
    text_en = models.TextField(_("decision (English)"))
    text_fr = models.TextField(_("decision (French)"))
    actions = models.ManyToManyField(
        Action, blank=True, related_name="steering_decisions", verbose_name=_("actions concerned")
    )
    owner = models.CharField(_("owner"), max_length=200, help_text=_("Who carries the decision out."))
    due_date = models.DateField(_("due date"), null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "due_date", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def text(self) -> str:
        return in_active_language(self.text_en, self.text_fr)


class FrozenReview(models.Model):
    """The review of a closed meeting, as it stood when closed: bytes and their SHA-256. ``scope`` is empty for the
    full review, else names the version (``figures.Scope.key``) drawn from the full review's frozen record."""

    class Format(models.TextChoices):
        HTML = "html", "HTML"
        PDF = "pdf", "PDF"
        JSON = "json", "JSON"  # the figures (``review.review_figures``), frozen with the documents
        DATA = "data", _("review facts")  # the full review's facts (``record.py``), from which versions are drawn

    meeting = models.ForeignKey(SteeringMeeting, on_delete=models.PROTECT, related_name="frozen_reviews")
    scope = models.CharField(_("version"), max_length=200, blank=True, default="",
                             help_text=_("Empty for the full review; else whose version it is."))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "scope", "language", "format"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "scope", "language", "format"],
                                    name="one_frozen_review_per_version_and_format"),
        ]
        verbose_name = _("frozen review")
        verbose_name_plural = _("frozen reviews")

    def __str__(self) -> str:
        version = f", {self.scope}" if self.scope else ""
        return f"{self.meeting} ({self.language}, {self.format}{version})"

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()

    def is_intact(self) -> bool:
        return self.digest(bytes(self.content)) == self.sha256
