"""``/api/capacity/trainings/``: the trainings the caller reads, with their aggregates (no name);
``/api/capacity/trainings/{id}/participants/``: the attendance list with scores, for the training's organisers and
the programme managers only (404 for everyone else, as a missing training); ``POST`` there adds a participant
through the same service as the page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from palermo.api.authentication import user_of
from palermo.capacity import access, services
from palermo.capacity.choices import Profession, Sex
from palermo.capacity.figures import training_figures
from palermo.capacity.filters import TrainingFilter
from palermo.capacity.models import Participant, Training

GAIN_SCHEMA = {
    "type": "object",
    "properties": {
        "pairs": {"type": "integer", "description": "participants with both a pre- and a post-test score"},
        "withheld": {"type": "boolean", "description": "fewer pairs than the minimum (5): no figure"},
        "mean": {"type": "number", "nullable": True}, "low": {"type": "number", "nullable": True},
        "high": {"type": "number", "nullable": True},
    },
    "required": ["pairs", "withheld", "mean", "low", "high"],
}
COUNTS_SCHEMA = {"type": "object", "additionalProperties": {"type": "integer"}}


class TrainingSerializer(serializers.ModelSerializer[Training]):
    action_identifier = serializers.CharField(source="action.iati_identifier", read_only=True)
    trained = serializers.IntegerField(read_only=True, help_text="participants who attended")
    women = serializers.IntegerField(read_only=True)
    men = serializers.IntegerField(read_only=True)
    other = serializers.IntegerField(read_only=True)

    class Meta:
        model = Training
        fields = ["id", "title_en", "title_fr", "country", "action", "action_identifier", "organiser_organisation",
                  "status", "start_date", "end_date", "mode", "place", "hours", "trainers", "curriculum",
                  "max_score", "trained", "women", "men", "other"]
        read_only_fields = fields


class TrainingDetailSerializer(TrainingSerializer):
    by_profession = serializers.SerializerMethodField()
    knowledge_gain = serializers.SerializerMethodField()
    survey_responses = serializers.SerializerMethodField()
    follow_ups = serializers.SerializerMethodField()

    class Meta(TrainingSerializer.Meta):
        fields = [*TrainingSerializer.Meta.fields, "by_profession", "knowledge_gain", "survey_responses",
                  "follow_ups"]
        read_only_fields = fields

    def _figures(self, training: Training) -> Any:
        cache = self.context.setdefault("figures", {})
        if training.pk not in cache:
            cache[training.pk] = training_figures(training)
        return cache[training.pk]

    @extend_schema_field(COUNTS_SCHEMA)
    def get_by_profession(self, training: Training) -> dict[str, int]:
        return dict(sorted(self._figures(training).by_profession.items()))

    @extend_schema_field(GAIN_SCHEMA)
    def get_knowledge_gain(self, training: Training) -> dict[str, Any]:
        found = self._figures(training).gain
        return {"pairs": found.pairs, "withheld": found.withheld, "mean": found.mean, "low": found.low,
                "high": found.high}

    def get_survey_responses(self, training: Training) -> int:
        return int(self._figures(training).survey_responses)

    @extend_schema_field(COUNTS_SCHEMA)
    def get_follow_ups(self, training: Training) -> dict[str, int]:
        return dict(sorted(self._figures(training).follow_up_answers.items()))


class ParticipantSerializer(serializers.ModelSerializer[Participant]):
    class Meta:
        model = Participant
        fields = ["id", "given_name", "family_name", "sex", "profession", "organisation", "email", "attended",
                  "pre_score", "post_score"]
        read_only_fields = ["id"]
        extra_kwargs = {"email": {"max_length": 254}}


class NewParticipantSerializer(serializers.Serializer[dict[str, Any]]):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    sex = serializers.ChoiceField(choices=Sex.choices)
    profession = serializers.ChoiceField(choices=Profession.choices)
    organisation = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    attended = serializers.BooleanField(required=False, default=True)
    pre_score = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False,
                                         allow_null=True, default=None)
    post_score = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False,
                                          allow_null=True, default=None)


class TrainingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Training]):
    """Trainings of the caller's scope, with their counts of people trained (never a name)."""

    filterset_class = TrainingFilter

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return TrainingDetailSerializer if self.action == "retrieve" else TrainingSerializer

    def get_queryset(self) -> QuerySet[Training]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Training.objects.none()
        trained = Q(participants__attended=True)
        return (Training.objects.visible_to(user_of(self.request)).select_related("action").annotate(
            trained=Count("participants", filter=trained),
            women=Count("participants", filter=trained & Q(participants__sex=Sex.FEMALE)),
            men=Count("participants", filter=trained & Q(participants__sex=Sex.MALE)),
            other=Count("participants", filter=trained & Q(participants__sex=Sex.OTHER))).order_by("-start_date", "pk"))

    def _named(self, pk: str | None) -> Training:
        user = user_of(self.request)
        if not str(pk or "").isdigit():
            raise Http404
        training = access.access_training(user, int(str(pk)))
        if not access.may_read_names(user, training):
            raise Http404
        return training

    @extend_schema(methods=["GET"], request=None, responses={200: ParticipantSerializer(many=True)})
    @extend_schema(methods=["POST"], request=NewParticipantSerializer, responses={
        201: ParticipantSerializer, 400: OpenApiResponse(description="{field: [reason]}")})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def participants(self, request: Request, pk: str | None = None) -> Response:
        """The training's participants by name (organisers and programme managers); POST adds one (organisers
        and programme managers)."""
        training = self._named(pk)
        if request.method == "POST":
            given = NewParticipantSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            try:
                added = services.add_participant(acting_user=user_of(request), training=training,
                                                 data=services.ParticipantData(**given.validated_data),
                                                 request=request._request)
            except PermissionDenied:
                raise Http404 from None
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.message_dict) from None
            return Response(ParticipantSerializer(added).data, status=status.HTTP_201_CREATED)
        found = Participant.objects.filter(training=training).order_by("family_name", "given_name", "pk")
        return Response(ParticipantSerializer(found, many=True).data)


def register(router: BaseRouter) -> None:
    router.register("capacity/trainings", TrainingViewSet, basename="capacity-training")
