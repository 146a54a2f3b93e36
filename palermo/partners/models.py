"""Organisations of the programme, their people, and the partnerships between them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.reference.models import Country

if TYPE_CHECKING:
    from palermo.accounts.models import User


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User) -> OrganisationQuerySet:
        """Organisations are directory data: every signed-in user may read them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NATIONAL_COORDINATOR = "national_coordinator", _("national coordinator's office")
        MINISTRY = "ministry", _("ministry")
        POLICE = "police", _("police")
        PROSECUTION = "prosecution", _("prosecution")
        LABOUR_INSPECTION = "labour_inspection", _("labour inspection")
        SOCIAL_SERVICES = "social_services", _("social services")
        EMBASSY = "embassy", _("embassy")
        PERMANENT_REPRESENTATION = "permanent_representation", _("permanent representation")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("international organisation")
        NGO = "ngo", _("non-governmental organisation")
        VICTIMS_ASSOCIATION = "victims_association", _("victims' association")
        ACADEMIA = "academia", _("academia")
        DONOR = "donor", _("donor government")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations",
        verbose_name=_("country"), help_text=_("Empty for international organisations."),
    )
    iati_identifier = models.CharField(_("IATI organisation identifier"), max_length=120, blank=True)
    crs_channel_code = models.CharField(_("CRS channel code"), max_length=10, blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="unique_organisation_name_in_country")]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.name
