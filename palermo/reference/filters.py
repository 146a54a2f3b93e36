"""The filters of the reference lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from palermo.reference.models import Country, IndicatorList, InstrumentStatus


class CountryFilter(filters.FilterSet):
    programme = filters.BooleanFilter(field_name="is_programme", label=_("programme countries only (true/false)"))
    eu_member = filters.BooleanFilter(field_name="is_eu_member", label=_("EU member states only (true/false)"))

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


class CountryCodeFilter(filters.CharFilter):
    field_class = CountryCodeField


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
