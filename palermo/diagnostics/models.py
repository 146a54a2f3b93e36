"""Official statistics (UNODC GLOTIP) and the log of privacy-safe releases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import is_active_user
from palermo.reference.models import Country

if TYPE_CHECKING:
    from palermo.accounts.models import User


class Indicator(models.TextChoices):
    DETECTED_VICTIMS = "detected_victims", _("detected victims")
    PERSONS_PROSECUTED = "persons_prosecuted", _("persons prosecuted")
    PERSONS_CONVICTED = "persons_convicted", _("persons convicted")
    PERSONS_IN_FORMAL_CONTACT = "persons_in_formal_contact", _("persons brought into formal contact")
    OFFENCES = "offences", _("offences")


class StatisticsImport(models.Model):
    """One import of an official statistics file: the batch every value points to."""

    source = models.CharField(_("source"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=300)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    values_stored = models.PositiveIntegerField(_("values stored"), default=0)
    rows_skipped = models.PositiveIntegerField(_("aggregate rows skipped"), default=0)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("imported by"))

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("official statistics import")
        verbose_name_plural = _("official statistics imports")

    def __str__(self) -> str:
        return f"{self.source} {self.file_name} ({self.imported_at:%Y-%m-%d})"


class OfficialStatisticQuerySet(models.QuerySet["OfficialStatistic"]):
    def visible_to(self, user: User) -> OfficialStatisticQuerySet:
        """Published official figures: every signed-in user reads every country."""
        if not is_active_user(user):
            return self.none()
        return self.all()


class OfficialStatistic(models.Model):
    """One published value. A suppressed value (published as ``<5``) has ``value`` NULL, never 0."""

    TOTAL = "total"

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="official_statistics",
                                verbose_name=_("reporting country"))
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    dimension = models.CharField(_("dimension"), max_length=40, default=TOTAL)
    sex = models.CharField(_("sex"), max_length=10, default=TOTAL)
    age = models.CharField(_("age"), max_length=10, default=TOTAL)
    form = models.CharField(_("form of exploitation"), max_length=40, default=TOTAL)
    citizenship = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("citizenship or country"))
    category_label = models.CharField(_("category as published"), max_length=200, default="Total")
    value = models.PositiveIntegerField(_("value"), null=True, blank=True)
    suppressed = models.BooleanField(_("suppressed (published as <5)"), default=False)
    source = models.CharField(_("source"), max_length=100)
    source_row = models.PositiveIntegerField(_("row in the source file"), default=0)
    batch = models.ForeignKey(StatisticsImport, on_delete=models.CASCADE, related_name="values",
                              verbose_name=_("import"))

    objects = OfficialStatisticQuerySet.as_manager()

    class Meta:
        ordering = ["country", "indicator", "year"]
        indexes = [models.Index(fields=["country", "indicator", "year"], name="official_stat_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(suppressed=True, value__isnull=True)
                           | models.Q(suppressed=False, value__isnull=False)),
                name="official_stat_value_xor_suppressed",
            ),
        ]
        verbose_name = _("official statistic")
        verbose_name_plural = _("official statistics")

    def __str__(self) -> str:
        shown = "<5" if self.suppressed else str(self.value)
        return f"{self.country_id} {self.year} {self.indicator} {self.sex}/{self.age}/{self.form}: {shown}"


class ReleaseQuerySet(models.QuerySet["Release"]):
    def visible_to(self, user: User) -> ReleaseQuerySet:
        """A user sees the releases they made; programme managers and auditors see all."""
        from palermo.accounts.roles import Role

        if not is_active_user(user):
            return self.none()
        if user.role in (Role.PROGRAMME_MANAGER, Role.AUDITOR):
            return self.all()
        return self.filter(created_by=user)


class Release(models.Model):
    """A file of disclosure-controlled figures that left the scope of the countries it describes."""

    class Kind(models.TextChoices):
        AGGREGATES = "aggregates", _("k-rounded aggregates")
        DP_AGGREGATES = "dp_aggregates", _("differentially private aggregates")
        MICRODATA = "microdata", _("k-anonymous CTDC 2024 microdata")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="releases",
                                   verbose_name=_("created by"))
    countries = models.JSONField(_("countries"), default=list, help_text=_("Owner countries; empty means all."))
    parameters = models.JSONField(_("parameters"), default=dict)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    cells_suppressed = models.PositiveIntegerField(_("cells suppressed"), default=0)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.created_at:%Y-%m-%d})"
