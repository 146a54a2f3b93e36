"""``/api/referrals/``: the referrals the caller may read, with their steps; ``POST .../{id}/steps/`` records the
next step (or any other, with its reason) through the same service as the page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from palermo.api.authentication import user_of
from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.referral import services, workflow
from palermo.referral.filters import ReferralFilter
from palermo.referral.models import Referral, ReferralStep, Service, Step


class StepSerializer(serializers.ModelSerializer[ReferralStep]):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = ReferralStep
        fields = ["step", "kind", "reason", "decided_by", "service", "at", "recorded_by"]
        read_only_fields = fields

    def get_recorded_by(self, step: ReferralStep) -> str | None:
        return step.recorded_by.get_username() if step.recorded_by else None


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    case_code = serializers.CharField(source="case.case_code", read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "case", "case_code", "organisation", "country", "minor", "step", "presumed_at", "time_zone",
                  "reflection_ends", "guardian_due", "guardian_appointed_at", "service", "steps"]
        read_only_fields = fields


class NewStepSerializer(serializers.Serializer[dict[str, Any]]):
    step = serializers.ChoiceField(choices=Step.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text="needed to go back, change a decision or skip a step")
    decided_by = serializers.ChoiceField(choices=[("", "—"), *choices(codes.DecisionMaker)], required=False,
                                         default="")
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), required=False, allow_null=True,
                                                 default=None, help_text="a directory service of the referral's "
                                                                         "country")

    def validate_service(self, service: Service | None) -> Service | None:
        if service is not None and service.country_id != self.context["referral"].country_id:
            raise serializers.ValidationError(_("The service is not in the referral's country."))
        return service


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Referral]):
    """The referrals of the caller's organisation in the caller's countries (case workers; others: none)."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def get_queryset(self) -> QuerySet[Referral]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Referral.objects.none()
        return Referral.objects.visible_to(user_of(self.request)).select_related("case").prefetch_related(
            "steps__recorded_by").order_by("pk")

    @extend_schema(request=NewStepSerializer, responses={201: ReferralSerializer,
                                                         400: OpenApiResponse(description="{field: [reason]}")})
    @action(detail=True, methods=["post"])
    def steps(self, request: Request, pk: str | None = None) -> Response:
        """Record a step: the next one freely, any other with a reason; a refused step changes nothing."""
        referral = self.get_object()
        given = NewStepSerializer(data=request.data, context={"referral": referral})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            services.record_step(acting_user=user_of(request), referral=referral, step=data["step"],
                                 reason=data["reason"], decided_by=data["decided_by"], service=data["service"],
                                 request=request._request)
        except workflow.WorkflowError as error:
            raise serializers.ValidationError({"step": [str(error)]}) from None
        return Response(ReferralSerializer(self.get_queryset().get(pk=referral.pk)).data,
                        status=status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    router.register("referrals", ReferralViewSet, basename="referral")
