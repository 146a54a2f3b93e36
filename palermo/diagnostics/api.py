"""REST API: official statistics, and the diagnostics figures within the caller's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from palermo.accounts.models import User
from palermo.diagnostics import views_support
from palermo.diagnostics.filters import ALLOWED, OfficialStatisticFilter
from palermo.diagnostics.models import OfficialStatistic
from palermo.reference.filters import country_schema


class OfficialStatisticSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id")
    citizenship = serializers.CharField(source="citizenship_id", allow_null=True)
    value = serializers.IntegerField(allow_null=True, help_text="NULL when suppressed (published as '<5': 1 to 4)")

    class Meta:
        model = OfficialStatistic
        fields = ["country", "year", "indicator", "dimension", "sex", "age", "form", "citizenship",
                  "category_label", "value", "suppressed", "source", "source_row"]


class OfficialStatisticViewSet(viewsets.ReadOnlyModelViewSet):
    """UNODC GLOTIP values. A suppressed value (``<5``) has ``value`` null and ``suppressed`` true."""

    serializer_class = OfficialStatisticSerializer
    filterset_class = OfficialStatisticFilter

    def get_queryset(self) -> QuerySet[OfficialStatistic]:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks for the model only
            return OfficialStatistic.objects.none()
        if not isinstance(user, User):
            raise NotAuthenticated
        return OfficialStatistic.objects.visible_to(user).order_by(
            "country_id", "indicator", "year", "dimension", "sex", "age", "form", "source_row")

    @extend_schema(
        description=(
            "The breakdown parameters default to the totals, so that a list never adds a total to its own "
            "breakdowns: without them, one row per country, indicator and year (all sexes, all ages, every form). "
            "`sex=female` lists the women of all ages; `form=...` and `citizenship=...` the rows of that dimension; "
            "`all` lists every value of a parameter. The answer's `breakdown` says which values the list holds, "
            "defaults included."
        ),
        parameters=[
            # each checked whenever given, even empty: no "" among their values
            OpenApiParameter("country", country_schema(optional=False),
                             description="ISO 3166 alpha-2 code; unknown code: 400"),
            OpenApiParameter("indicator", OpenApiTypes.STR, enum=ALLOWED["indicator"]),
            OpenApiParameter("year", views_support.YEAR_SCHEMA),
            OpenApiParameter("sex", OpenApiTypes.STR, enum=ALLOWED["sex"], description="default: total"),
            OpenApiParameter("age", OpenApiTypes.STR, enum=ALLOWED["age"], description="default: total"),
            OpenApiParameter("form", OpenApiTypes.STR, enum=ALLOWED["form"], description="default: total"),
            OpenApiParameter("dimension", OpenApiTypes.STR, enum=ALLOWED["dimension"],
                             description="default: total (citizenship with `citizenship`, form with `form`)"),
            OpenApiParameter("citizenship", country_schema(optional=False),
                             description="ISO 3166 alpha-2 code of the persons' citizenship (or country of "
                                         "repatriation); unknown code: 400"),
        ],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        filterset = self.filterset_class(request.query_params, queryset=OfficialStatistic.objects.none())
        if isinstance(response.data, dict):
            response.data["breakdown"] = filterset.breakdown()
        return response


def _scope(request: Request) -> views_support.Scope:
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    try:
        return views_support.scope_from_query(user, request.query_params)
    except views_support.ScopeError as error:
        raise ValidationError({error.field: [str(error)]}) from error


class DiagnosticsViewSet(viewsets.ViewSet):
    """Diagnostics figures computed within the caller's scope (exact for its own countries, released otherwise)."""

    lookup_field = "figure"
    lookup_value_regex = "[a-z_]+"

    @extend_schema(
        responses=OpenApiTypes.OBJECT, parameters=views_support.SCHEMA_PARAMETERS, operation_id="diagnostics_list"
    )
    def list(self, request: Request) -> Response:
        scope = _scope(request)
        return Response({"scope": views_support.describe_scope(scope), "figures": list(views_support.FIGURE_NAMES)})

    @extend_schema(
        responses=OpenApiTypes.OBJECT, parameters=views_support.SCHEMA_PARAMETERS, operation_id="diagnostics_figure"
    )
    def retrieve(self, request: Request, figure: str = "") -> Response:
        if figure not in views_support.FIGURE_NAMES:
            raise NotFound(_("Unknown figure; expected one of: %(names)s.") % {
                "names": ", ".join(views_support.FIGURE_NAMES)})
        scope = _scope(request)
        result = views_support.compute_figure(figure, scope)
        return Response({"scope": views_support.describe_scope(scope), **result.as_dict()})


def register(router: Any) -> None:
    router.register("official-statistics", OfficialStatisticViewSet, basename="official-statistic")
    router.register("diagnostics", DiagnosticsViewSet, basename="diagnostics")
