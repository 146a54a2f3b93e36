"""The first middleware of the stack: who the client is, which request this is, probes, and request metrics.

It runs before everything else so that the client address (behind trusted proxies) is the one the audit log,
the sign-in throttle and the metrics allow-list see; so that every log line of the request carries its id;
and so that ``/healthz``, ``/readyz`` and ``/metrics`` answer plain HTTP on the loopback address whatever
``ALLOWED_HOSTS`` and the HTTPS redirect say (they never read the Host header).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from palermo.ops import addresses, logs, metrics, views

# path: (label, view, only for a monitoring caller). Anyone else asking for /metrics goes down the ordinary
# stack, and gets the ordinary 404 of a page that does not exist.
PROBES: dict[str, tuple[str, Callable[[HttpRequest], HttpResponse], bool]] = {
    "/healthz": ("ops:healthz", views.healthz, False),
    "/readyz": ("ops:readyz", views.readyz, False),
    "/metrics": ("ops:metrics", views.metrics, True),
}


def request_id(header: str | None) -> str:
    """The caller's ``X-Request-ID`` when it looks like an id, else a new one."""
    if header and logs.REQUEST_ID_PATTERN.match(header):
        return header
    return uuid.uuid4().hex


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return str(match.view_name)
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class OpsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        trusted = addresses.parse_networks(settings.TRUSTED_PROXIES, setting="PALERMO_TRUSTED_PROXIES")
        peer = request.META.get("REMOTE_ADDR", "")
        client = addresses.client(peer, request.META.get("HTTP_X_FORWARDED_FOR"), trusted)
        request.META["REMOTE_ADDR"] = client.address
        request.client = client  # type: ignore[attr-defined]
        request.id = request_id(request.META.get("HTTP_X_REQUEST_ID"))  # type: ignore[attr-defined]
        with logs.bind_request_id(request.id):  # type: ignore[attr-defined]
            probe = PROBES.get(request.path_info.rstrip("/") or "/")
            if probe is not None and (not probe[2] or views.trusted_caller(request)):
                label, view, _guarded = probe
                response = view(request)
            else:
                response = self.get_response(request)
                label = view_label(request)
        response["X-Request-ID"] = request.id  # type: ignore[attr-defined]
        metrics.count_request(label, request.method or "", response.status_code, time.perf_counter() - start)
        return response
