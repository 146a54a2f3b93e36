"""REST endpoints of the portfolio, with the same scopes as the pages (see docs/programme.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from palermo.api.authentication import user_of
from palermo.api.schema import or_empty
from palermo.numbers import whole_number
from palermo.programme import complementarity as logic
from palermo.programme import portfolio, services
from palermo.programme.access import access_action, may_create_action, reads_portfolio
from palermo.programme.filters import YEAR_SCHEMA, ActionFilter, GretaRecommendationFilter, MatrixFilter
from palermo.programme.models import (
    Action,
    ActivityStatus,
    Channel,
    GretaRecommendation,
    OrganisationRole,
    TargetGroup,
    TraffickingForm,
)


class WholeItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An item of a list that is always sent whole, in a PATCH too (DRF's partial update would let its fields be
    missing, and a participation without its role answered 500)."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        missing = {name: [field.error_messages["required"]] for name, field in self.fields.items()
                   if field.required and not field.read_only and name not in value}
        if missing:
            raise serializers.ValidationError(missing)
        return value


class CountryShareSerializer(WholeItemSerializer):
    country = serializers.CharField(max_length=2)
    percentage = serializers.DecimalField(max_digits=5, decimal_places=2)


class ObjectiveShareSerializer(WholeItemSerializer):
    objective = serializers.IntegerField(min_value=1, max_value=4)
    percentage = serializers.DecimalField(max_digits=5, decimal_places=2)


class ParticipationSerializer(WholeItemSerializer):
    organisation = serializers.IntegerField()
    role = serializers.ChoiceField(choices=OrganisationRole.choices)


class ActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    # written here, read through ActionReadSerializer's methods
    countries: Any = CountryShareSerializer(many=True, required=False, write_only=True)
    objectives: Any = ObjectiveShareSerializer(many=True, required=False, write_only=True)
    participations: Any = ParticipationSerializer(many=True, required=False, write_only=True)
    target_groups: Any = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices),
                                               required=False, write_only=True)
    greta_recommendations: Any = serializers.ListField(child=serializers.IntegerField(), required=False,
                                                       write_only=True)
    committed_eur = serializers.SerializerMethodField()
    disbursed_eur = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "iati_identifier", "title_en", "title_fr", "description_en", "description_fr", "channel",
                  "trafficking_form", "status", "planned_start", "planned_end", "actual_start", "actual_end",
                  "is_external",
                  "countries", "objectives", "participations", "target_groups", "greta_recommendations",
                  "committed_eur", "disbursed_eur", "last_updated"]
        read_only_fields = ["id", "is_external", "last_updated"]
        extra_kwargs: dict[str, Any] = {"iati_identifier": {"validators": []}}

    def _money(self, action: Action, kind: int) -> str:
        return f"{sum((t.value for t in action.transactions.all() if t.transaction_type == kind), Decimal(0)):.2f}"

    def get_committed_eur(self, action: Action) -> str:
        return self._money(action, logic.COMMITMENT)

    def get_disbursed_eur(self, action: Action) -> str:
        return self._money(action, logic.DISBURSEMENT)

    def content(self) -> services.ActionContent:
        data = dict(self.validated_data)
        return services.ActionContent(
            fields={k: v for k, v in data.items() if k in services.SCALAR_FIELDS},
            countries=[(s["country"].upper(), s["percentage"]) for s in data["countries"]] if "countries" in data
            else None,
            objectives=[(s["objective"], s["percentage"]) for s in data["objectives"]] if "objectives" in data
            else None,
            participations=[services.Participation(p["organisation"], p["role"]) for p in data["participations"]]
            if "participations" in data else None,
            target_groups=data.get("target_groups"), greta=data.get("greta_recommendations"),
        )


class ActionReadSerializer(ActionSerializer):
    """An action as read: the shares, participations, target groups and GRETA recommendations that a write sets."""

    countries = serializers.SerializerMethodField()
    objectives = serializers.SerializerMethodField()
    participations = serializers.SerializerMethodField()
    target_groups = serializers.SerializerMethodField()
    greta_recommendations = serializers.SerializerMethodField()

    @extend_schema_field(CountryShareSerializer(many=True))
    def get_countries(self, action: Action) -> list[dict[str, str]]:
        return [{"country": s.country_id, "percentage": f"{s.percentage:.2f}"} for s in action.country_shares.all()]

    @extend_schema_field(ObjectiveShareSerializer(many=True))
    def get_objectives(self, action: Action) -> list[dict[str, Any]]:
        return [{"objective": s.objective.number, "percentage": f"{s.percentage:.2f}"}
                for s in action.objective_shares.all()]

    @extend_schema_field(ParticipationSerializer(many=True))
    def get_participations(self, action: Action) -> list[dict[str, Any]]:
        return [{"organisation": p.organisation_id, "role": p.role} for p in action.participations.all()]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices)))
    def get_target_groups(self, action: Action) -> list[str]:
        return [g.group for g in action.target_groups.all()]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_greta_recommendations(self, action: Action) -> list[int]:
        return [r.pk for r in action.greta_recommendations.all()]


@extend_schema_view(create=extend_schema(responses={201: ActionReadSerializer}),
                    update=extend_schema(responses={200: ActionReadSerializer}),
                    partial_update=extend_schema(responses={200: ActionReadSerializer}))
class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Actions the user may read; writes go through the same services and scopes as the pages."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_serializer_class(self) -> type[ActionSerializer]:
        return ActionReadSerializer if self.action in ("list", "retrieve") else ActionSerializer

    def get_queryset(self) -> QuerySet[Action]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Action.objects.none()
        user = user_of(self.request)
        if not reads_portfolio(user):
            return Action.objects.none()
        return Action.objects.visible_to(user).prefetch_related(
            "country_shares", "objective_shares__objective", "participations", "target_groups",
            "greta_recommendations", "transactions")

    def get_object(self) -> Action:
        user = user_of(self.request)
        number = whole_number(self.kwargs["pk"])
        if number is None or not reads_portfolio(user):
            raise Http404
        return access_action(user, number)

    def _save(self, serializer: ActionSerializer, action: Action | None) -> Response:
        serializer.is_valid(raise_exception=True)
        try:
            saved = services.save_action(acting_user=user_of(self.request), action=action,
                                         content=serializer.content())
        except PermissionDenied:
            raise Http404 from None
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        fresh = self.get_queryset().get(pk=saved.pk)
        return Response(ActionReadSerializer(fresh).data,
                        status=status.HTTP_201_CREATED if action is None else 200)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not may_create_action(user_of(request)):
            return Response({"detail": _("You may not create actions.")}, status=403)
        return self._save(ActionSerializer(data=request.data, context=self.get_serializer_context()), None)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = self.get_object()
        partial = kwargs.pop("partial", False)
        return self._save(ActionSerializer(action, data=request.data, partial=partial,
                                           context=self.get_serializer_context()), action)


class GretaRecommendationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = GretaRecommendation
        fields = ["id", "country", "round", "report_date", "paragraph", "theme", "level", "text", "articles",
                  "follow_up", "is_demo", "source_url"]


class GretaRecommendationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = GretaRecommendationSerializer
    filterset_class = GretaRecommendationFilter

    def get_queryset(self) -> QuerySet[GretaRecommendation]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return GretaRecommendation.objects.none()
        return GretaRecommendation.objects.visible_to(user_of(self.request))


class MatrixViewSet(viewsets.ViewSet):
    """Aggregates for every signed-in user: no action is named."""

    @extend_schema(
        summary="Complementarity matrix: country x objective x channel",
        parameters=[OpenApiParameter("year", or_empty(YEAR_SCHEMA)),
                    OpenApiParameter("status", {"type": "array", "items": {"type": "integer",
                                                                           "enum": list(ActivityStatus.values)}}),
                    OpenApiParameter("trafficking_form", {"type": "string",
                                                          "enum": ["", *TraffickingForm.values]})],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        filterset = MatrixFilter(request.query_params, queryset=Action.objects.none())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        year, statuses = filterset.matrix_parameters()
        result = portfolio.matrix_for(filterset.matrix_actions(Action.objects.all()), year=year, statuses=statuses)
        return Response({
            "year": year, "statuses": statuses, "actions": result.actions,
            "total_committed_eur": f"{result.total_committed:.2f}",
            "total_disbursed_eur": f"{result.total_disbursed:.2f}",
            "channels": Channel.values,
            "cells": [{"country": c.country, "objective": c.objective, "channel": c.channel, "actions": c.actions,
                       "committed_eur": f"{c.committed:.2f}", "disbursed_eur": f"{c.disbursed:.2f}",
                       "share_percent": f"{c.share:.2f}"} for c in result.cells],
        })


def register(router: Any) -> None:
    router.register("programme/actions", ActionViewSet, basename="programme-action")
    router.register("programme/greta-recommendations", GretaRecommendationViewSet, basename="programme-greta")
    router.register("programme/matrix", MatrixViewSet, basename="programme-matrix")


