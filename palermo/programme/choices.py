"""IATI 2.03 codelists and programme vocabularies as Django choices (re-exported by ``models``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.programme import codes


class Channel(models.TextChoices):
    BILATERAL = "bilateral", _("bilateral")
    REGIONAL = "regional", _("regional")
    MULTILATERAL = "multilateral", _("multilateral")


class TraffickingForm(models.TextChoices):
    """The two forms of trafficking the programme text names in South-East Europe, and both at once."""

    TRADITIONAL = "traditional", _("traditional trafficking")
    MIGRATION_ROUTE = "migration_route", _("trafficking along the migration route")
    BOTH = "both", _("both forms")


# Which case-data form (``cases.codes.ThbFormCode``) each action form addresses.
FORMS_ADDRESSED = {
    TraffickingForm.TRADITIONAL: ("traditional",),
    TraffickingForm.MIGRATION_ROUTE: ("migration_route",),
    TraffickingForm.BOTH: ("traditional", "migration_route"),
}


class ActivityStatus(models.IntegerChoices):
    """IATI ActivityStatus."""

    PIPELINE = 1, _("pipeline / identification")
    IMPLEMENTATION = 2, _("implementation")
    FINALISATION = 3, _("finalisation")
    CLOSED = 4, _("closed")
    CANCELLED = 5, _("cancelled")
    SUSPENDED = 6, _("suspended")


ACTIVE_STATUSES = (ActivityStatus.IMPLEMENTATION, ActivityStatus.FINALISATION)


class OrganisationRole(models.IntegerChoices):
    """IATI OrganisationRole."""

    FUNDING = 1, _("funding")
    ACCOUNTABLE = 2, _("accountable")
    EXTENDING = 3, _("extending")
    IMPLEMENTING = 4, _("implementing")


class TransactionType(models.IntegerChoices):
    """IATI TransactionType; the programme itself records 2, 3 and 4."""

    INCOMING_FUNDS = 1, _("incoming funds")
    COMMITMENT = 2, _("outgoing commitment")
    DISBURSEMENT = 3, _("disbursement")
    EXPENDITURE = 4, _("expenditure")
    INTEREST_PAYMENT = 5, _("interest payment")
    LOAN_REPAYMENT = 6, _("loan repayment")
    REIMBURSEMENT = 7, _("reimbursement")
    PURCHASE_OF_EQUITY = 8, _("purchase of equity")
    SALE_OF_EQUITY = 9, _("sale of equity")
    CREDIT_GUARANTEE = 10, _("credit guarantee")
    INCOMING_COMMITMENT = 11, _("incoming commitment")
    OUTGOING_PLEDGE = 12, _("outgoing pledge")
    INCOMING_PLEDGE = 13, _("incoming pledge")


class TargetGroup(models.TextChoices):
    """People an action is aimed at; minors come first, as in the programme."""

    MINORS = "minors", _("minors")
    ROMA_MINORITIES = "roma_minorities", _("Roma and other minorities")
    MIGRANTS_ASYLUM_SEEKERS = "migrants_asylum_seekers", _("migrants and asylum seekers")
    WOMEN_PRECARIOUS = "women_precarious", _("women in precarious situations")
    JOB_SEEKERS_ABROAD = "job_seekers_abroad", _("job seekers abroad")
    PROFESSIONALS = "professionals", _("professionals")
    VICTIMS = "victims", _("victims and survivors")
    GENERAL_PUBLIC = "general_public", _("general public")


# The values of a sex disaggregation (``codes.SEXES``), as readers read them.
SEX_LABELS = {"female": _("female"), "male": _("male"), "other": _("other")}

# Units typed for an indicator are shown as typed, except these common ones, shown in the reader's language.
UNIT_LABELS = {
    "people": _("people"), "persons": _("persons"), "participants": _("participants"), "cases": _("cases"),
    "victims": _("victims"), "days": _("days"), "hours": _("hours"), "sessions": _("sessions"),
    "trainings": _("trainings"), "reports": _("reports"), "institutions": _("institutions"),
}


def unit_label(unit: str) -> str:
    """An indicator's unit in the reader's language when it is a common one ("people"), else as typed."""
    return str(UNIT_LABELS.get(unit.strip().lower(), unit))

# IATI DocumentCategory (activity level), labels for the forms and pages.
DOCUMENT_CATEGORY_LABELS = {
    "A01": _("Pre- and post-project impact appraisal"),
    "A02": _("Objectives / Purpose of activity"),
    "A03": _("Intended ultimate beneficiaries"),
    "A04": _("Conditions"),
    "A05": _("Budget"),
    "A06": _("Summary information about contract"),
    "A07": _("Review of project performance and evaluation"),
    "A08": _("Results, outcomes and outputs"),
    "A09": _("Memorandum of understanding"),
    "A10": _("Tender"),
    "A11": _("Contract"),
    "A12": _("Activity web page"),
}
assert set(DOCUMENT_CATEGORY_LABELS) == set(codes.DOCUMENT_CATEGORIES)

# ISO 639-1 codes (IATI Language codelist) of the languages the programme's documents are written in.
DOCUMENT_LANGUAGES = {
    "en": _("English"),
    "fr": _("French"),
    "sq": _("Albanian"),
    "bs": _("Bosnian"),
    "bg": _("Bulgarian"),
    "hr": _("Croatian"),
    "el": _("Greek"),
    "mk": _("Macedonian"),
    "ro": _("Romanian"),
    "sr": _("Serbian"),
    "de": _("German"),
    "ru": _("Russian"),
    "tr": _("Turkish"),
}
