"""Entity resolution: the trained Splink models (versioned), the records being resolved, the candidate pairs the
model scored, the analysts' judgements on them (attributed, dated, reversible) and the unique-victim counts made
from encodings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Principal, is_active_user, is_system
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.networks.models import Entity
from palermo.partners.models import Organisation
from palermo.reference.models import Country

REVIEW_ROLES = frozenset({Role.ANALYST})


class TrainedModel(models.Model):
    """One trained Splink model (its settings JSON with the m and u probabilities), numbered per kind of entity."""

    entity_type = models.CharField(_("kind of entity"), max_length=20)
    version = models.PositiveIntegerField(_("version"))
    settings_json = models.JSONField(_("Splink model"))
    records = models.PositiveIntegerField(_("records trained on"), default=0)
    source = models.CharField(_("trained on"), max_length=300, blank=True)
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True)
    trained_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("trained by"))
    trained_by_name = models.CharField(_("trained by"), max_length=150, blank=True)

    class Meta:
        ordering = ["entity_type", "-version"]
        constraints = [models.UniqueConstraint(fields=["entity_type", "version"], name="linkage_model_version")]
        verbose_name = _("linkage model")
        verbose_name_plural = _("linkage models")

    def __str__(self) -> str:
        return f"{self.entity_type} v{self.version}"


class LinkRecordQuerySet(models.QuerySet["LinkRecord"]):
    def visible_to(self, user: Principal | None) -> LinkRecordQuerySet:
        """Analysts: the records of their countries. The system: all. Everyone else: none."""
        if is_system(user):
            return self
        if not (is_active_user(user) and user.role in REVIEW_ROLES):
            return self.none()
        codes = user.country_codes()
        return self if codes is None else self.filter(country_id__in=codes)


class LinkRecord(models.Model):
    """One person as one source recorded them (``palermo.linkage.records.PersonRecord``): names, date of birth,
    documents, the case it is tied to if any. ``canonical_id`` is the resolved person it belongs to (FtM's
    canonical id, as nomenklatura keeps it): empty while it stands alone."""

    source_name = models.CharField(_("source"), max_length=100)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    reference = models.CharField(_("reference in the source"), max_length=100)
    names = models.JSONField(_("names"), default=list)
    dob = models.CharField(_("date of birth"), max_length=10, blank=True)
    documents = models.JSONField(_("documents"), default=list, help_text=_("[country, number] pairs"))
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("case"))
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("network entity"))
    canonical_id = models.CharField(_("resolved person"), max_length=40, blank=True, db_index=True)

    objects = LinkRecordQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["source_name", "reference"], name="linkage_record_ref")]
        verbose_name = _("record to resolve")
        verbose_name_plural = _("records to resolve")

    def __str__(self) -> str:
        return f"{self.source_name}:{self.reference}"

    @property
    def resolved_id(self) -> str:
        return self.canonical_id or f"R{self.pk}"

    def facts(self) -> dict[str, Any]:
        return {"id": self.pk, "names": list(self.names), "dob": self.dob,
                "documents": [list(d) for d in self.documents], "country": self.country_id,
                "source": self.source_name}


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("same person")
    REJECTED = "rejected", _("different people")
    UNSURE = "unsure", _("unsure")


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def visible_to(self, user: Principal | None) -> CandidateQuerySet:
        """The pairs whose two records the user may see (``LinkRecord.visible_to``)."""
        records = LinkRecord.objects.visible_to(user)
        if records.query.is_empty():
            return self.none()
        if is_system(user):
            return self
        return self.filter(left__in=records, right__in=records)

    def queue(self) -> CandidateQuerySet:
        """Open pairs, what is at stake first (records tied to cases), then the most uncertain."""
        return self.filter(verdict="").order_by("-stake", "uncertainty", "pk")


class Candidate(models.Model):
    """A pair of records the model scored above the candidate floor, waiting for (or carrying) a verdict."""

    left = models.ForeignKey(LinkRecord, on_delete=models.CASCADE, related_name="+", verbose_name=_("record"))
    right = models.ForeignKey(LinkRecord, on_delete=models.CASCADE, related_name="+", verbose_name=_("other record"))
    model = models.ForeignKey(TrainedModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("model"))
    match_probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    uncertainty = models.FloatField(_("distance from even odds"), db_index=True)
    stake = models.PositiveIntegerField(_("records tied to cases"), default=0)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-stake", "uncertainty", "pk"]
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="linkage_candidate_pair")]
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")

    def __str__(self) -> str:
        return f"{self.left_id}~{self.right_id} ({self.match_probability:.3f})"


class Judgement(models.Model):
    """An analyst's verdict on a pair: who, when, what the records' resolved ids were before and after (so that
    an undo restores them exactly), the conflicts shown before a merge; undone ones stay, marked."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="judgements",
                                  verbose_name=_("candidate pair"))
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("judged by"))
    judged_by_name = models.CharField(_("judged by"), max_length=150)
    judged_at = models.DateTimeField(_("judged at"), auto_now_add=True)
    before = models.JSONField(_("resolved ids before"), default=dict)
    after = models.JSONField(_("resolved ids after"), default=dict)
    conflicts = models.JSONField(_("conflicting facts"), default=list, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by_name = models.CharField(_("undone by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-judged_at", "-pk"]
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.verdict}"


class UniqueCount(models.Model):
    """Distinct victims estimated centrally from the organisations' encodings (never names)."""

    counted_at = models.DateTimeField(_("counted at"), auto_now_add=True)
    counted_by_name = models.CharField(_("counted by"), max_length=150)
    method = models.CharField(_("method"), max_length=60)
    records = models.PositiveIntegerField(_("victims recorded"))
    distinct = models.PositiveIntegerField(_("distinct victims (estimated)"))
    by_country = models.JSONField(_("per country"), default=dict)
    overlap = models.JSONField(_("overlap between organisations"), default=dict)

    class Meta:
        ordering = ["-counted_at", "-pk"]
        verbose_name = _("unique-victim count")
        verbose_name_plural = _("unique-victim counts")

    def __str__(self) -> str:
        return f"{self.distinct}/{self.records}"
