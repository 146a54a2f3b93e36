"""``/api/linkage/``: the candidate pairs the caller may review (queue order) and their judgement, the judgements
and their undo, the trained models with their match weights, the unique-victim counts. Same services and rules
as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from palermo.api.authentication import user_of
from palermo.api.schema import CONFLICT
from palermo.linkage.access import may_judge, may_review, may_see_linkage_figures
from palermo.linkage.charts import level_weights
from palermo.linkage.filters import CandidateFilter
from palermo.linkage.models import Candidate, Judgement, LinkRecord, TrainedModel, UniqueCount, Verdict
from palermo.linkage.services import ConflictingMerge, judge_pair, merge_conflicts, undo_judgement


class RecordSerializer(serializers.ModelSerializer[LinkRecord]):
    resolved_id = serializers.CharField(read_only=True)

    class Meta:
        model = LinkRecord
        fields = ["id", "source_name", "reference", "country", "names", "dob", "documents", "case", "resolved_id"]
        read_only_fields = fields


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    left = RecordSerializer(read_only=True)
    right = RecordSerializer(read_only=True)
    conflicts = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = ["id", "left", "right", "match_probability", "match_weight", "uncertainty", "stake", "verdict",
                  "model", "conflicts"]
        read_only_fields = fields

    def get_conflicts(self, candidate: Candidate) -> list[str]:
        return merge_conflicts(candidate) if not candidate.verdict else []


class CandidateListSerializer(CandidateSerializer):
    """The list leaves out the conflicts (a query per pair): read them on the pair itself."""

    class Meta(CandidateSerializer.Meta):
        fields = [f for f in CandidateSerializer.Meta.fields if f != "conflicts"]
        read_only_fields = fields


class JudgementSerializer(serializers.ModelSerializer[Judgement]):
    class Meta:
        model = Judgement
        fields = ["id", "candidate", "verdict", "judged_by_name", "judged_at", "before", "after", "conflicts",
                  "undone_at", "undone_by_name"]
        read_only_fields = fields


class JudgeSerializer(serializers.Serializer[dict[str, Any]]):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    confirm = serializers.BooleanField(required=False, default=False,
                                       help_text="merge even when the two persons have conflicting facts")


class ModelSerializer(serializers.ModelSerializer[TrainedModel]):
    weights = serializers.SerializerMethodField()

    class Meta:
        model = TrainedModel
        fields = ["id", "entity_type", "version", "records", "source", "trained_at", "trained_by_name", "evaluation",
                  "weights"]
        read_only_fields = fields

    def get_weights(self, model: TrainedModel) -> list[dict[str, Any]]:
        return level_weights(model.settings_json)


class UniqueCountSerializer(serializers.ModelSerializer[UniqueCount]):
    class Meta:
        model = UniqueCount
        fields = ["id", "counted_at", "counted_by_name", "method", "records", "distinct", "by_country", "overlap"]
        read_only_fields = fields


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Candidate]):
    """Candidate pairs whose two records are in the caller's countries (analysts), open ones first: persons tied
    to cases, then the most uncertain."""

    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Candidate]]:
        return CandidateListSerializer if self.action == "list" else CandidateSerializer

    def get_queryset(self) -> QuerySet[Candidate]:
        if getattr(self, "swagger_fake_view", False):
            return Candidate.objects.none()
        return Candidate.objects.visible_to(user_of(self.request)).select_related("left", "right").order_by(
            "-stake", "uncertainty", "pk")

    @extend_schema(request=JudgeSerializer, responses={201: JudgementSerializer, 409: CONFLICT,
                                                       400: OpenApiResponse(description="{field: [reason]}")})
    @action(detail=True, methods=["post"])
    def judge(self, request: Request, pk: str | None = None) -> Response:
        """Accept (same person), reject or mark unsure; a merge joining conflicting facts answers 409 naming them
        unless ``confirm`` is true."""
        candidate = self.get_object()
        user = user_of(request)
        if not may_judge(user, candidate):
            raise Http404
        given = JudgeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            judgement = judge_pair(acting_user=user, candidate=candidate, verdict=given.validated_data["verdict"],
                                   confirm=given.validated_data["confirm"], request=request._request)
        except ConflictingMerge as conflict:
            return Response({"detail": "; ".join(conflict.messages)}, status=409)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(JudgementSerializer(judgement).data, status=status.HTTP_201_CREATED)


class JudgementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Judgement]):
    """Judgements on the pairs the caller may see, newest first (undone ones included, marked)."""

    serializer_class = JudgementSerializer

    def get_queryset(self) -> QuerySet[Judgement]:
        if getattr(self, "swagger_fake_view", False):
            return Judgement.objects.none()
        user = user_of(self.request)
        if not may_review(user):
            return Judgement.objects.none()
        return Judgement.objects.filter(candidate__in=Candidate.objects.visible_to(user)).order_by("-pk")

    @extend_schema(request=None, responses={200: JudgementSerializer,
                                            400: OpenApiResponse(description="{field: [reason]}")})
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str | None = None) -> Response:
        """Undo the judgement: the records get back exactly the resolved ids they had before it."""
        judgement = self.get_object()
        try:
            undone = undo_judgement(acting_user=user_of(request), judgement=judgement, request=request._request)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(JudgementSerializer(undone).data)


class TrainedModelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[TrainedModel]):
    """The trained linkage models (versions) with their match weights (managers, coordinators, analysts)."""

    serializer_class = ModelSerializer

    def get_queryset(self) -> QuerySet[TrainedModel]:
        if getattr(self, "swagger_fake_view", False) or not may_see_linkage_figures(user_of(self.request)):
            return TrainedModel.objects.none()
        return TrainedModel.objects.order_by("entity_type", "-version")


class UniqueCountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[UniqueCount]):
    """Victims recorded and distinct victims (estimated) from the organisations' encodings, with the overlap."""

    serializer_class = UniqueCountSerializer

    def get_queryset(self) -> QuerySet[UniqueCount]:
        if getattr(self, "swagger_fake_view", False) or not may_see_linkage_figures(user_of(self.request)):
            return UniqueCount.objects.none()
        return UniqueCount.objects.order_by("-pk")


def register(router: BaseRouter) -> None:
    router.register("linkage/pairs", CandidateViewSet, basename="linkage-pair")
    router.register("linkage/judgements", JudgementViewSet, basename="linkage-judgement")
    router.register("linkage/models", TrainedModelViewSet, basename="linkage-model")
    router.register("linkage/unique-counts", UniqueCountViewSet, basename="linkage-unique-count")
