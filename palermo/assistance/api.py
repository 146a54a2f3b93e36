"""``/api/support-entries/``: the support plans the caller may read; a new one, and its closing, through the same
services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from palermo.accounts.models import User
from palermo.api.authentication import user_of
from palermo.assistance import services
from palermo.assistance.access import may_assist, may_use_assistance
from palermo.assistance.filters import SupportEntryFilter
from palermo.assistance.models import Outcome, SupportEntry
from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.referral.models import Service


class SupportEntrySerializer(serializers.ModelSerializer[SupportEntry]):
    case_code = serializers.CharField(source="case.case_code", read_only=True)
    recorded_by = serializers.SerializerMethodField()
    closed_by = serializers.SerializerMethodField()

    class Meta:
        model = SupportEntry
        fields = ["id", "case", "case_code", "country", "support_type", "provider", "service", "objectives",
                  "action_plan", "start_date", "planned_end_date", "actual_end_date", "outcome", "outcome_note",
                  "recorded_by", "recorded_at", "closed_by", "closed_at"]
        read_only_fields = fields

    def get_recorded_by(self, entry: SupportEntry) -> str | None:
        return entry.recorded_by.get_username() if entry.recorded_by else None

    def get_closed_by(self, entry: SupportEntry) -> str | None:
        return entry.closed_by.get_username() if entry.closed_by else None


@extend_schema_field(OpenApiTypes.INT)
class VisibleCaseField(serializers.PrimaryKeyRelatedField[Case]):
    """A case the caller may read: another one is refused as a missing one ("object does not exist")."""

    def get_queryset(self) -> QuerySet[Case]:
        user: User = self.context["user"]
        return Case.objects.visible_to(user).only("pk", "case_code", "organisation", "owner_country")


class NewSupportSerializer(serializers.Serializer[dict[str, Any]]):
    case = VisibleCaseField()
    support_type = serializers.ChoiceField(choices=choices(codes.SupportPlanType), help_text="HTCDS spl_Type")
    provider = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), required=False, allow_null=True,
                                                 default=None)
    start_date = serializers.DateField()
    planned_end_date = serializers.DateField(required=False, allow_null=True, default=None)
    objectives = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    action_plan = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def plan(self) -> services.SupportPlan:
        data = self.validated_data
        return services.SupportPlan(
            support_type=data["support_type"], provider=data["provider"], service=data["service"],
            start_date=data["start_date"], planned_end_date=data["planned_end_date"], objectives=data["objectives"],
            action_plan=data["action_plan"])


class CloseSupportSerializer(serializers.Serializer[dict[str, Any]]):
    actual_end_date = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _refused(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.message_dict)


class SupportEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet[SupportEntry]):
    """The support plans of the caller's organisation's cases in the caller's countries (case workers; others:
    none)."""

    serializer_class = SupportEntrySerializer
    filterset_class = SupportEntryFilter

    def get_queryset(self) -> QuerySet[SupportEntry]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return SupportEntry.objects.none()
        return SupportEntry.objects.visible_to(user_of(self.request)).select_related(
            "case", "recorded_by", "closed_by").order_by("pk")

    def _answer(self, entry: SupportEntry, code: int) -> Response:
        return Response(SupportEntrySerializer(self.get_queryset().get(pk=entry.pk)).data, status=code)

    @extend_schema(request=NewSupportSerializer, responses={201: SupportEntrySerializer,
                                                            400: OpenApiResponse(description="{field: [reason]}")})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = user_of(request)
        if not may_use_assistance(user):
            return Response({"detail": _("Only case workers of an organisation record support plans.")},
                            status=403)
        given = NewSupportSerializer(data=request.data, context={"user": user})
        given.is_valid(raise_exception=True)
        case = given.validated_data["case"]
        if not may_assist(user, case):
            raise serializers.ValidationError({"case": [_("You may not record support on this case.")]})
        try:
            entry = services.add_support(acting_user=user, case=case, plan=given.plan(), request=request._request)
        except DjangoValidationError as error:
            raise _refused(error) from None
        return self._answer(entry, status.HTTP_201_CREATED)

    @extend_schema(request=CloseSupportSerializer, responses={200: SupportEntrySerializer,
                                                              400: OpenApiResponse(description="{field: [reason]}")})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the support plan with its end date and outcome."""
        entry = self.get_object()
        given = CloseSupportSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            closed = services.close_support(acting_user=user_of(request), entry=entry,
                                            end_date=data["actual_end_date"], outcome=data["outcome"],
                                            note=data["outcome_note"], request=request._request)
        except DjangoValidationError as error:
            raise _refused(error) from None
        return self._answer(closed, status.HTTP_200_OK)


def register(router: BaseRouter) -> None:
    router.register("support-entries", SupportEntryViewSet, basename="support-entry")
