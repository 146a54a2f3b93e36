"""Request ids on every response and every log line; JSON lines on request."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from palermo.ops.logs import JsonFormatter, RequestIdFilter, bind_request_id, logging_config


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the console handler of ``PALERMO_LOG_FORMAT=json`` writes, for the loggers of the test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("django.request", "palermo.test")]
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_well_formed_request_id_is_kept_and_anything_else_replaced(client: Any) -> None:
    assert client.get("/healthz", HTTP_X_REQUEST_ID="a1b2c3d4-e5f6-4711-8899-aabbccddeeff")["X-Request-ID"] == (
        "a1b2c3d4-e5f6-4711-8899-aabbccddeeff"
    )
    for bad in ("short", "has spaces in it", "x" * 200, "<script>alert(1)</script>"):
        assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"])
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]
    assert first != second


def test_django_s_own_lines_about_a_request_carry_its_id(client: Any, json_lines: io.StringIO) -> None:
    response = client.get("/no/such/page/", HTTP_X_REQUEST_ID="trace-0000-missing")
    assert response.status_code == 404
    [line] = lines(json_lines)
    assert (line["logger"], line["level"]) == ("django.request", "WARNING")
    assert line["message"] == "Not Found: /no/such/page/"
    assert line["request_id"] == "trace-0000-missing"
    assert line["status_code"] == 404
    assert "request" not in line


def test_a_line_written_during_a_request_or_a_job_carries_its_id(json_lines: io.StringIO) -> None:
    logger = logging.getLogger("palermo.test")
    with bind_request_id("job-42-import-cases"):
        logger.warning("imported %d rows", 12, extra={"kind": "cases"})
    logger.warning("outside")
    try:
        raise ValueError("bad row")
    except ValueError:
        logger.exception("failed")
    inside, outside, failed = lines(json_lines)
    assert inside["message"] == "imported 12 rows"
    assert (inside["request_id"], inside["kind"], inside["level"]) == ("job-42-import-cases", "cases", "WARNING")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", inside["time"])
    assert outside["request_id"] == "-"
    assert failed["exception"].startswith("Traceback") and "ValueError: bad row" in failed["exception"]


def test_gunicorn_access_lines_become_json_fields_with_the_response_s_request_id() -> None:
    atoms = {
        "h": "203.0.113.9", "m": "GET", "U": "/cases/", "q": "page=2", "s": "200", "B": 5120, "M": 37,
        "a": "Mozilla/5.0", "f": "-", "{x-request-id}o": "trace-0001-cases",
    }
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(h)s %(m)s %(U)s", atoms, None)
    line = json.loads(JsonFormatter().format(record))
    assert line == {
        "time": line["time"], "level": "INFO", "logger": "gunicorn.access", "message": "203.0.113.9 GET /cases/",
        "request_id": "trace-0001-cases", "remote": "203.0.113.9", "method": "GET", "path": "/cases/",
        "query": "page=2", "status": 200, "bytes": 5120, "duration_ms": 37, "user_agent": "Mozilla/5.0",
    }


def test_an_unknown_log_format_is_named() -> None:
    with pytest.raises(ValueError, match=r"PALERMO_LOG_FORMAT='xml' is not one of text, json"):
        logging_config("xml", "INFO")
