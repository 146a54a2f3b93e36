"""The filters of the lists of the diagnostics app, one FilterSet per list.

A parameter of the official statistics API is checked whenever it is given, even empty: an unknown country,
value or year answers 400 with a message naming it, rather than an empty list. Its breakdown parameters
(``dimension``, ``sex``, ``age``, ``form``) default to the totals, so that a query never adds up a total with its
own breakdowns: ``?country=AL`` lists Albania's totals, ``?sex=female`` the women (all ages), ``?form=...`` and
``?citizenship=...`` the rows of that dimension; ``all`` lists every value of a parameter.
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

EVERY = "all"
ALLOWED = {
    "indicator": list(Indicator.values),
    "sex": [EVERY, *sorted(set(glotip.SEXES.values()))],
    "age": [EVERY, *sorted(set(glotip.AGES.values()))],
    "form": [EVERY, "total", *glotip.FORMS.values()],
    "dimension": [EVERY, *sorted(set(glotip.DIMENSIONS.values()))],
}
BREAKDOWN = ("dimension", "sex", "age", "form")


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

    def filter(self, qs: Any, value: Any) -> Any:
        return qs if value == EVERY else super().filter(qs, value)


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
    citizenship = ParameterFilter(field_name="citizenship_id", read=known_country, message=lambda: _(
        "Unknown country code %(code)r: give an ISO 3166 alpha-2 code such as RO."))

    class Meta:
        model = OfficialStatistic
        fields: list[str] = []

    def breakdown(self) -> dict[str, str]:
        """The value of each breakdown parameter the list holds, defaults included (``all``: every value)."""
        total = OfficialStatistic.TOTAL
        given = {name: str(self.data[name]) for name in BREAKDOWN if name in self.data}
        dimension = "citizenship" if "citizenship" in self.data else (
            "form" if given.get("form", total) not in (total, EVERY) else total)
        return {"dimension": dimension, "sex": total, "age": total, "form": total} | given

    def filter_queryset(self, queryset: Any) -> Any:
        queryset = super().filter_queryset(queryset)
        defaults = {name: value for name, value in self.breakdown().items() if name not in self.data}
        return queryset.filter(**defaults)


class ReleaseFilter(filters.FilterSet):
    """The releases list (``/diagnostics/releases/``): ``?kind=microdata``."""

    class Meta:
        model = Release
        fields = ["kind"]
