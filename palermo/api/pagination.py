"""Pages of API lists: ``?limit=`` and ``?offset=``, with a ceiling, and a 400 naming a malformed value."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.views import APIView

MAX_LIMIT = 1000


class Pagination(LimitOffsetPagination):
    """DRF's limit/offset pages, where ``limit`` above :data:`MAX_LIMIT` is cut to it (documented in the schema)
    and a value that is not a whole number answers 400 naming the parameter (DRF silently ignores it)."""

    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int | None:
        self._check(request, self.limit_query_param)
        return super().get_limit(request)

    def get_offset(self, request: Request) -> int:
        self._check(request, self.offset_query_param)
        return super().get_offset(request)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        """DRF's two parameters, each a whole number from 0 (a larger ``limit`` is cut, not refused)."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 0
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = _("Number of results to return per page (at most %(limit)s).") % {
                    "limit": MAX_LIMIT}
        return parameters

    @staticmethod
    def _check(request: Request, name: str) -> None:
        value = request.query_params.get(name)
        if value is not None and not (value.isascii() and value.isdigit()):
            raise ValidationError({name: [_("Enter a whole number, 0 or more.")]})
