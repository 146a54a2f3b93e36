"""Awareness campaigns, their materials and their reach. A campaign's money is its funding action's (no second
budget); its help lines are entries of the referral service directory (no second directory)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Principal, is_active_user
from palermo.accounts.roles import Role
from palermo.awareness.choices import (
    AGE_BAND_CHOICES,
    Channel,
    Language,
    MaterialKind,
    Population,
    ReviewStatus,
    Risk,
    Sex,
)
from palermo.partners.models import Organisation
from palermo.programme.models import Action, ActionParticipation
from palermo.reference.models import Country
from palermo.referral.models import Service

# Roles reading every campaign; roles reading the campaigns of their countries.
ALL_CAMPAIGN_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.AUDITOR})
COUNTRY_CAMPAIGN_ROLES = frozenset({Role.EMBASSY_OFFICER, Role.NATIONAL_COORDINATOR, Role.ANALYST})


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, user: Principal | None) -> CampaignQuerySet:
        """Managers and auditors: every campaign; embassy officers, national coordinators and analysts: those
        running in one of their countries; international organisation partners: those their organisation is a
        partner of or whose funding action it takes part in; case workers and viewers: none."""
        if not is_active_user(user):
            return self.none()
        if user.role in ALL_CAMPAIGN_ROLES:
            return self.all()
        if user.role in COUNTRY_CAMPAIGN_ROLES:
            codes = user.country_codes()
            if codes is None:
                return self.all()
            inside = Campaign.countries.through.objects.filter(campaign=OuterRef("pk"), country_id__in=codes)
            return self.filter(Exists(inside))
        if user.role == Role.IO_PARTNER and user.organisation_id:
            partner = Campaign.partners.through.objects.filter(campaign=OuterRef("pk"),
                                                               organisation_id=user.organisation_id)
            funder = ActionParticipation.objects.filter(action=OuterRef("action_id"),
                                                        organisation_id=user.organisation_id)
            return self.filter(Q(Exists(partner)) | Q(Exists(funder)))
        return self.none()


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=300)
    objective = models.TextField(_("objective"))
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="campaigns",
                               verbose_name=_("funding action"))
    countries = models.ManyToManyField(Country, related_name="awareness_campaigns", verbose_name=_("countries"))
    regions = models.CharField(_("regions and places"), max_length=300, blank=True)
    populations = models.JSONField(_("target populations"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    channels = models.JSONField(_("channels"), default=list)
    risks = models.JSONField(_("risks addressed"), default=list, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    partners = models.ManyToManyField(Organisation, blank=True, related_name="awareness_campaigns",
                                      verbose_name=_("partners"))
    contact_points = models.ManyToManyField(Service, blank=True, related_name="awareness_campaigns",
                                            verbose_name=_("help lines and contact points"))
    # The risk profiles aimed at (risk.py): an empty list means anyone on that dimension.
    target_citizenships = models.JSONField(_("citizenships aimed at"), default=list, blank=True)
    target_sexes = models.JSONField(_("sexes aimed at"), default=list, blank=True)
    target_age_bands = models.JSONField(_("age bands aimed at"), default=list, blank=True)
    target_recruitment = models.JSONField(_("recruitment methods aimed at"), default=list, blank=True)
    target_forms = models.JSONField(_("forms of exploitation aimed at"), default=list, blank=True)
    target_thb_forms = models.JSONField(_("forms of THB aimed at"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "title", "pk"]
        verbose_name = _("awareness campaign")
        verbose_name_plural = _("awareness campaigns")

    def __str__(self) -> str:
        return self.title

    def targets(self) -> dict[str, frozenset[str]]:
        """The campaign's aims by the dimensions of ``risk.DIMENSIONS``."""
        return {"citizenship": frozenset(self.target_citizenships), "sex": frozenset(self.target_sexes),
                "age_band": frozenset(self.target_age_bands), "recruitment": frozenset(self.target_recruitment),
                "form": frozenset(self.target_forms), "thb_form": frozenset(self.target_thb_forms)}

    def population_labels(self) -> list[str]:
        return _labels(Population, self.populations)

    def language_labels(self) -> list[str]:
        return _labels(Language, self.languages)

    def channel_labels(self) -> list[str]:
        return _labels(Channel, self.channels)

    def risk_labels(self) -> list[str]:
        return _labels(Risk, self.risks)


def _labels(choices: type[models.TextChoices], values: list[str]) -> list[str]:
    names = dict(choices.choices)
    return [str(names.get(value, value)) for value in values]


class Material(models.Model):
    """A message or material of a campaign in one language; its versions carry the text, the file and the review."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    risk = models.CharField(_("risk addressed"), max_length=20, choices=Risk.choices)

    class Meta:
        ordering = ["campaign", "title", "language", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class MaterialVersion(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("message text"), blank=True)
    file = models.FileField(_("file"), upload_to="awareness/materials/%Y/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    original_name = models.CharField(max_length=300, blank=True)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    status = models.CharField(_("review status"), max_length=20, choices=ReviewStatus.choices,
                              default=ReviewStatus.DRAFT)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["material", "-number"]
        constraints = [models.UniqueConstraint(fields=["material", "number"], name="material_version_unique")]
        verbose_name = _("material version")
        verbose_name_plural = _("material versions")

    def __str__(self) -> str:
        return f"{self.material} v{self.number}"

    @property
    def previewable(self) -> str:
        """``image`` or ``pdf`` when the browser can show the file inline, else ``""``."""
        if self.content_type in ("image/png", "image/jpeg"):
            return "image"
        return "pdf" if self.content_type == "application/pdf" else ""


class ReachPeriod(models.Model):
    """A reporting period of a campaign: the target and the people reached (its counts), hotline contacts before,
    during and after, the knowledge surveys, and the referrals that mention the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    target = models.PositiveIntegerField(_("target: people reached"), null=True, blank=True)
    hotline_before = models.PositiveIntegerField(_("hotline contacts before"), null=True, blank=True)
    hotline_during = models.PositiveIntegerField(_("hotline contacts during"), null=True, blank=True)
    hotline_after = models.PositiveIntegerField(_("hotline contacts after"), null=True, blank=True)
    survey_before_answers = models.PositiveIntegerField(_("answers to the survey before"), null=True, blank=True)
    survey_before_right = models.PositiveIntegerField(_("right answers before"), null=True, blank=True)
    survey_after_answers = models.PositiveIntegerField(_("answers to the survey after"), null=True, blank=True)
    survey_after_right = models.PositiveIntegerField(_("right answers after"), null=True, blank=True)
    referrals = models.PositiveIntegerField(_("referrals mentioning the campaign"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "start", "pk"]
        verbose_name = _("reach period")
        verbose_name_plural = _("reach periods")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.start}–{self.end}"


class ReachCount(models.Model):
    period = models.ForeignKey(ReachPeriod, on_delete=models.CASCADE, related_name="counts")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=10, choices=AGE_BAND_CHOICES)
    people = models.PositiveIntegerField(_("people reached"))

    class Meta:
        ordering = ["period", "channel", "sex", "age_band"]
        constraints = [models.UniqueConstraint(fields=["period", "channel", "sex", "age_band"],
                                               name="reach_count_unique")]
        verbose_name = _("people reached")
        verbose_name_plural = _("people reached")

    def __str__(self) -> str:
        return f"{self.channel}/{self.sex}/{self.age_band}: {self.people}"
