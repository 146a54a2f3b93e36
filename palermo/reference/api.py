"""Read-only REST API for reference data: readable by every signed-in user (the project's default permission)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from palermo.reference.filters import CountryFilter, IndicatorListFilter, InstrumentStatusFilter
from palermo.reference.models import (
    Country,
    ExploitationForm,
    Indicator,
    IndicatorDimension,
    IndicatorList,
    InstrumentStatus,
    LegalInstrument,
    Objective,
    ThbForm,
)

# ------------------------------------------------------------------------------------------- serializers


class CountrySerializer(serializers.ModelSerializer[Country]):
    class Meta:
        model = Country
        fields = ("code", "alpha3", "numeric", "name_en", "name_fr", "is_programme", "is_steering", "is_eu_member",
                  "source")


class ObjectiveSerializer(serializers.ModelSerializer[Objective]):
    class Meta:
        model = Objective
        fields = ("number", "code", "name_en", "name_fr", "description_en", "description_fr", "source")


class ThbFormSerializer(serializers.ModelSerializer[ThbForm]):
    class Meta:
        model = ThbForm
        fields = ("code", "name_en", "name_fr", "description_en", "description_fr", "source")


class ExploitationFormSerializer(serializers.ModelSerializer[ExploitationForm]):
    instrument: serializers.SlugRelatedField[LegalInstrument] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = ExploitationForm
        fields = ("code", "order", "name_en", "name_fr", "instrument", "article", "htcds_code", "ctdc2017_code",
                  "ctdc2024_code", "glotip_category", "version", "source")


STATUS_FIELDS = ("id", "country", "status", "status_label", "signed_on", "ratified_on", "transposed_on", "note",
                 "source")


class InstrumentStatusSerializer(serializers.ModelSerializer[InstrumentStatus]):
    instrument: serializers.SlugRelatedField[LegalInstrument] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    country: serializers.SlugRelatedField[Country] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = InstrumentStatus
        fields: tuple[str, ...] = ("id", "instrument", *STATUS_FIELDS[1:])


class NestedInstrumentStatusSerializer(InstrumentStatusSerializer):
    """A status inside its instrument: the instrument is not repeated."""

    class Meta(InstrumentStatusSerializer.Meta):
        fields = STATUS_FIELDS


class LegalInstrumentSerializer(serializers.ModelSerializer[LegalInstrument]):
    statuses = NestedInstrumentStatusSerializer(many=True, read_only=True)

    class Meta:
        model = LegalInstrument
        fields = ("code", "short_name", "name_en", "name_fr", "body", "adopted_on", "in_force_on",
                  "binds_eu_members_only", "url", "source", "statuses")


class IndicatorDimensionSerializer(serializers.ModelSerializer[IndicatorDimension]):
    class Meta:
        model = IndicatorDimension
        fields = ("code", "order", "stage", "name_en", "name_fr", "source")


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    dimension: serializers.SlugRelatedField[IndicatorDimension] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Indicator
        fields = ("dimension", "code", "strength", "text_en", "text_fr")


class IndicatorListSerializer(serializers.ModelSerializer[IndicatorList]):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorList
        fields = ("id", "code", "version", "name_en", "name_fr", "population", "exploitation", "dimension_rule",
                  "case_rule", "verified", "source", "indicators")


# -------------------------------------------------------------------------------------------- viewsets


@extend_schema_view(
    list=extend_schema(summary=_("List countries"), description=_("All ISO 3166-1 countries plus Kosovo (XK).")),
    retrieve=extend_schema(
        summary=_("Get a country"),
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description=_("ISO alpha-2 code, any case"))],
    ),
)
class CountryViewSet(viewsets.ReadOnlyModelViewSet[Country]):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    lookup_field = "code"

    def get_object(self) -> Country:
        self.kwargs[self.lookup_field] = str(self.kwargs[self.lookup_field]).upper()
        return super().get_object()


@extend_schema_view(
    list=extend_schema(summary=_("List the programme's objectives")),
    retrieve=extend_schema(summary=_("Get an objective by number")),
)
class ObjectiveViewSet(viewsets.ReadOnlyModelViewSet[Objective]):
    queryset = Objective.objects.all()
    serializer_class = ObjectiveSerializer
    lookup_field = "number"


@extend_schema_view(
    list=extend_schema(summary=_("List the forms of trafficking (traditional, migration route)")),
    retrieve=extend_schema(summary=_("Get a form of trafficking")),
)
class ThbFormViewSet(viewsets.ReadOnlyModelViewSet[ThbForm]):
    queryset = ThbForm.objects.all()
    serializer_class = ThbFormSerializer


@extend_schema_view(
    list=extend_schema(summary=_("List the forms of exploitation with their instrument and schema codes")),
    retrieve=extend_schema(summary=_("Get a form of exploitation")),
)
class ExploitationFormViewSet(viewsets.ReadOnlyModelViewSet[ExploitationForm]):
    queryset = ExploitationForm.objects.select_related("instrument")
    serializer_class = ExploitationFormSerializer


@extend_schema_view(
    list=extend_schema(summary=_("List the legal instruments with their status in each programme country")),
    retrieve=extend_schema(summary=_("Get a legal instrument")),
)
class LegalInstrumentViewSet(viewsets.ReadOnlyModelViewSet[LegalInstrument]):
    queryset = LegalInstrument.objects.prefetch_related("statuses__country")
    serializer_class = LegalInstrumentSerializer


FILTER_ERROR = inline_serializer(
    "InstrumentStatusFilterError",
    fields={
        "country": serializers.ListField(child=serializers.CharField(), required=False),
        "status": serializers.ListField(child=serializers.CharField(), required=False),
    },
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List instrument statuses"),
        description=_("Where each programme country stands with each instrument. 'unknown' means not researched."),
        responses={
            200: InstrumentStatusSerializer,
            400: OpenApiResponse(FILTER_ERROR, description=_("Unknown country code or invalid filter.")),
        },
    ),
    retrieve=extend_schema(summary=_("Get an instrument status")),
)
class InstrumentStatusViewSet(viewsets.ReadOnlyModelViewSet[InstrumentStatus]):
    queryset = InstrumentStatus.objects.select_related("instrument", "country")
    serializer_class = InstrumentStatusSerializer
    filterset_class = InstrumentStatusFilter


@extend_schema_view(
    list=extend_schema(summary=_("List the identification indicator dimensions")),
    retrieve=extend_schema(summary=_("Get an indicator dimension")),
)
class IndicatorDimensionViewSet(viewsets.ReadOnlyModelViewSet[IndicatorDimension]):
    queryset = IndicatorDimension.objects.all()
    serializer_class = IndicatorDimensionSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("List the identification indicator lists with their indicators"),
        description=_(
            "ILO/EC Delphi operational indicators (2009). 'verified' is false until the wording is checked against "
            "the publication. A screening result is an indication for referral, not a legal finding."
        ),
    ),
    retrieve=extend_schema(summary=_("Get an indicator list")),
)
class IndicatorListViewSet(viewsets.ReadOnlyModelViewSet[IndicatorList]):
    serializer_class = IndicatorListSerializer
    filterset_class = IndicatorListFilter

    def get_queryset(self) -> QuerySet[IndicatorList]:
        return IndicatorList.objects.prefetch_related("indicators__dimension")


def register(router: BaseRouter) -> None:
    """Register the reference endpoints on the project's router (mounted under /api/)."""
    router.register("reference/countries", CountryViewSet, basename="reference-country")
    router.register("reference/objectives", ObjectiveViewSet, basename="reference-objective")
    router.register("reference/thb-forms", ThbFormViewSet, basename="reference-thb-form")
    router.register("reference/exploitation-forms", ExploitationFormViewSet, basename="reference-exploitation-form")
    router.register("reference/instruments", LegalInstrumentViewSet, basename="reference-instrument")
    router.register("reference/instrument-statuses", InstrumentStatusViewSet, basename="reference-instrument-status")
    router.register("reference/indicator-dimensions", IndicatorDimensionViewSet,
                    basename="reference-indicator-dimension")
    router.register("reference/indicator-lists", IndicatorListViewSet, basename="reference-indicator-list")
