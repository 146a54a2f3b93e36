"""``/api/cases/``: pseudonymised case records in the caller's scope; identity only through an audited action."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases.access import access_case, may_edit_cases, may_read_cases
from palermo.cases.filters import CaseFilter
from palermo.cases.models import IDENTIFYING_FIELDS, Case, CaseQuerySet, TraffickingEvent
from palermo.cases.services import read_identity


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TraffickingEvent
        fields = ["kind", "sequence", "country", "place", "date_from", "date_to"]


class CaseSerializer(serializers.ModelSerializer):
    """Pseudonymous fields only: no identifying field is ever listed here."""

    forms: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    events = EventSerializer(many=True, read_only=True)
    sex = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "case_code", "organisation", "owner_country", "gender", "sex", "citizenship",
            "age_at_identification", "age_band", "is_minor", "identification_date", "year_identified",
            "trafficking_status", "status_decided_by", "status_decided_on", "recruitment_methods",
            "recruiter_relation", "means_of_control", "forms", "other_exploitation", "forced_labour_industry",
            "sex_exploitation_types", "consent", "case_status", "country_of_exploitation", "transit_countries",
            "thb_form", "thb_form_computed", "thb_form_override", "events",
        ]
        read_only_fields = fields


class IdentitySerializer(serializers.Serializer):
    """The direct identifiers of ``/api/cases/{id}/identity/`` (``IDENTIFYING_FIELDS``), empty when unknown."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: serializers.DateField(allow_null=True) if name == "birth_date" else serializers.CharField()
                for name in IDENTIFYING_FIELDS}


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> CaseQuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        user = self.request.user
        if not isinstance(user, User) or not may_read_cases(user):
            raise PermissionDenied("Case records are read by case workers and analysts; others read aggregates.")
        return Case.objects.visible_to(user).prefetch_related("forms", "events").order_by("pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of case records, and one audit row saying who read how many with which filters."""
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200 and isinstance(request.user, User):
            results = response.data.get("results", [])
            record(actor=request.user, action=AuditEvent.Action.READ_RECORDS, object_type="case",
                   detail={"channel": "api", "rows": len(results), "count": response.data.get("count"),
                           "query": {name: request.query_params.getlist(name) for name in request.query_params}},
                   request=request._request)
        return response

    @extend_schema(request=None, responses=IdentitySerializer)
    @action(detail=True, methods=["post"])
    def identity(self, request: Request, pk: str | None = None) -> Response:
        """The direct identifiers, for a case worker of the owning organisation (session with two factors).

        A POST (with the session's CSRF token), so that no cross-site link or image can trigger an audited read;
        the answer is never stored by a browser or a proxy.
        """
        user = request.user
        if not isinstance(user, User) or not may_edit_cases(user):
            raise Http404
        try:
            case = access_case(user, int(pk or 0))
        except ValueError as error:
            raise Http404 from error
        response = Response(read_identity(acting_user=user, case=case, request=request._request, channel="api"))
        add_never_cache_headers(response)
        return response


def register(router: Any) -> None:
    router.register("cases", CaseViewSet, basename="case")
