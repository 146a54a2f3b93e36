"""``/metrics``: what is counted, and who may read it (an allowed address or the token; anyone else: 404)."""

from __future__ import annotations

from typing import Any

import pytest
from prometheus_client import REGISTRY

from palermo.audit.models import AuditEvent
from palermo.ops.metrics import count_import_rows

pytestmark = pytest.mark.django_db  # other apps' collectors (the jobs queue) read the database when scraped

OUTSIDER = {"REMOTE_ADDR": "203.0.113.9"}


def requests_counted(view: str, method: str, status: str) -> float:
    value = REGISTRY.get_sample_value(
        "palermo_http_requests_total", {"view": view, "method": method, "status": status}
    )
    return value or 0.0


def test_requests_are_counted_by_view_method_and_status(client: Any) -> None:
    before = requests_counted("accounts:login", "GET", "200")
    missing_before = requests_counted("unmatched", "GET", "404")
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/no/such/page/").status_code == 404
    assert requests_counted("accounts:login", "GET", "200") == before + 2
    assert requests_counted("unmatched", "GET", "404") == missing_before + 1
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'palermo_http_requests_total{method="GET",status="200",view="accounts:login"}' in text
    assert 'palermo_http_request_duration_seconds_bucket{le="0.25",method="GET",view="accounts:login"}' in text


def test_imported_rows_are_counted_by_kind(client: Any) -> None:
    before = REGISTRY.get_sample_value("palermo_import_rows_total", {"kind": "cases"}) or 0.0
    count_import_rows("cases", 1200)
    count_import_rows("cases", 34)
    assert REGISTRY.get_sample_value("palermo_import_rows_total", {"kind": "cases"}) == before + 1234
    assert 'palermo_import_rows_total{kind="cases"}' in client.get("/metrics").content.decode()
    with pytest.raises(ValueError, match="negative"):
        count_import_rows("cases", -1)


def test_metrics_are_a_missing_page_for_anyone_else(client: Any) -> None:
    response = client.get("/metrics", **OUTSIDER)
    assert response.status_code == 404
    assert [t.name for t in response.templates] == [t.name for t in client.get("/no/such/page/").templates]
    assert b"palermo_http_requests_total" not in response.content


def test_the_bearer_token_opens_metrics_from_anywhere(client: Any, settings: Any) -> None:
    settings.METRICS_TOKEN = "a-long-random-metrics-token"

    def status(authorization: str) -> int:
        return int(client.get("/metrics", HTTP_AUTHORIZATION=authorization, **OUTSIDER).status_code)

    assert status("Bearer a-long-random-metrics-token") == 200
    assert status("Bearer a-long-random-metrics-toke") == 404
    assert status("a-long-random-metrics-token") == 404
    settings.METRICS_TOKEN = ""
    assert status("Bearer ") == 404


def test_allowed_addresses_come_from_the_setting(client: Any, settings: Any) -> None:
    settings.METRICS_ALLOWED_ADDRESSES = ["203.0.113.0/24"]
    assert client.get("/metrics", **OUTSIDER).status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 no longer listed


def test_a_forwarded_request_is_never_let_in_by_the_proxy_address(client: Any, settings: Any) -> None:
    # Without trusted proxies, a forwarding header means: someone may be lying about the address.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404
    # With nginx trusted, the client it names is the one checked.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


def test_behind_a_trusted_proxy_the_audit_log_records_the_client_address(client: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(
        "/accounts/login/", {"username": "nobody", "password": "wrong"}, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert (event.actor_username, event.ip) == ("nobody", "198.51.100.4")
