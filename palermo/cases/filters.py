"""The filters of the lists of the cases app, one FilterSet per list.

``CaseFilter`` is shared by the page (``/cases/``) and the API (``/api/cases/``): every parameter works on both;
the page shows the fields of ``PAGE_FIELDS``. ``exploitation_country`` (the page's name, two letters) and
``country_of_exploitation`` (the API's name) filter alike.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.cases.models import Case, CaseQuerySet, ImportJob
from palermo.reference.filters import CountryCodeFilter
from palermo.reference.loading import read
from palermo.reference.models import ExploitationForm

FORM_CODES = [row["code"] for row in read("exploitation_forms.json")]  # the reference data's forms


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class CaseFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_code", max_length=20, label=_("Case code"))
    year = IntegerFilter(field_name="year_identified", min_value=1990, max_value=2100, label=_("Year identified"))
    status = filters.ChoiceFilter(field_name="trafficking_status", choices=choices(codes.TraffickingStatus),
                                  empty_label=_("All statuses"), label=_("Status"))
    form = extend_schema_field({"type": "string", "enum": [*FORM_CODES, ""]})(
        filters.ModelChoiceFilter(field_name="forms", queryset=ExploitationForm.objects.all(),
                                  empty_label=_("All forms"), label=_("Form of exploitation")))
    gender = filters.ChoiceFilter(choices=choices(codes.Gender), empty_label=_("All"), label=_("Gender"))
    thb_form = filters.ChoiceFilter(choices=choices(codes.ThbFormCode), empty_label=_("All"),
                                    label=_("Form of trafficking"))
    exploitation_country = CountryCodeFilter(method="filter_exploited_in", label=_("Country of exploitation"))
    country = CountryCodeFilter(method="filter_owned_by", label=_("Owning country"))
    country_of_exploitation = CountryCodeFilter(method="filter_exploited_in", label=_("Country of exploitation"))
    # Sets: a case matches when the value is any of its values (a victim of MD and RO citizenship is found by both).
    citizenship = CountryCodeFilter(method="filter_citizenship", label=_("Citizenship (any of the person's)"))
    industry = filters.ChoiceFilter(method="filter_industry", choices=choices(codes.Industry), empty_label=_("All"),
                                    label=_("Forced labour industry (any)"))

    PAGE_FIELDS = ("q", "year", "status", "form", "gender", "thb_form", "exploitation_country", "citizenship")

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_code(self, queryset: CaseQuerySet, name: str, value: str) -> CaseQuerySet:
        return queryset.filter(case_code__icontains=value.strip())

    def filter_owned_by(self, queryset: CaseQuerySet, name: str, value: str) -> CaseQuerySet:
        return queryset.filter(owner_country_id=value)

    def filter_citizenship(self, queryset: CaseQuerySet, name: str, value: str) -> CaseQuerySet:
        # The JSON text holds each code quoted: '"RO"' matches the code RO and nothing else (codes are letters).
        return queryset.filter(Q(citizenship_id=value) | Q(citizenships__icontains=f'"{value}"'))

    def filter_industry(self, queryset: CaseQuerySet, name: str, value: str) -> CaseQuerySet:
        return queryset.filter(Q(forced_labour_industry=value) | Q(forced_labour_industries__icontains=f'"{value}"'))

    def filter_exploited_in(self, queryset: CaseQuerySet, name: str, value: str) -> CaseQuerySet:
        return queryset.filter(country_of_exploitation_id=value)


class ImportJobFilter(filters.FilterSet):
    """The case worker's import jobs (``/cases/imports/``): ``?status=failed``."""

    class Meta:
        model = ImportJob
        fields = ["status"]
