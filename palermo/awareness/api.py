"""``/api/awareness/campaigns/``: the campaigns the caller reads; ``/api/awareness/risk-profiles/``: the ranking of
the risk profiles of the caller's countries, small counts not shown, with the campaigns covering each."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from palermo.accounts.access import is_active_user
from palermo.api.authentication import user_of
from palermo.awareness import planning, risk
from palermo.awareness.access import may_read_risk, risk_countries
from palermo.awareness.filters import CampaignFilter
from palermo.awareness.models import Campaign
from palermo.reference.filters import COUNTRY_SCHEMA
from palermo.reference.models import Country

DIMENSIONS_PATTERN = "(?:{0})(?:,(?:{0}))*".format("|".join(risk.DIMENSIONS))
YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100}


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    action_identifier = serializers.CharField(source="action.iati_identifier", read_only=True)
    countries = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()
    contact_points = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    people_reached = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "title", "objective", "action", "action_identifier", "countries", "regions", "populations",
                  "languages", "channels", "risks", "start", "end", "partners", "contact_points", "targets",
                  "people_reached"]
        read_only_fields = fields

    def get_countries(self, campaign: Campaign) -> list[str]:
        return sorted(c.code for c in campaign.countries.all())

    def get_partners(self, campaign: Campaign) -> list[int]:
        return sorted(p.pk for p in campaign.partners.all())

    def get_contact_points(self, campaign: Campaign) -> list[int]:
        return sorted(s.pk for s in campaign.contact_points.all())

    def get_targets(self, campaign: Campaign) -> dict[str, list[str]]:
        """The risk profiles aimed at, by dimension; an empty list means anyone."""
        return {dimension: sorted(values) for dimension, values in campaign.targets().items()}

    def get_people_reached(self, campaign: Campaign) -> int:
        return int(getattr(campaign, "reached", 0) or 0)


class CampaignViewSet(viewsets.ReadOnlyModelViewSet[Campaign]):
    """Awareness campaigns: managers and auditors every one, embassy officers, national coordinators and analysts
    those of their countries, international organisation partners their organisation's; others none."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def get_queryset(self) -> QuerySet[Campaign]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Campaign.objects.none()
        return (Campaign.objects.visible_to(user_of(self.request)).select_related("action")
                .prefetch_related("countries", "partners", "contact_points")
                .annotate(reached=Sum("periods__counts__people")).order_by("pk"))


class ProfileSerializer(serializers.Serializer[Any]):
    country = serializers.CharField()
    rank = serializers.IntegerField()
    key = serializers.CharField(help_text="country|dimension=value|...: the profile the planning page takes")
    values = serializers.DictField(child=serializers.CharField())
    too_few = serializers.BooleanField(help_text="fewer recent victims than k: counts not shown")
    recent = serializers.IntegerField(allow_null=True)
    previous = serializers.IntegerField(allow_null=True)
    interval = serializers.ListField(child=serializers.FloatField(), allow_null=True, min_length=2, max_length=2)
    trend = serializers.ChoiceField(choices=[risk.RISING, risk.FALLING, risk.UNCLEAR], allow_null=True)
    campaigns = serializers.ListField(child=serializers.IntegerField(),
                                      help_text="campaigns covering it that you read")
    covered = serializers.BooleanField(help_text="a campaign (yours to read or not) covers it")
    gap = serializers.BooleanField(help_text="a high-risk profile no campaign covers")


class RiskAnswerSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    k = serializers.IntegerField()
    dimensions = serializers.ListField(child=serializers.CharField())
    recent_years = serializers.ListField(child=serializers.IntegerField())
    previous_years = serializers.ListField(child=serializers.IntegerField())
    profiles = ProfileSerializer(many=True)


class RiskProfilesView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("country", COUNTRY_SCHEMA, description="ISO alpha-2 code; default: every country you "
                             "read; another country answers 403"),
            OpenApiParameter("year", {"anyOf": [YEAR, {"type": "string", "enum": [""]}]},
                             description="last year of the recent window; default: the last year with victims"),
            OpenApiParameter("dims", {"type": "string", "pattern": f"^(?:{DIMENSIONS_PATTERN})?$"},
                             description="dimensions of a profile, comma-separated; default: sex,age_band,form"),
        ],
        responses={200: RiskAnswerSerializer, 400: OpenApiResponse(description="{field: [message]}")},
        summary="Risk profiles per country, ranked by recent victims and trend, with the campaigns covering each",
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if not is_active_user(user):
            raise NotAuthenticated
        if not may_read_risk(user):
            raise PermissionDenied(_("Your role does not read the risk profiles."))
        params = request.query_params
        scope = risk_countries(user)
        countries = scope
        code = params.get("country", "").strip().upper()
        if code:
            if not Country.objects.filter(code=code).exists():
                raise ValidationError({"country": [_("Unknown country code '%(code)s'.") % {"code": code}]})
            if scope is not None and code not in scope:
                raise PermissionDenied(_("This country is outside your scope."))
            countries = frozenset({code})
        dims_text = params.get("dims", "")
        if dims_text and not re.fullmatch(DIMENSIONS_PATTERN, dims_text):
            raise ValidationError({"dims": [_("Give dimensions among %(names)s, comma-separated.") % {
                "names": ", ".join(risk.DIMENSIONS)}]})
        dims = dims_text.split(",") if dims_text else list(risk.DEFAULT_DIMENSIONS)
        year_text = params.get("year", "")
        if year_text:
            if not (year_text.isascii() and year_text.isdigit() and 2000 <= int(year_text) <= 2100):
                raise ValidationError({"year": [_("Give a year from 2000 to 2100.")]})
            year = int(year_text)
        else:
            year = planning.latest_year(countries, timezone.localdate())
        found = planning.picture(countries, year=year, dimensions=dims)
        readable = set(Campaign.objects.visible_to(user).values_list("pk", flat=True))
        gaps = {id(line) for line in found.gaps}
        profiles = []
        for lines in found.ranking.values():
            for line in lines:
                few = line.too_few(found.k)
                profiles.append({
                    "country": line.profile.country, "rank": line.rank, "key": line.profile.key,
                    "values": dict(line.profile.values), "too_few": few,
                    "recent": None if few else line.recent, "previous": None if few else line.previous,
                    "interval": None if few else list(line.interval), "trend": None if few else line.trend,
                    "campaigns": [pk for pk in line.campaigns if pk in readable], "covered": line.covered,
                    "gap": id(line) in gaps})
        return Response({"year": found.year, "k": found.k, "dimensions": list(found.dimensions),
                         "recent_years": list(found.recent_years), "previous_years": list(found.previous_years),
                         "profiles": profiles})


def register(router: BaseRouter) -> None:
    router.register("awareness/campaigns", CampaignViewSet, basename="awareness-campaign")
