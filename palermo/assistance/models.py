"""Assistance: the support provided to a person, one entry per HTCDS v2.0 support plan (``spl_``): its type, the
provider, the dates and the outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Principal, is_active_user
from palermo.accounts.roles import Role
from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.reference.models import Country
from palermo.referral.models import Service


class Outcome(models.TextChoices):
    """How a support plan ended. HTCDS records only the actual end date: these values are Palermo's own."""

    MET = "met", _("objectives met")
    PARTLY_MET = "partly_met", _("objectives partly met")
    NOT_MET = "not_met", _("objectives not met")
    DISCONTINUED = "discontinued", _("stopped early: the person declined, left or could not be reached")


class SupportEntryQuerySet(models.QuerySet["SupportEntry"]):
    def visible_to(self, user: Principal | None) -> SupportEntryQuerySet:
        """Case workers: the support recorded on their organisation's cases in their countries (as the cases'
        referrals). Everyone else: none (the dashboard shows aggregates)."""
        if not (is_active_user(user) and user.role == Role.CASE_WORKER and user.organisation_id):
            return self.none()
        scoped = self.filter(organisation_id=user.organisation_id)
        country_codes = user.country_codes()
        return scoped if country_codes is None else scoped.filter(country_id__in=country_codes)

    def open(self) -> SupportEntryQuerySet:
        return self.filter(actual_end_date__isnull=True)


class SupportEntry(models.Model):
    """One support plan of a case (HTCDS ``spl_``): what is provided, by whom, from when to when, and how it
    ended. ``organisation`` and ``country`` are the case's owners, kept here for the scope (as on a referral)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_entries", verbose_name=_("case"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("case owner"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="support_entries",
                                verbose_name=_("country"))
    support_type = models.CharField(_("type of support"), max_length=40, choices=choices(codes.SupportPlanType))
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="support_provided",
                                 verbose_name=_("provider"))
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="support_entries", verbose_name=_("service in the directory"))
    objectives = models.TextField(_("objectives"), blank=True)
    action_plan = models.TextField(_("action plan"), blank=True)
    start_date = models.DateField(_("start date"))
    planned_end_date = models.DateField(_("planned end date"), null=True, blank=True)
    actual_end_date = models.DateField(_("actual end date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("about the outcome"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = SupportEntryQuerySet.as_manager()

    class Meta:
        ordering = ["case", "start_date", "pk"]
        indexes = [models.Index(fields=["organisation", "country"], name="support_scope_idx")]
        verbose_name = _("support plan entry")
        verbose_name_plural = _("support plan entries")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.support_type} ({self.start_date})"

    @property
    def is_open(self) -> bool:
        return self.actual_end_date is None
