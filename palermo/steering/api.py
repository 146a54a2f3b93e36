"""REST endpoints of the steering committee, with the pages' scopes: every portfolio role reads the meetings and
the figures and decisions of the review it reads (the full one, or the version of its scope: ``access.review_scope``);
programme managers record and change decisions while a meeting is a draft."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from palermo.accounts.access import is_active_user
from palermo.accounts.models import User
from palermo.api.fields import StrictCharField
from palermo.api.schema import CONFLICT, NOT_FOUND
from palermo.programme.models import Action
from palermo.steering import services
from palermo.steering.access import may_manage_steering, may_read_steering, review_scope
from palermo.steering.filters import DecisionFilter, MeetingFilter
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
from palermo.steering.review import build_review, review_figures
from palermo.steering.scope import scoped_review

DOCUMENT_FORMATS = (FrozenReview.Format.HTML, FrozenReview.Format.PDF)


class FrozenDocumentSerializer(serializers.Serializer[dict[str, Any]]):
    language = serializers.CharField()
    format = serializers.CharField()
    sha256 = serializers.CharField()
    frozen_at = serializers.DateTimeField()


class ReviewLinkSerializer(serializers.Serializer[dict[str, str]]):
    language = serializers.CharField()
    format = serializers.CharField()
    url = serializers.URLField()


def _links(request: Request, meeting: SteeringMeeting) -> list[dict[str, str]]:
    return [
        {
            "language": language,
            "format": fmt,
            "url": request.build_absolute_uri(
                f"{reverse('steering:review', args=[meeting.year, fmt])}?lang={language}"
            ),
        }
        for language in services.LANGUAGE_CODES
        for fmt in DOCUMENT_FORMATS
    ]


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(SteeringMeeting.Status.values) + ")$"})
class MeetingStatusField(serializers.CharField):
    """The meeting's status, ``draft`` or ``closed`` (a pattern: an enum named "status" would collide with the
    other apps' ``status`` enums in the schema)."""


class MeetingSerializer(serializers.ModelSerializer[SteeringMeeting]):
    status = MeetingStatusField(read_only=True)
    frozen = serializers.SerializerMethodField()
    review_links = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = SteeringMeeting
        fields = ["year", "date", "place", "participants", "status", "closed_at", "frozen", "review_links", "decisions"]

    @extend_schema_field(FrozenDocumentSerializer(many=True))
    def get_frozen(self, meeting: SteeringMeeting) -> list[dict[str, Any]]:
        """The stored review of a closed meeting the reader reads (the full one, or their version once made): each
        document with its SHA-256 (empty for a draft)."""
        return [
            {"language": f.language, "format": f.format, "sha256": f.sha256, "frozen_at": f.created_at}
            for f in meeting.frozen_reviews.all()
        ]

    @extend_schema_field(ReviewLinkSerializer(many=True))
    def get_review_links(self, meeting: SteeringMeeting) -> list[dict[str, str]]:
        return _links(self.context["request"], meeting)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_decisions(self, meeting: SteeringMeeting) -> list[int]:
        """The decisions the reader reads (``Decision.objects.visible_to``)."""
        return [d.pk for d in meeting.decisions.all()]


class MeetingDetailSerializer(MeetingSerializer):
    figures = serializers.SerializerMethodField()
    figures_frozen = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "figures", "figures_frozen"]

    @extend_schema_field(serializers.JSONField())
    def get_figures(self, meeting: SteeringMeeting) -> dict[str, Any] | None:
        """The figures of the review the reader reads: a draft's computed now; a closed meeting's as frozen (a
        version's drawn once from the frozen facts); ``null`` if frozen before figures (or, for a version, facts)
        were stored: its documents are then the record."""
        user = self.context["request"].user
        scope = review_scope(user)
        if not meeting.is_closed:
            review = build_review(meeting.year)
            return review_figures(review if scope is None else scoped_review(review, scope))
        try:
            stored = services.frozen_review(acting_user=user, meeting=meeting, language=services.LANGUAGE_CODES[0],
                                            fmt=FrozenReview.Format.JSON, scope=scope)
        except FrozenReview.DoesNotExist:
            return None
        return json.loads(bytes(stored.content))

    def get_figures_frozen(self, meeting: SteeringMeeting) -> bool:
        return meeting.is_closed


