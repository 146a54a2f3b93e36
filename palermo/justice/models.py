"""Criminal justice: the persons accused, the proceedings against them (investigation, prosecution), their charges,
the court decisions (first instance and appeal) and the victims' part in each, linked to case records."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.accounts.access import Principal, is_active_user
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Perpetrator
from palermo.justice import counting
from palermo.partners.models import Organisation
from palermo.reference.models import Country

# Roles that read justice records (their countries; managers and auditors every country). Case workers read and
# write their organisation's; everyone else reads the aggregates of the dashboard only.
READER_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.NATIONAL_COORDINATOR, Role.ANALYST})


class Sex(models.TextChoices):
    FEMALE = "female", pgettext_lazy("a person's sex", "female")
    MALE = "male", pgettext_lazy("a person's sex", "male")
    OTHER = "other", pgettext_lazy("a person's sex", "other")
    UNKNOWN = "unknown", pgettext_lazy("a person's sex", "unknown")


class Offence(models.TextChoices):
    """The charges: the trafficking article, or an offence often charged with or instead of it."""

    THB = "thb", _("trafficking in human beings")
    CHILD_THB = "child_thb", _("trafficking in children")
    SMUGGLING = "smuggling", _("smuggling of migrants")
    PROSTITUTION = "prostitution", _("pimping, exploitation of prostitution")
    FORCED_LABOUR = "forced_labour", _("forced labour, labour exploitation")
    SEXUAL_ABUSE = "sexual_abuse", _("sexual abuse, sexual abuse of a child")
    DOCUMENTS = "documents", _("forgery or withholding of documents")
    ORGANISED_CRIME = "organised_crime", _("organised criminal group")
    MONEY_LAUNDERING = "money_laundering", _("money laundering")
    USE_OF_SERVICES = "use_of_services", _("knowingly using the services of a victim")
    OTHER = "other", _("other offence")


THB_OFFENCES = frozenset({Offence.THB.value, Offence.CHILD_THB.value})


class Instance(models.TextChoices):
    FIRST_INSTANCE = counting.FIRST_INSTANCE, _("first instance")
    APPEAL = counting.APPEAL, _("appeal")


class Outcome(models.TextChoices):
    CONVICTED = counting.CONVICTED, _("convicted")
    ACQUITTED = counting.ACQUITTED, _("acquitted")
    DISMISSED = counting.DISMISSED, _("dismissed")
    PENDING = counting.PENDING, pgettext_lazy("a proceeding's outcome", "pending")


QS = TypeVar("QS", bound="models.QuerySet[Any]")


def scoped(queryset: QS, user: Principal | None) -> QS:
    """What a user may read of rows carrying ``country`` and ``organisation``: a case worker its organisation's in
    its countries, the reader roles their countries (managers and auditors every country), anyone else nothing."""
    if not is_active_user(user):
        return queryset.none()
    codes = user.country_codes()
    if user.role == Role.CASE_WORKER and user.organisation_id:
        queryset = queryset.filter(organisation_id=user.organisation_id)
    elif user.role not in READER_ROLES:
        return queryset.none()
    return queryset if codes is None else queryset.filter(country_id__in=codes)


class DefendantQuerySet(models.QuerySet["Defendant"]):
    def visible_to(self, user: Principal | None) -> DefendantQuerySet:
        return scoped(self, user)


class Defendant(models.Model):
    """A person accused (or a company), as the prosecution knows them: a reference, never a name. The same
    person in several proceedings is one defendant: what the counts of persons rest on."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("recorded by the organisation"))
    reference = models.CharField(_("reference"), max_length=60,
                                 help_text=_("The prosecution's reference for the person, or your own: never a "
                                             "name."))
    is_legal_person = models.BooleanField(_("a company rather than a person"), default=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    citizenship = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("citizenship"))
    perpetrators = models.ManyToManyField(Perpetrator, blank=True, related_name="defendants",
                                          verbose_name=_("perpetrators described in case records"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = DefendantQuerySet.as_manager()

    class Meta:
        ordering = ["country", "reference"]
        constraints = [models.UniqueConstraint(fields=["country", "organisation", "reference"],
                                               name="justice_one_defendant_per_reference")]
        verbose_name = _("defendant")
        verbose_name_plural = _("defendants")

    def __str__(self) -> str:
        return f"{self.country_id} {self.reference}"


class ProceedingQuerySet(models.QuerySet["Proceeding"]):
    def visible_to(self, user: Principal | None) -> ProceedingQuerySet:
        return scoped(self, user)


class Proceeding(models.Model):
    """One criminal proceeding against one defendant, from the investigation to the last decision."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("recorded by the organisation"))
    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="proceedings",
                                  verbose_name=_("defendant"))
    file_number = models.CharField(_("file number"), max_length=80, blank=True)
    authority = models.CharField(_("prosecution office or court"), max_length=200, blank=True)
    investigation_opened = models.DateField(_("investigation opened on"))
    prosecuted_on = models.DateField(_("prosecution started on (charged)"), null=True, blank=True)
    thb_charged = models.BooleanField(_("charged with trafficking"), default=False, editable=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING,
                               editable=False)
    first_verdict_on = models.DateField(_("first verdict on"), null=True, blank=True, editable=False)
    cases = models.ManyToManyField(Case, through="VictimParticipation", related_name="proceedings",
                                   verbose_name=_("victims' case records"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProceedingQuerySet.as_manager()

    class Meta:
        ordering = ["-investigation_opened", "-pk"]
        indexes = [models.Index(fields=["country", "organisation"], name="justice_scope_idx")]
        verbose_name = _("proceeding")
        verbose_name_plural = _("proceedings")

    def __str__(self) -> str:
        return f"{self.country_id} {self.file_number or self.pk}"


class Charge(models.Model):
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="charges")
    offence = models.CharField(_("offence"), max_length=30, choices=Offence.choices)
    article = models.CharField(_("article of the criminal code"), max_length=120, blank=True)

    class Meta:
        ordering = ["proceeding", "pk"]
        verbose_name = _("charge")
        verbose_name_plural = _("charges")

    def __str__(self) -> str:
        return f"{self.proceeding_id}: {self.offence}"

    @property
    def is_thb(self) -> bool:
        return self.offence in THB_OFFENCES


class Decision(models.Model):
    """A court's decision in the proceeding, at first instance or on appeal."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="decisions")
    instance = models.CharField(_("instance"), max_length=20, choices=Instance.choices)
    decided_on = models.DateField(_("decided on"))
    court = models.CharField(_("court"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    convicted_of_thb = models.BooleanField(_("convicted of trafficking (not only of related offences)"),
                                           default=False)
    sentence_months = models.PositiveIntegerField(_("prison sentence (months)"), null=True, blank=True)
    suspended = models.BooleanField(_("sentence suspended"), default=False)
    confiscation_ordered = models.DecimalField(_("confiscation ordered (EUR)"), max_digits=14, decimal_places=2,
                                               default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proceeding", "decided_on", "pk"]
        verbose_name = _("court decision")
        verbose_name_plural = _("court decisions")

    def __str__(self) -> str:
        return f"{self.proceeding_id}: {self.instance} {self.decided_on} {self.outcome}"


class VictimParticipation(models.Model):
    """A victim (case record) in a proceeding: testified, as a protected witness, compensation awarded and paid."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="victims")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="proceeding_parts",
                             verbose_name=_("case record"))
    testified = models.BooleanField(_("testified"), default=False)
    protected_witness = models.BooleanField(_("protected witness"), default=False)
    compensation_ordered = models.DecimalField(_("compensation ordered (EUR)"), max_digits=12, decimal_places=2,
                                               default=0)
    compensation_paid = models.DecimalField(_("compensation paid to the victim (EUR)"), max_digits=12,
                                            decimal_places=2, default=0)

    class Meta:
        ordering = ["proceeding", "pk"]
        constraints = [models.UniqueConstraint(fields=["proceeding", "case"], name="justice_one_part_per_victim")]
        verbose_name = _("victim in a proceeding")
        verbose_name_plural = _("victims in proceedings")

    def __str__(self) -> str:
        return f"{self.proceeding_id}: {self.case_id}"
