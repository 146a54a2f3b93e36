"""The national referral mechanism: the service directory, each country's deadlines, and a case's referral."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Principal, is_active_user
from palermo.accounts.roles import Role
from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.reference.models import Country
from palermo.referral import workflow

STALE_AFTER = timedelta(days=365)
# The IANA zone of each programme country (Kosovo keeps Europe/Belgrade's clock: tzdata has no zone of its own).
COUNTRY_ZONES = {
    "AL": "Europe/Tirane", "BA": "Europe/Sarajevo", "BG": "Europe/Sofia", "HR": "Europe/Zagreb", "GR": "Europe/Athens",
    "XK": "Europe/Belgrade", "MD": "Europe/Chisinau", "ME": "Europe/Podgorica", "MK": "Europe/Skopje",
    "RO": "Europe/Bucharest", "RS": "Europe/Belgrade", "FR": "Europe/Paris",
}


class ServiceType(models.TextChoices):
    SHELTER = "shelter", _("shelter")
    MEDICAL = "medical", _("medical care")
    PSYCHOLOGICAL = "psychological", _("psychological support")
    LEGAL_AID = "legal_aid", _("legal aid")
    INTERPRETATION = "interpretation", _("interpretation")
    GUARDIANSHIP = "guardianship", _("guardianship")
    RETURN = "return_reintegration", _("return and reintegration")
    HELPLINE = "helpline", _("help line")
    CONTACT_POINT = "contact_point", _("information and contact point")


class Step(models.TextChoices):
    POSSIBLE = workflow.POSSIBLE, _("possible victim")
    REFERRED = workflow.REFERRED, _("referred")
    ACCEPTED = workflow.ACCEPTED, _("accepted")
    REFUSED = workflow.REFUSED, _("refused")
    IDENTIFIED = workflow.IDENTIFIED, _("formally identified")
    NOT_IDENTIFIED = workflow.NOT_IDENTIFIED, _("not identified")


class CountryNrm(models.Model):
    """A country's referral deadlines, as its law or NRM sets them; entered by programme managers."""

    country = models.OneToOneField(Country, on_delete=models.CASCADE, primary_key=True, related_name="nrm",
                                   verbose_name=_("country"))
    time_zone = models.CharField(_("time zone (IANA)"), max_length=60)
    reflection_days = models.PositiveSmallIntegerField(_("recovery and reflection period (days)"),
                                                       default=workflow.MIN_REFLECTION_DAYS)
    guardian_days = models.PositiveSmallIntegerField(_("days to appoint a guardian for a minor"), null=True,
                                                     blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("national referral settings")
        verbose_name_plural = _("national referral settings")

    def __str__(self) -> str:
        return str(self.country_id)

    def clean(self) -> None:
        try:
            workflow.zone(self.time_zone)
            workflow.reflection_days(self.reflection_days)
        except workflow.WorkflowError as error:
            raise ValidationError(str(error)) from error


class ServiceQuerySet(models.QuerySet["Service"]):
    def visible_to(self, user: Principal | None) -> ServiceQuerySet:
        """The directory is for every signed-in user."""
        return self.all() if is_active_user(user) else self.none()


class Service(models.Model):
    """A service an organisation offers to victims, as users entered it (nothing invented)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="victim_services",
                                     verbose_name=_("organisation"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="victim_services",
                                verbose_name=_("country"))
    service_types = models.JSONField(_("services"), default=list)
    area = models.CharField(_("area served"), max_length=200)
    languages = models.CharField(_("languages"), max_length=200)
    contact = models.TextField(_("contact"))
    last_verified = models.DateField(_("last verified"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["country", "organisation__name", "pk"]
        verbose_name = _("victim service")
        verbose_name_plural = _("victim services")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.country_id})"

    def is_stale(self, today: date) -> bool:
        return today - self.last_verified > STALE_AFTER

    def type_labels(self) -> list[str]:
        labels = dict(ServiceType.choices)
        return [str(labels.get(code, code)) for code in self.service_types]


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Principal | None) -> ReferralQuerySet:
        """Case workers: their organisation's referrals in their countries. Everyone else: none."""
        if not (is_active_user(user) and user.role == Role.CASE_WORKER and user.organisation_id):
            return self.none()
        scoped = self.filter(organisation_id=user.organisation_id)
        country_codes = user.country_codes()
        return scoped if country_codes is None else scoped.filter(country_id__in=country_codes)


class Referral(models.Model):
    """A case's way through the national referral mechanism; its steps are the history."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral", verbose_name=_("case"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="referrals")
    minor = models.BooleanField(_("minor"), null=True)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    presumed_at = models.DateTimeField(_("presumed victim since"))
    time_zone = models.CharField(_("time zone"), max_length=60)
    reflection_ends = models.DateTimeField(_("recovery and reflection period ends"))
    guardian_due = models.DateTimeField(_("guardian to be appointed by"), null=True, blank=True)
    guardian_appointed_at = models.DateTimeField(_("guardian appointed"), null=True, blank=True)
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals",
                                verbose_name=_("referred to"))

    objects = ReferralQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organisation", "country"], name="referral_scope_idx")]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case.case_code}: {self.get_step_display()}"


class ReferralStep(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    kind = models.CharField(_("move"), max_length=10)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=40, choices=choices(codes.DecisionMaker), blank=True)
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referral", "at", "pk"]
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")

    def __str__(self) -> str:
        return f"{self.step} ({self.at:%Y-%m-%d})"