class MeetingViewSet(viewsets.ReadOnlyModelViewSet[SteeringMeeting]):
    """Steering meetings by year reviewed (filter with ``?year=`` and ``?status=``, as the page)."""

    lookup_field = "year"
    lookup_value_regex = r"\d{4}"
    filterset_class = MeetingFilter

    def get_queryset(self) -> QuerySet[SteeringMeeting]:
        user = self.request.user
        if not may_read_steering(user):
            return SteeringMeeting.objects.none()
        scope = review_scope(user)
        return SteeringMeeting.objects.visible_to(user).prefetch_related(
            Prefetch("frozen_reviews", queryset=FrozenReview.objects.filter(scope=scope.key if scope else "")
                     .defer("content")),
            Prefetch("decisions", queryset=Decision.objects.visible_to(user)),
        )

    def get_serializer_class(self) -> type[MeetingSerializer]:
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    @extend_schema(responses={200: MeetingDetailSerializer, 409: CONFLICT})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().retrieve(request, *args, **kwargs)
        except services.FrozenReviewAltered:
            return Response(
                {"detail": _("The stored review does not match its hash: it was altered. Tell the administrator.")},
                status=status.HTTP_409_CONFLICT,
            )


class TextOnlyField(serializers.CharField):
    """Text, and only text: DRF's ``CharField`` turns a number into its digits, which the schema says is no text."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.CharField: TextOnlyField, models.TextField: TextOnlyField}
    meeting = serializers.SlugRelatedField(slug_field="year", queryset=SteeringMeeting.objects.all())
    actions = serializers.SlugRelatedField(
        slug_field="iati_identifier", many=True, required=False, queryset=Action.objects.all()
    )
    # Text arrives as a JSON string, never a number (DRF's CharField would store -16780 as "-16780").
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField, models.TextField: StrictCharField}

    class Meta:
        model = Decision
        fields = ["id", "meeting", "text_en", "text_fr", "actions", "owner", "due_date"]
        read_only_fields = ["id"]

    def validate_meeting(self, meeting: SteeringMeeting) -> SteeringMeeting:
        if self.instance is not None and meeting.pk != self.instance.meeting_id:
            raise serializers.ValidationError(_("A decision cannot move to another meeting."))
        return meeting


def _closed() -> Response:
    return Response(
        {"detail": _("The meeting is closed: its decisions can no longer change.")}, status=status.HTTP_409_CONFLICT
    )


@extend_schema_view(
    create=extend_schema(responses={201: DecisionSerializer, 404: NOT_FOUND, 409: CONFLICT}),
    update=extend_schema(responses={200: DecisionSerializer, 409: CONFLICT}),
    partial_update=extend_schema(responses={200: DecisionSerializer, 409: CONFLICT}),
)
class DecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Decision],
):
    """Decisions of the committee (filter with ``?year=``). Programme managers create and change them while
    their meeting is a draft; a closed meeting's decisions answer 409."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self) -> QuerySet[Decision]:
        return Decision.objects.visible_to(self.request.user).select_related("meeting").prefetch_related("actions")

    def _manager(self, request: Request) -> User | Response:
        """The programme manager writing, or the refusal: 404 for who may not read, 403 for other readers."""
        user = request.user
        if not may_read_steering(user):
            raise Http404
        if not (is_active_user(user) and may_manage_steering(user)):
            return Response({"detail": _("Only programme managers record decisions.")}, status=403)
        return user

    def _save(self, user: User, serializer: DecisionSerializer, decision: Decision | None) -> Response:
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = data["meeting"] if decision is None else decision.meeting
        # a new decision without a due date has none; a PATCH keeps what it does not name
        fields: dict[str, Any] = {
            key: data[key] if key in data else getattr(decision, key) if decision else None
            for key in ("text_en", "text_fr", "owner", "due_date")
        }
        actions = data["actions"] if "actions" in data else list(decision.actions.all()) if decision else []
        try:
            if decision is None:
                saved = services.add_decision(
                    acting_user=user,
                    meeting=meeting,
                    actions=actions,
                    **fields,
                )
            else:
                saved = services.update_decision(
                    acting_user=user,
                    decision=decision,
                    actions=actions,
                    **fields,
                )
        except PermissionDenied:
            raise Http404 from None
        except DjangoValidationError as error:
            if error.code == "closed" or any(e.code == "closed" for e in error.error_list):
                return _closed()
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        return Response(
            DecisionSerializer(self.get_queryset().get(pk=saved.pk)).data,
            status=status.HTTP_201_CREATED if decision is None else status.HTTP_200_OK,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        manager = self._manager(request)
        if isinstance(manager, Response):
            return manager
        serializer = DecisionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["meeting"].is_closed:
            return _closed()
        return self._save(manager, serializer, None)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        manager = self._manager(request)
        if isinstance(manager, Response):
            return manager
        decision = self.get_object()
        if decision.meeting.is_closed:
            return _closed()
        partial = kwargs.pop("partial", False)
        serializer = DecisionSerializer(decision, data=request.data, partial=partial,
                                        context=self.get_serializer_context())
        return self._save(manager, serializer, decision)


def register(router: BaseRouter) -> None:
    router.register("steering/meetings", MeetingViewSet, basename="steering-meeting")
    router.register("steering/decisions", DecisionViewSet, basename="steering-decision")
