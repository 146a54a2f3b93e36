"""The code lists of ``palermo.cases.codes`` as Django choices, their labels in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from palermo.cases.codes import CodeList, DecisionMaker, ReferralReason, ThbFormCode


def choices(code_list: type[CodeList]) -> list[tuple[str, Promise]]:
    """``(value, label)`` pairs for a model or form field; the label is translated when it is shown."""
    return [(member.value, gettext_lazy(member.label)) for member in code_list]


def labels(code_list: type[CodeList], values: list[str]) -> list[str]:
    """The labels of the known values among ``values``, in the active language (unknown values are skipped)."""
    known = set(code_list.values)
    return [gettext(code_list(value).label) for value in values if value in known]


# The form of THB as the API schema names it (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
THB_FORM_CHOICES = choices(ThbFormCode)
# Who decided a victim status, one name in the schema for the case's and the referral step's field.
DECISION_MAKER_CHOICES = choices(DecisionMaker)

REFERRAL_REASON_CHOICES = choices(ReferralReason)  # incoming and outgoing referrals: one enum in the API schema
