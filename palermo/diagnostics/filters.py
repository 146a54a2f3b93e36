"""The filters of the lists of the diagnostics app, one FilterSet per list.

A parameter of the official statistics API is checked whenever it is given, even empty: an unknown country,
value or year answers 400 with a message naming it, rather than an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters

from palermo.diagnostics import glotip
from palermo.diagnostics.models import Indicator, OfficialStatistic, Release
from palermo.diagnostics.views_support import four_digit_year
from palermo.reference.models import Country

ALLOWED = {
    "indicator": list(Indicator.values),
    "sex": sorted(set(glotip.SEXES.values())),
    "age": sorted(set(glotip.AGES.values())),
    "form": ["total", *glotip.FORMS.values()],
    "dimension": sorted(set(glotip.DIMENSIONS.values())),
}


class ParameterField(forms.Field):
    """A query parameter read by ``read`` (None: not readable), refused with ``message`` whenever it is given."""

    def __init__(self, *, read: Callable[[str], Any], message: Callable[[], str], **kwargs: Any) -> None:
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.read, self.message = read, message

    def clean(self, value: Any) -> Any:
        if value is None:  # not given
            return None
        result = self.read(str(value))
        if result is None:
            raise ValidationError(self.message(), params={"value": value, "code": value,
                                                          "allowed": ", ".join(self.allowed)})
        return result

    @property
    def allowed(self) -> Sequence[str]:
        return getattr(self.read, "allowed", ())


class ParameterFilter(filters.Filter):
    field_class = ParameterField


class Among:
    """Reads a value among ``allowed``."""

    def __init__(self, allowed: Sequence[str]) -> None:
        self.allowed = allowed

    def __call__(self, text: str) -> str | None:
        return text if text in self.allowed else None


def known_country(text: str) -> str | None:
    code = text.strip().upper()
    return code if len(code) == 2 and Country.objects.filter(code=code).exists() else None


def unknown_value() -> str:
    return _("Unknown value %(value)r; expected one of: %(allowed)s.")


class OfficialStatisticFilter(filters.FilterSet):
    country = ParameterFilter(field_name="country_id", read=known_country, message=lambda: _(
        "Unknown country code %(code)r: give an ISO 3166 alpha-2 code such as RO."))
    indicator = ParameterFilter(read=Among(ALLOWED["indicator"]), message=unknown_value)
    sex = ParameterFilter(read=Among(ALLOWED["sex"]), message=unknown_value)
    age = ParameterFilter(read=Among(ALLOWED["age"]), message=unknown_value)
    form = ParameterFilter(read=Among(ALLOWED["form"]), message=unknown_value)
    dimension = ParameterFilter(read=Among(ALLOWED["dimension"]), message=unknown_value)
    year = ParameterFilter(read=four_digit_year, message=lambda: _("A year is four digits, such as 2021."))

    class Meta:
        model = OfficialStatistic
        fields: list[str] = []


class ReleaseFilter(filters.FilterSet):
    """The releases list (``/diagnostics/releases/``): ``?kind=microdata``."""

    class Meta:
        model = Release
        fields = ["kind"]
