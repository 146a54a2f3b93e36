from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from followthemoney import model

from palermo.networks.models import Diagnosis, Entity, Network
from palermo.reference.filters import CountryCodeFilter
from palermo.web.filters import WholeNumberFilter

SCHEMA_CHOICES = sorted((schema.name, schema.name) for schema in model.schemata.values() if not schema.abstract)


class NetworkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", max_length=100, label=_("name contains"))
    country = CountryCodeFilter(method="in_country", label=_("country (ISO code): owner or shared with"))

    class Meta:
        model = Network
        fields = ["q", "country"]

    def search(self, queryset: QuerySet[Network], name: str, value: str) -> QuerySet[Network]:
        return queryset.filter(name__icontains=value)

    def in_country(self, queryset: QuerySet[Network], name: str, value: str) -> QuerySet[Network]:
        return queryset.filter(Q(owner_country_id=value) | Q(shared_with__code=value)).distinct()


class EntityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="caption", lookup_expr="icontains", max_length=100,
                                  label=_("name contains"))
    schema = django_filters.ChoiceFilter(choices=SCHEMA_CHOICES, label=_("type"))
    country = CountryCodeFilter(field_name="country_id", label=_("country of the source (ISO code)"))

    class Meta:
        model = Entity
        fields = ["q", "schema", "country"]


class DiagnosisFilter(django_filters.FilterSet):
    year = WholeNumberFilter(field_name="year", min_value=2000, max_value=2100, label=_("year"))
    status = django_filters.ChoiceFilter(choices=Diagnosis.Status.choices, label=_("status"))

    class Meta:
        model = Diagnosis
        fields = ["year", "status"]
