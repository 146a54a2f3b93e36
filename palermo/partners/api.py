"""Read-only REST endpoints of the directory; people only for the portfolio roles. Each list filters with
the FilterSet its page uses."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from palermo.partners.filters import OrganisationFilter, PartnershipFilter, PersonFilter
from palermo.partners.models import Organisation, Partnership, Person


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "country", "iati_identifier", "crs_channel_code", "iati_type",
                  "website"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    class Meta:
        model = Person
        fields = ["id", "organisation", "name", "function", "email", "phone"]


class PartnershipSerializer(serializers.ModelSerializer[Partnership]):
    class Meta:
        model = Partnership
        fields = ["id", "first_party", "second_party", "kind", "title", "signed_on", "start_date", "end_date",
                  "status"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet[Organisation]):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.visible_to(self.request.user)


class PersonViewSet(viewsets.ReadOnlyModelViewSet[Person]):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self) -> QuerySet[Person]:
        return Person.objects.visible_to(self.request.user)


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet[Partnership]):
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter

    def get_queryset(self) -> QuerySet[Partnership]:
        return Partnership.objects.visible_to(self.request.user)


def register(router: BaseRouter) -> None:
    router.register("partners/organisations", OrganisationViewSet, basename="partners-organisation")
    router.register("partners/people", PersonViewSet, basename="partners-person")
    router.register("partners/partnerships", PartnershipViewSet, basename="partners-partnership")
