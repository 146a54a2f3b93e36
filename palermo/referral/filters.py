from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from palermo.reference.filters import CountryCodeFilter
from palermo.referral.models import Referral, Service, ServiceType, Step
from palermo.web.filters import YesNoFilter


class ServiceFilter(django_filters.FilterSet):
    country = CountryCodeFilter(field_name="country_id", label=_("country (ISO code)"))
    service_type = django_filters.ChoiceFilter(choices=ServiceType.choices, method="of_type", label=_("service"))

    class Meta:
        model = Service
        fields = ["country", "service_type"]

    def of_type(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        return queryset.filter(service_types__icontains=f'"{value}"')


class ReferralFilter(django_filters.FilterSet):
    country = CountryCodeFilter(field_name="country_id", label=_("country (ISO code)"))
    step = django_filters.ChoiceFilter(choices=Step.choices, label=_("step"))
    minor = YesNoFilter(label=_("minor"))

    class Meta:
        model = Referral
        fields = ["country", "step", "minor"]
