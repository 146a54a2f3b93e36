"""``POST /api/qualify/``: the legal qualification of the posted facts (nothing is stored). ``/api/screenings/``:
the screenings the caller may read, and a new screening through the same service as the page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from palermo.api.authentication import user_of
from palermo.reference.models import IndicatorList
from palermo.screening import legal, lists, scoring, services
from palermo.screening.access import may_screen
from palermo.screening.filters import ScreeningFilter
from palermo.screening.models import Screening
from palermo.screening.qualifying import active_language


class QualifyView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request={"application/json": legal.facts_schema()},
        responses={200: OpenApiResponse(description="For each instrument: verdict, elements, reason, article"),
                   400: OpenApiResponse(description="{'errors': {field: [message, ...]}}")},
        examples=[OpenApiExample("A child recruited for begging", request_only=True,
                                 value={"age": 16, "acts": ["recruitment"], "means": [], "purposes": ["begging"],
                                        "consent": True, "date": "2025-03-01"})],
        summary="Legal qualification of facts under each instrument (an indication, not a court's finding)",
    )
    def post(self, request: Request) -> Response:
        language = active_language()
        try:
            answer = legal.qualify_json(request.data, language)
        except legal.FactsError as error:
            return Response({"errors": error.messages(language)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(answer)


class ScreeningSerializer(serializers.ModelSerializer[Screening]):
    list = serializers.CharField(source="indicator_list.code", read_only=True)
    version = serializers.CharField(source="indicator_list.version", read_only=True)
    list_verified = serializers.BooleanField(source="indicator_list.verified", read_only=True)
    case_code = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField(help_text="the result as computed, in the caller's language")

    class Meta:
        model = Screening
        fields = ["id", "screened_at", "country", "organisation", "list", "version", "list_verified", "ticked",
                  "possible_victim", "referral", "case", "case_code", "result"]
        read_only_fields = fields

    def get_case_code(self, screening: Screening) -> str | None:
        return screening.case.case_code if screening.case else None

    def get_result(self, screening: Screening) -> dict[str, Any]:
        result: dict[str, Any] = screening.result.get(active_language()) or screening.result.get("en", {})
        return result


class NewScreeningSerializer(serializers.Serializer[dict[str, Any]]):
    list = serializers.CharField(help_text="the code of an indicator list; its active version is used")
    country = serializers.CharField(max_length=2, help_text="one of the caller's countries (ISO alpha-2)")
    indicators = serializers.ListField(child=serializers.CharField(), allow_empty=True,
                                       help_text="the ticked indicators, 'dimension/code' as the export names them")

    def validate_list(self, value: str) -> IndicatorList:
        for indicator_list in lists.active_lists():
            if indicator_list.code == value:
                return indicator_list
        codes = ", ".join(item.code for item in lists.active_lists())
        raise serializers.ValidationError(_("Unknown indicator list %(value)r: the lists are %(codes)s.") % {
            "value": value, "codes": codes})

    def validate_country(self, value: str) -> str:
        code = value.upper()
        if not self.context["user"].covers_country(code):
            raise serializers.ValidationError(_("%(value)s is not one of your countries.") % {"value": value})
        return code


class ScreeningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet[Screening]):
    """The screenings of the caller's organisation in the caller's countries (case workers; others: none).
    A new screening is scored and kept exactly as the page does it."""

    serializer_class = ScreeningSerializer
    filterset_class = ScreeningFilter

    def get_queryset(self) -> QuerySet[Screening]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Screening.objects.none()
        return Screening.objects.visible_to(user_of(self.request)).select_related(
            "indicator_list", "case").order_by("-screened_at", "-pk")

    @extend_schema(request=NewScreeningSerializer, responses={201: ScreeningSerializer,
                                                              400: OpenApiResponse(description="{field: [reason]}")})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = user_of(request)
        if not may_screen(user):
            return Response({"detail": _("Only case workers of an organisation record screenings.")}, status=403)
        given = NewScreeningSerializer(data=request.data, context={"user": user})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            screening = services.create_screening(acting_user=user, indicator_list=data["list"],
                                                  country=data["country"], ticked=data["indicators"],
                                                  request=request._request)
        except scoring.ScreeningInputError as error:
            raise serializers.ValidationError({"indicators": error.problems}) from None
        fresh = self.get_queryset().get(pk=screening.pk)
        return Response(ScreeningSerializer(fresh).data, status=status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    router.register("screenings", ScreeningViewSet, basename="screening")
