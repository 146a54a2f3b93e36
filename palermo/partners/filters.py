"""The filters of the directory lists, shared by the pages and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from palermo.partners.models import Organisation, Partnership, Person
from palermo.reference.filters import CountryChoiceFilter, country_schema
from palermo.web.filters import WholeNumberFilter


class OrganisationFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices, label=_("Kind"))
    country = extend_schema_field(country_schema("none"))(
        CountryChoiceFilter(null_value="none", null_label=_("International"), label=_("Country"))
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value)
                               | Q(iati_identifier__icontains=value))


class PersonFilter(filters.FilterSet):
    # an id that names no organisation lists nobody (an id is not a choice the schema can list)
    organisation = WholeNumberFilter(field_name="organisation_id", min_value=1, label=_("Organisation"))

    class Meta:
        model = Person
        fields: list[str] = []


class PartnershipFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    status = filters.ChoiceFilter(choices=Partnership.Status.choices, label=_("Status"))
    kind = filters.ChoiceFilter(choices=Partnership.Kind.choices, label=_("Kind"))

    class Meta:
        model = Partnership
        fields: list[str] = []

    def search(self, queryset: QuerySet[Partnership], name: str, value: str) -> QuerySet[Partnership]:
        return queryset.filter(Q(title__icontains=value) | Q(first_party__name__icontains=value)
                               | Q(second_party__name__icontains=value))
