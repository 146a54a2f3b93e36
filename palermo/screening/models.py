"""Indicator screenings: which list version was used, what was ticked, and the result as it was then."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Principal, is_active_user
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.reference.models import Country, IndicatorList

# Roles that screen possible victims and read their organisation's screenings.
SCREENING_ROLES = frozenset({Role.CASE_WORKER})


class ScreeningQuerySet(models.QuerySet["Screening"]):
    def visible_to(self, user: Principal | None) -> ScreeningQuerySet:
        """Case workers: their organisation's screenings in their countries. Everyone else: none."""
        if not (is_active_user(user) and user.role in SCREENING_ROLES and user.organisation_id):
            return self.none()
        scoped = self.filter(organisation_id=user.organisation_id)
        codes = user.country_codes()
        return scoped if codes is None else scoped.filter(country_id__in=codes)


class Screening(models.Model):
    """One screening with one indicator list version. The result is kept as computed: a later list version or a
    corrected data file never changes it."""

    indicator_list = models.ForeignKey(IndicatorList, on_delete=models.PROTECT, related_name="screenings",
                                       verbose_name=_("indicator list"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="screenings",
                                     verbose_name=_("organisation"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="screenings",
                                verbose_name=_("country"))
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("screened by"))
    screened_at = models.DateTimeField(_("screened at"), default=timezone.now)
    ticked = models.JSONField(_("indicators ticked"), default=list)
    result = models.JSONField(_("result"), default=dict)
    possible_victim = models.BooleanField(_("possible victim"))
    referral = models.CharField(_("proposed referral"), max_length=40)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="screenings",
                             verbose_name=_("case record"))

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "country"], name="screening_scope_idx")]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.indicator_list.code} {self.indicator_list.version} #{self.pk}"
