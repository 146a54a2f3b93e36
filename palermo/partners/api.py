"""Read-only REST endpoints of the directory; people only for the portfolio roles."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from palermo.partners.models import Organisation, Partnership, Person


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "country", "iati_identifier", "crs_channel_code", "iati_type",
                  "website"]


class PersonSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Person
        fields = ["id", "organisation", "name", "function", "email", "phone"]


class PartnershipSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Partnership
        fields = ["id", "first_party", "second_party", "kind", "title", "signed_on", "start_date", "end_date",
                  "status"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind", "country"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Organisation.objects.visible_to(self.request.user)  # type: ignore[arg-type]


class PersonViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = PersonSerializer
    filterset_fields = ["organisation"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Person.objects.visible_to(self.request.user)  # type: ignore[arg-type]


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = PartnershipSerializer
    filterset_fields = ["status", "kind"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Partnership.objects.visible_to(self.request.user)  # type: ignore[arg-type]


def register(router: Any) -> None:
    router.register("partners/organisations", OrganisationViewSet, basename="partners-organisation")
    router.register("partners/people", PersonViewSet, basename="partners-person")
    router.register("partners/partnerships", PartnershipViewSet, basename="partners-partnership")
