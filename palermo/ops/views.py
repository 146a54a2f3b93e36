"""Liveness, readiness and metrics. Answered by ``OpsMiddleware`` before sessions, host checks and redirects."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from palermo.ops import addresses, health
from palermo.ops import metrics as prometheus


def trusted_caller(request: HttpRequest) -> bool:
    """A monitoring caller: the bearer token of the setting, or an allowed address that did not forge a proxy chain."""
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip().encode(), token.encode()):
        return True
    client = getattr(request, "client", None)
    if client is None or client.doubtful:
        return False
    networks = addresses.parse_networks(settings.METRICS_ALLOWED_ADDRESSES, setting="PALERMO_METRICS_ALLOWED")
    return addresses.is_in(client.address, networks)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "alive"})


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when every check passes, else 503 naming the failed checks; reasons only for a monitoring caller."""
    results = health.run_checks()
    failed = [result.name for result in results if not result.ok]
    detailed = trusted_caller(request)
    checks = {}
    for result in results:
        entry: dict[str, object] = {"ok": result.ok, "ms": result.milliseconds}
        if detailed and result.reason:
            entry["reason" if not result.ok else "detail"] = result.reason
        checks[result.name] = entry
    body = {"status": "not ready" if failed else "ready", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus page (``OpsMiddleware`` lets only a monitoring caller reach it)."""
    body, content_type = prometheus.exposition(request.META.get("HTTP_ACCEPT", ""))
    return HttpResponse(body, content_type=content_type)
