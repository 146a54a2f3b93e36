from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.access import is_active_user


class MeSerializer(serializers.Serializer[dict[str, object]]):
    username = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    all_countries = serializers.BooleanField()
    countries = serializers.ListField(child=serializers.CharField(), help_text="ISO alpha-2 codes")
    organisation = serializers.DictField(allow_null=True)
    two_factor_required = serializers.BooleanField()
    may_see_identifying_data = serializers.BooleanField()


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in user, role and scopes")
    def get(self, request: Request) -> Response:
        user = request.user
        if not is_active_user(user):  # the default IsAuthenticated permission answers first
            raise NotAuthenticated
        codes = user.country_codes()
        organisation = user.organisation
        data = {
            "username": user.get_username(),
            "role": user.role,
            "role_label": user.role_label,
            "all_countries": codes is None,
            "countries": sorted(codes) if codes is not None else [],
            "organisation": {"id": organisation.pk, "name": organisation.name} if organisation else None,
            "two_factor_required": user.needs_two_factor,
            "may_see_identifying_data": user.may_see_identifying_data,
        }
        return Response(MeSerializer(data).data)
