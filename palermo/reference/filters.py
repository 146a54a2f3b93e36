"""The filters of the reference lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from palermo.reference.loading import country_codes
from palermo.reference.models import Country, IndicatorList, InstrumentStatus
from palermo.web.filters import YesNoFilter

COUNTRY_CODES = country_codes()


def country_schema(*others: str, optional: bool = True) -> dict[str, Any]:
    """A country parameter in the API schema: an ISO 3166 alpha-2 code the reference data holds (Kosovo: XK), one of
    ``others``, or (``optional``) empty for every country; any other value answers 400 naming the parameter. A
    pattern rather than an enum: Schemathesis tries every value of an enum, and there are 250 countries."""
    choices = "|".join([*COUNTRY_CODES, *others])
    return {"type": "string", "pattern": f"^(?:{choices}){'?' if optional else ''}$"}


COUNTRY_SCHEMA = country_schema()


class CountryFilter(filters.FilterSet):
    programme = YesNoFilter(field_name="is_programme", label=_("programme countries only (true/false)"))
    eu_member = YesNoFilter(field_name="is_eu_member", label=_("EU member states only (true/false)"))

    class Meta:
        model = Country
        fields: list[str] = []


class CountryCodeField(forms.CharField):
    """An ISO alpha-2 code (any case) of a known country, cleaned to upper case."""

    def clean(self, value: Any) -> str | None:
        value = super().clean(value)
        if not value:
            return None
        code = value.strip().upper()
        if not Country.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("Unknown country code '%(code)s'."), code="unknown_country", params={"code": value.strip()}
            )
        return code


@extend_schema_field(COUNTRY_SCHEMA)
class CountryCodeFilter(filters.CharFilter):
    """A country by its code typed in any case; an unknown code answers 400 naming the parameter."""

    field_class = CountryCodeField


@extend_schema_field(COUNTRY_SCHEMA)
class CountryChoiceFilter(filters.ModelChoiceFilter):
    """A country chosen from a list on a page (its code in the query string); an unknown code answers 400."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(*args, **kwargs)


class InstrumentStatusFilter(filters.FilterSet):
    country = CountryCodeFilter(field_name="country", label=_("ISO alpha-2 code of the country, e.g. AL"))
    instrument = filters.CharFilter(field_name="instrument__code", label=_("code of the legal instrument"))
    status = filters.ChoiceFilter(choices=InstrumentStatus.Status.choices, label=_("status"))

    class Meta:
        model = InstrumentStatus
        fields: list[str] = []


class IndicatorListFilter(filters.FilterSet):
    code = filters.CharFilter(label=_("code of the list, e.g. adult-labour"))
    version = filters.CharFilter(label=_("version of the list, e.g. 2009"))
    population = filters.ChoiceFilter(choices=IndicatorList.Population.choices, label=_("population"))
    exploitation = filters.ChoiceFilter(choices=IndicatorList.Exploitation.choices, label=_("exploitation"))

    class Meta:
        model = IndicatorList
        fields: list[str] = []
