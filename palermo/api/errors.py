from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with one message for forbidden and missing objects alike."""
    if isinstance(exc, Http404):
        return Response({"detail": _("Not found.")}, status=404)
    return drf_exception_handler(exc, context)
