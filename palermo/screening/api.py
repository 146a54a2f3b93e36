"""``POST /api/qualify/``: the legal qualification of the posted facts. Nothing is stored."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.screening import legal
from palermo.screening.qualifying import active_language


class QualifyView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request={"application/json": {"type": "object"}},
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
