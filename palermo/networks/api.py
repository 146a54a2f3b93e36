"""``/api/networks/`` (the networks the caller reads, with their cached analysis) and ``/api/network-diagnoses/``
(the diagnoses the caller reads, without identities unless the caller reads the network)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from palermo.api.authentication import user_of
from palermo.networks.filters import DiagnosisFilter, NetworkFilter
from palermo.networks.graphs import analyse_network
from palermo.networks.models import Diagnosis, Network


class NetworkSerializer(serializers.ModelSerializer[Network]):
    shared_with: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(many=True, read_only=True,
                                                                                  slug_field="code")

    class Meta:
        model = Network
        fields = ["id", "name", "description", "owner_country", "shared_with", "version", "created_at",
                  "updated_at"]
        read_only_fields = fields


class DiagnosisSerializer(serializers.ModelSerializer[Diagnosis]):
    network_name = serializers.CharField(source="network.name", read_only=True)
    jointly = serializers.BooleanField(read_only=True)

    class Meta:
        model = Diagnosis
        fields = ["id", "network", "network_name", "year", "source_country", "status", "jointly", "summary",
                  "cosigned_at", "created_at"]
        read_only_fields = fields


class NetworkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Network]):
    """Networks owned by the caller's countries or shared with one of them (analysts, national coordinators)."""

    serializer_class = NetworkSerializer
    filterset_class = NetworkFilter

    def get_queryset(self) -> QuerySet[Network]:
        if getattr(self, "swagger_fake_view", False):
            return Network.objects.none()
        return Network.objects.visible_to(user_of(self.request)).prefetch_related("shared_with").order_by("pk")

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def analysis(self, request: Request, pk: str | None = None) -> Response:
        """The figures of ``palermo networks analyse`` (cached per version of the network)."""
        network = self.get_object()
        figures: dict[str, Any] = analyse_network(network)
        return Response({"network": network.name, **figures})


class DiagnosisViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Diagnosis]):
    """Network diagnoses: the network's readers; the source country's coordinator once shared; the steering
    committee once co-signed."""

    serializer_class = DiagnosisSerializer
    filterset_class = DiagnosisFilter

    def get_queryset(self) -> QuerySet[Diagnosis]:
        if getattr(self, "swagger_fake_view", False):
            return Diagnosis.objects.none()
        return Diagnosis.objects.visible_to(user_of(self.request)).select_related("network").order_by("pk")


def register(router: BaseRouter) -> None:
    router.register("networks", NetworkViewSet, basename="network")
    router.register("network-diagnoses", DiagnosisViewSet, basename="network-diagnosis")
