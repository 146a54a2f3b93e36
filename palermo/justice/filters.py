"""The filters of the justice lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from palermo.justice.models import Defendant, Outcome, Proceeding, Sex
from palermo.reference.filters import CountryCodeFilter
from palermo.web.filters import WholeNumberFilter, YesNoFilter


class ProceedingFilter(django_filters.FilterSet):
    country = CountryCodeFilter(field_name="country_id", label=_("country (ISO code)"))
    year = WholeNumberFilter(method="in_year", min_value=1990, max_value=2100,
                             label=_("year (investigation opened, prosecution started or first verdict)"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("outcome"))
    thb = YesNoFilter(field_name="thb_charged", label=_("charged with trafficking"))
    defendant = WholeNumberFilter(field_name="defendant_id", min_value=1, label=_("defendant (id)"))

    class Meta:
        model = Proceeding
        fields = ["country", "year", "outcome", "thb", "defendant"]

    def in_year(self, queryset: QuerySet[Proceeding], name: str, value: int) -> QuerySet[Proceeding]:
        return queryset.filter(Q(investigation_opened__year=value) | Q(prosecuted_on__year=value)
                               | Q(first_verdict_on__year=value))


class DefendantFilter(django_filters.FilterSet):
    country = CountryCodeFilter(field_name="country_id", label=_("country (ISO code)"))
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label=_("sex"))
    legal_person = YesNoFilter(field_name="is_legal_person", label=_("a company rather than a person"))

    class Meta:
        model = Defendant
        fields = ["country", "sex", "legal_person"]
