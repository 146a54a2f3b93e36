"""``GET /api/protection/``: the objective-3 dashboard's figures as JSON, suppressed cells as ``null``."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.access import is_active_user
from palermo.api.schema import NOT_FOUND, or_empty
from palermo.diagnostics.views_support import YEAR_SCHEMA, ScopeError
from palermo.protection import labels, measures, records
from palermo.protection.access import OutOfScope, dashboard_scope, may_view_dashboard
from palermo.reference.filters import COUNTRY_SCHEMA


class ProtectionDashboardView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("country", COUNTRY_SCHEMA,
                             description="ISO alpha-2 code; default: your own countries (every programme country for "
                                         "the roles that see every country); another country answers 403"),
            OpenApiParameter("year", or_empty(YEAR_SCHEMA), description="year of first contact"),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="{'scope': ..., 'durations': [...], "
                                        "'guardians': [...], 'assistance': [...], 'referrals': [...]}; "
                                        "a suppressed count or a hidden median is null"),
                   400: OpenApiResponse(description="{field: [message]}"), 404: NOT_FOUND},
        summary="Identification, referral and assistance in aggregate (objective 3)",
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if not is_active_user(user):
            raise NotAuthenticated
        if not may_view_dashboard(user):
            raise NotFound
        try:
            scope = dashboard_scope(user, request.query_params)
        except OutOfScope as error:
            raise PermissionDenied(str(error)) from error
        except ScopeError as error:
            raise ValidationError({error.field: [str(error)]}) from error
        result = records.compute(scope, timezone.now(), labels.support_type_codes())
        options = result.options
        return Response({
            "scope": {"countries": list(options.countries), "exact": options.exact,
                      "k": None if options.exact else options.k, "year": options.year,
                      "median_minimum": options.k},
            **{name: measures.as_rows(result.sections[name]) for name in measures.SECTIONS},
        })
