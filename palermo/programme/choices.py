"""IATI 2.03 codelists and programme vocabularies as Django choices (re-exported by ``models``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    BILATERAL = "bilateral", _("bilateral")
    REGIONAL = "regional", _("regional")
    MULTILATERAL = "multilateral", _("multilateral")


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
