"""``/api/justice/proceedings/`` and ``/api/justice/defendants/``: the records the caller reads (read only: they are
recorded on the pages, through the same services); ``/api/justice/figures/``: the counts beside UNODC's, durations,
sentences, compensation and victims' participation of a scope, as the dashboard shows them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from palermo.accounts.access import is_active_user
from palermo.api.authentication import user_of
from palermo.api.schema import or_empty
from palermo.diagnostics.disclosure import TOTAL
from palermo.diagnostics.views_support import ScopeError
from palermo.justice import counting, figures
from palermo.justice.counting import Comparison
from palermo.justice.figures import YEAR_SCHEMA
from palermo.justice.filters import DefendantFilter, ProceedingFilter
from palermo.justice.models import Charge, Decision, Defendant, Proceeding, VictimParticipation
from palermo.reference.filters import COUNTRY_SCHEMA


class JusticeChargeSerializer(serializers.ModelSerializer[Charge]):
    class Meta:
        model = Charge
        fields = ["offence", "article"]
        read_only_fields = fields


class JusticeDecisionSerializer(serializers.ModelSerializer[Decision]):
    class Meta:
        model = Decision
        fields = ["id", "instance", "decided_on", "court", "outcome", "convicted_of_thb", "sentence_months",
                  "suspended", "confiscation_ordered"]
        read_only_fields = fields


class JusticeVictimSerializer(serializers.ModelSerializer[VictimParticipation]):
    class Meta:
        model = VictimParticipation
        fields = ["id", "case", "testified", "protected_witness", "compensation_ordered", "compensation_paid"]
        read_only_fields = fields


class JusticeProceedingSerializer(serializers.ModelSerializer[Proceeding]):
    charges = JusticeChargeSerializer(many=True, read_only=True)
    decisions = JusticeDecisionSerializer(many=True, read_only=True)
    victims = JusticeVictimSerializer(many=True, read_only=True)

    class Meta:
        model = Proceeding
        fields = ["id", "country", "organisation", "defendant", "file_number", "authority", "investigation_opened",
                  "prosecuted_on", "thb_charged", "outcome", "first_verdict_on", "charges", "decisions", "victims"]
        read_only_fields = fields


class JusticeDefendantSerializer(serializers.ModelSerializer[Defendant]):
    class Meta:
        model = Defendant
        fields = ["id", "country", "organisation", "reference", "is_legal_person", "sex", "birth_year", "citizenship",
                  "perpetrators"]
        read_only_fields = fields


class ProceedingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Proceeding]):
    """Proceedings the caller reads: case workers their organisation's in their countries, national coordinators
    and analysts their countries', programme managers and auditors every country's; anyone else none."""

    serializer_class = JusticeProceedingSerializer
    filterset_class = ProceedingFilter

    def get_queryset(self) -> QuerySet[Proceeding]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Proceeding.objects.none()
        return Proceeding.objects.visible_to(user_of(self.request)).prefetch_related(
            Prefetch("charges", queryset=Charge.objects.order_by("pk")),
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "pk")),
            Prefetch("victims", queryset=VictimParticipation.objects.order_by("pk"))).order_by("pk")


class DefendantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Defendant]):
    """Defendants the caller reads (the same scope as the proceedings)."""

    serializer_class = JusticeDefendantSerializer
    filterset_class = DefendantFilter

    def get_queryset(self) -> QuerySet[Defendant]:
        if getattr(self, "swagger_fake_view", False):
            return Defendant.objects.none()
        return Defendant.objects.visible_to(user_of(self.request)).prefetch_related("perpetrators").order_by("pk")


def _comparison(c: Comparison, result: figures.JusticeFigures) -> dict[str, Any]:
    return {"country": c.country, "year": c.year, "ours": result.shown(c.ours), "official": c.official.value,
            "official_published_as": c.official.label or None, "difference": c.difference
            if result.scope.exact or c.ours >= counting.UNODC_SUPPRESSED or c.ours == 0 else None,
            "reasons": list(c.reasons)}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _public(code: str) -> str:
    return "total" if code == TOTAL else code


def figures_json(result: figures.JusticeFigures) -> dict[str, Any]:
    scope = result.scope
    return {
        "scope": {"countries": list(scope.countries), "exact": scope.exact, "k": None if scope.exact else scope.k,
                  "year_from": scope.year_from, "year_to": scope.year_to},
        "persons_prosecuted": [_comparison(c, result) for c in result.prosecuted],
        "persons_convicted": [_comparison(c, result) for c in result.convicted],
        "days_to_first_verdict": [{"country": country, "proceedings": result.shown(s.count), "median": s.median,
                                   "p90": s.p90} for country, s in result.durations.items()],
        "sentences": [{"country": country, "band": band, "persons": count}
                      for (country, band), count in sorted(result.sentences.items())],
        "victims": [{"country": _public(country), **{m: result.participation.get((country, m))
                                                     for m in counting.PARTICIPATION},
                     "compensation_ordered_eur": _money(result.amounts.get(country, (None, None))[0]),
                     "compensation_paid_eur": _money(result.amounts.get(country, (None, None))[1])}
                    for country in (*scope.countries, TOTAL)],
    }


class JusticeFiguresView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("country", COUNTRY_SCHEMA,
                             description="ISO alpha-2 code; default: your own countries (every programme country for "
                                         "the roles that see every country); another country answers 403"),
            OpenApiParameter("year_from", or_empty(YEAR_SCHEMA),
                             description="default: ten years ago; the two years in either order"),
            OpenApiParameter("year_to", or_empty(YEAR_SCHEMA), description="default: this year"),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description=(
            "{'scope': ..., 'persons_prosecuted': [...], 'persons_convicted': [...], 'days_to_first_verdict': [...], "
            "'sentences': [...], 'victims': [...]}; a count of 1 to 4 outside your countries is '<5', a suppressed "
            "victims' count null")),
                   400: OpenApiResponse(description="{field: [message]}")},
        summary="Persons prosecuted and convicted beside UNODC's figures, durations, sentences, victims' part",
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if not is_active_user(user):
            raise NotAuthenticated
        try:
            scope = figures.scope_of(user, request.query_params)
        except figures.OutOfScope as error:
            raise PermissionDenied(str(error)) from error
        except ScopeError as error:
            raise ValidationError({error.field: [str(error)]}) from error
        return Response(figures_json(figures.compute(scope)))


def register(router: BaseRouter) -> None:
    router.register("justice/proceedings", ProceedingViewSet, basename="justice-proceeding")
    router.register("justice/defendants", DefendantViewSet, basename="justice-defendant")
