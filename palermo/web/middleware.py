"""Two guards of every response: input no page or endpoint can store, and the browser's security policies.

NUL characters in parameters are refused before any view reads them.

PostgreSQL cannot hold a NUL in text, so a ``\\x00`` in a filter or a form field would reach the database as
a server error (SQLite would store it silently). Every query parameter, form field and JSON body is checked
once here; the answer is 400 naming the parameter, in JSON under ``/api/`` and as a page elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils.translation import gettext as _

JSON_NUL = b"\\u0000"


def _nul_name(parameters: QueryDict) -> str | None:
    for name, values in parameters.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "\\0")
    return None


def nul_parameter(request: HttpRequest) -> str | None:
    """The first parameter holding a NUL character, or ``None``. Reads a JSON body (it is small), never a file."""
    content_type = request.content_type or ""
    if (found := _nul_name(request.GET)) is not None:
        return found
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _nul_name(request.POST)
    if content_type == "application/json" and (b"\x00" in request.body or JSON_NUL in request.body.lower()):
        return _("the JSON body")
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = nul_parameter(request)
        if name is None:
            return self.get_response(request)
        message = _("%(name)s: a NUL character is not allowed.") % {"name": name}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and Permissions-Policy of every response (``settings.CONTENT_SECURITY_POLICY``,
    ``settings.PERMISSIONS_POLICY``; docs/security.md). Scripts come only from the site's own static files: no
    page has an inline script or event handler (charts are JSON data blocks drawn by ``palermo/charts.js``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        permissions = getattr(settings, "PERMISSIONS_POLICY", "")
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response
