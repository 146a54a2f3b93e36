"""Organisations of the programme, their people, and the partnerships between them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.reference.models import Country

if TYPE_CHECKING:
    from palermo.accounts.access import Principal


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: Principal) -> OrganisationQuerySet:
        from palermo.partners.access import may_read_directory

        return self.all() if may_read_directory(user) else self.none()


class IatiOrganisationType(models.TextChoices):
    """IATI 2.03 OrganisationType codelist (participating-org/@type)."""

    GOVERNMENT = "10", _("Government")
    LOCAL_GOVERNMENT = "11", _("Local Government")
    OTHER_PUBLIC_SECTOR = "15", _("Other Public Sector")
    INTERNATIONAL_NGO = "21", _("International NGO")
    NATIONAL_NGO = "22", _("National NGO")
    REGIONAL_NGO = "23", _("Regional NGO")
    PARTNER_COUNTRY_NGO = "24", _("Partner Country based NGO")
    PUBLIC_PRIVATE_PARTNERSHIP = "30", _("Public Private Partnership")
    MULTILATERAL = "40", _("Multilateral")
    FOUNDATION = "60", _("Foundation")
    PRIVATE_SECTOR = "70", _("Private Sector")
    PRIVATE_SECTOR_PROVIDER = "71", _("Private Sector in Provider Country")
    PRIVATE_SECTOR_RECIPIENT = "72", _("Private Sector in Aid Recipient Country")
    PRIVATE_SECTOR_THIRD = "73", _("Private Sector in Third Country")
    ACADEMIC = "80", _("Academic, Training and Research")
    OTHER = "90", _("Other")


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
    iati_type = models.CharField(
        _("IATI organisation type"), max_length=3, choices=IatiOrganisationType.choices, blank=True,
    )
    website = models.URLField(_("website"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="unique_organisation_name_in_country")]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        """Its name: readers know institutions by name, not by the short code the directory keeps."""
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: Principal) -> PersonQuerySet:
        from palermo.partners.access import may_read_people

        return self.all() if may_read_people(user) else self.none()


class Person(models.Model):
    """A contact person of an organisation: only what is needed to reach them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="people", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, user: Principal) -> PartnershipQuerySet:
        from palermo.partners.access import may_read_directory

        return self.all() if may_read_directory(user) else self.none()


class Partnership(models.Model):
    """An agreement, memorandum or other arrangement between two organisations."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("agreement")
        MEMORANDUM = "memorandum", _("memorandum of understanding")
        OTHER = "other", _("other arrangement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")

    first_party = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships_as_first", verbose_name=_("first party")
    )
    second_party = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships_as_second", verbose_name=_("second party")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGREEMENT)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note"), blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.first_party_id and self.first_party_id == self.second_party_id:
            errors["second_party"] = str(_("A partnership needs two different organisations."))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = str(_("The end date cannot precede the start date."))
        if self.status == self.Status.IN_FORCE and not (self.signed_on or self.start_date):
            errors["status"] = str(_("An agreement in force needs a signature or start date."))
        if errors:
            raise ValidationError(errors)
