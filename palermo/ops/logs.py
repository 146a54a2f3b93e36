"""Log lines as text or JSON, each carrying the id of the request that wrote it (no Django import).

``RequestIdMiddleware`` binds the id for the duration of a request (``bind_request_id``); ``RequestIdFilter`` puts
it on every record as ``request_id`` ("-" outside a request); ``JsonFormatter`` writes one JSON object per line.
Gunicorn's access lines are written after the response, so they read the id from the ``X-Request-ID`` response
header instead. ``logging_config`` is the one configuration, used by the settings and by the gunicorn config.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

_request_id: ContextVar[str] = ContextVar("palermo_request_id", default="-")

FORMATS = ("text", "json")
# An incoming X-Request-ID is kept when it looks like an id (nginx's $request_id, a UUID, a trace id), else replaced.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
ACCESS_TEXT_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms [%({x-request-id}o)s] "%(a)s"'

# Attributes every LogRecord has; anything else was passed with ``extra=`` and goes into the JSON object.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message", "asctime", "request_id", "request", "server_time",
}


def current_request_id() -> str:
    return _request_id.get()


@contextmanager
def bind_request_id(value: str) -> Iterator[None]:
    """Every line logged inside the block carries ``value`` (a request, or a background job)."""
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on the record: the bound id, else the id of the request the record is about (Django
    logs a failed response after the middleware has finished), else the response header of an access line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            found = _request_id.get()
            if found == "-":
                found = str(getattr(getattr(record, "request", None), "id", "") or "") or found
            if found == "-":
                access_id = _access_atom(record, "{x-request-id}o")
                found = access_id if access_id not in (None, "") else found
            record.request_id = found
        return True


def _access_atom(record: logging.LogRecord, key: str) -> Any:
    if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
        return record.args.get(key)
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, then the extras."""

    ACCESS_FIELDS = {
        "remote": "h", "method": "m", "path": "U", "query": "q", "status": "s", "bytes": "B",
        "duration_ms": "M", "user_agent": "a", "referer": "f",
    }

    def format(self, record: logging.LogRecord) -> str:
        RequestIdFilter().filter(record)
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": record.request_id,  # type: ignore[attr-defined]
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            for field, atom in self.ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-", ""):
                    line[field] = int(str(value)) if field in ("status", "bytes", "duration_ms") else value
        else:
            for key, value in record.__dict__.items():
                if key not in _STANDARD and not key.startswith("_"):
                    line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def logging_config(log_format: str, level: str, *, gunicorn: bool = False) -> dict[str, Any]:
    """The ``dictConfig`` of Django (``gunicorn=False``) or of the gunicorn master and its access log."""
    if log_format not in FORMATS:
        raise ValueError(f"PALERMO_LOG_FORMAT={log_format!r} is not one of {', '.join(FORMATS)}")
    formatters: dict[str, Any] = {
        "text": {"format": TEXT_FORMAT},
        "json": {"()": JsonFormatter},
        "access": {"format": "%(asctime)s %(message)s"},
    }
    handler = {
        "class": "logging.StreamHandler",
        "formatter": log_format,
        "filters": ["request_id"],
    }
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": formatters,
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
    }
    if gunicorn:
        access = {**handler, "formatter": "json" if log_format == "json" else "access", "stream": "ext://sys.stdout"}
        config["handlers"]["access"] = access
        config["loggers"] = {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        }
    return config
