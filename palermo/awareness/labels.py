"""Words for the values of a risk profile, in the active language."""

from __future__ import annotations

from collections.abc import Mapping

from palermo.awareness import risk
from palermo.awareness.choices import DIMENSION_LABELS, Sex
from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.reference.models import Country, ExploitationForm


class ProfileWords:
    """Loads the names of countries and forms once (two queries), then names any profile."""

    def __init__(self) -> None:
        self.countries = {c.code: c.name for c in Country.objects.all()}
        self.forms = {f.code: f.name for f in ExploitationForm.objects.all()}
        self.sexes = dict(Sex.choices)
        self.recruitment = dict(choices(codes.RecruitmentMethod))
        self.thb = dict(choices(codes.ThbFormCode))

    def value(self, dimension: str, value: str) -> str:
        if value == risk.UNKNOWN:
            from django.utils.translation import gettext

            return gettext("unknown")
        every: dict[str, Mapping[str, object]] = {"citizenship": self.countries, "sex": self.sexes, "form": self.forms,
                                                  "recruitment": self.recruitment, "thb_form": self.thb}
        names = every.get(dimension, {})
        return str(names.get(value, value))

    def dimension(self, dimension: str) -> str:
        return str(DIMENSION_LABELS[dimension])

    def profile(self, profile: risk.Profile) -> str:
        return " · ".join(self.value(d, v) for d, v in profile.values)

    def country(self, code: str) -> str:
        return self.countries.get(code, code)
