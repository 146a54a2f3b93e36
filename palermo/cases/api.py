"""``/api/cases/``: pseudonymised case records in the caller's scope; identity only through an audited action."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema, extend_schema_field
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
        fields = ["kind", "sequence", "country", "place", "date_from", "date_to", "city", "state", "latitude",
                  "longitude", "from_hte"]


class ProvenanceSerializer(serializers.Serializer):
    """Where a record came from: the import source and record id, file and row, import run and mapping version
    (all empty for a case recorded on the form)."""

    source: Any = serializers.CharField()
    source_record_id = serializers.CharField()
    source_file = serializers.CharField()
    source_row = serializers.IntegerField(allow_null=True)
    import_run = serializers.CharField()
    mapping_version = serializers.CharField()


def _codes(help_text: str) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), read_only=True, help_text=help_text)


class CaseSerializer(serializers.ModelSerializer):
    """Pseudonymous fields only: no identifying field is ever listed here."""

    forms: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    events = EventSerializer(many=True, read_only=True)
    sex = serializers.CharField(read_only=True)
    citizenships = _codes("every citizenship (ISO alpha-2), the first is `citizenship`")
    recruiter_relations = _codes("every relation to the recruiters, the first is `recruiter_relation`")
    forced_labour_industries = _codes("every ISIC section, the first is `forced_labour_industry`")
    recruitment_methods = _codes("HTCDS methods of recruitment")
    means_of_control = _codes("HTCDS methods of control")
    sex_exploitation_types = _codes("HTCDS types of sexual exploitation")
    recruitment_websites = _codes("HTCDS websites and apps of the recruitment")
    exploitation_websites = _codes("HTCDS websites and apps of the exploitation")
    migration_statuses = _codes("HTCDS Guidance 7 migration and protection statuses")
    transit_countries = _codes("transit countries in the order of the route")
    provenance = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "case_code", "organisation", "owner_country", "gender", "sex", "citizenship",
            "age_at_identification", "age_band", "is_minor", "identification_date", "year_identified",
            "trafficking_status", "status_decided_by", "status_decided_on", "recruitment_methods",
            "recruiter_relation", "means_of_control", "forms", "other_exploitation", "forced_labour_industry",
            "sex_exploitation_types", "consent", "case_status", "country_of_exploitation", "transit_countries",
            "thb_form", "thb_form_computed", "thb_form_override", "events",
            "citizenships", "recruiter_relations", "forced_labour_industries", "recruitment_websites",
            "exploitation_websites", "migration_statuses", "trafficking_duration", "data_source", "majority_status",
            "deceased", "number_of_children", "primary_language", "secondary_language", "referring_organisation",
            "incoming_referral_date", "incoming_referral_reason", "referred_organisation", "outgoing_referral_date",
            "outgoing_referral_reason", "provenance",
        ]
        read_only_fields = fields

    @extend_schema_field(ProvenanceSerializer)
    def get_provenance(self, case: Case) -> dict[str, Any]:
        return {"source": case.source, "source_record_id": case.source_record_id, "source_file": case.source_file,
                "source_row": case.source_row, "import_run": case.import_run,
                "mapping_version": case.mapping_version}

    def to_representation(self, instance: Case) -> dict[str, Any]:
        data = super().to_representation(instance)
        # A record written before the sets existed has its one value as a set of one.
        data["citizenships"] = instance.citizenship_codes()
        data["recruiter_relations"] = instance.relation_codes()
        data["forced_labour_industries"] = instance.industry_codes()
        return data


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
