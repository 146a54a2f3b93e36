from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from palermo.assistance.models import SupportEntry
from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.reference.filters import CountryCodeFilter
from palermo.web.filters import WholeNumberFilter, YesNoFilter


class SupportEntryFilter(django_filters.FilterSet):
    case = WholeNumberFilter(field_name="case_id", min_value=1, label=_("case (id)"))
    country = CountryCodeFilter(field_name="country_id", label=_("country (ISO code)"))
    support_type = django_filters.ChoiceFilter(choices=choices(codes.SupportPlanType), label=_("type of support"))
    open = YesNoFilter(method="is_open", label=_("open (not closed yet)"))

    class Meta:
        model = SupportEntry
        fields = ["case", "country", "support_type", "open"]

    def is_open(self, queryset: QuerySet[SupportEntry], name: str, value: bool) -> QuerySet[SupportEntry]:
        return queryset.filter(actual_end_date__isnull=value)
