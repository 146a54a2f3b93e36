"""Prometheus metrics: requests, latencies, imported rows, and whatever other apps register.

Apps count with the helpers here (``count_import_rows``) or define their own metrics and collectors on
prometheus_client's default registry; ``/metrics`` exposes them all. Under gunicorn every worker is a process:
``palermo serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` so that counters and histograms are summed over workers
(prometheus_client's multiprocess mode, docs/deployment.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Families that describe one process only: meaningless for a server of several workers.
PER_PROCESS_PREFIXES = ("process_", "python_gc_", "python_info")

REQUESTS = Counter(
    "palermo_http_requests", "HTTP requests answered, by view, method and status", ["view", "method", "status"]
)
LATENCY = Histogram(
    "palermo_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by view and method",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
IMPORT_ROWS = Counter("palermo_import_rows", "Rows written by imports, by kind of import", ["kind"])


def count_request(view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(view, method, str(status)).inc()
    LATENCY.labels(view, method).observe(seconds)


def count_import_rows(kind: str, n: int) -> None:
    """Add ``n`` rows written by an import of ``kind`` (``"cases"``, ``"glotip"``, ``"iati"``...)."""
    if n < 0:
        raise ValueError("an import cannot write a negative number of rows")
    IMPORT_ROWS.labels(kind).inc(n)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class _OtherCollectors:
    """In multiprocess mode: what the default registry holds besides per-process metric values, i.e. collectors
    that compute their figures when scraped (a queue depth read from the database, for example)."""

    def __init__(self, summed: set[str]) -> None:
        self.summed = summed

    def collect(self) -> Iterator[Metric]:
        for family in REGISTRY.collect():
            if family.name not in self.summed and not family.name.startswith(PER_PROCESS_PREFIXES):
                yield family


def exposition(accept: str = "") -> tuple[bytes, str]:
    """The metrics page and its content type (the text format, or OpenMetrics when asked for)."""
    encoder, content_type = choose_encoder(accept)
    path = multiprocess_dir()
    if path is None:
        return encoder(REGISTRY), content_type
    registry = CollectorRegistry()
    collector = MultiProcessCollector(None, path=path)
    families = list(collector.collect())
    registry.register(_Fixed(families))
    registry.register(_OtherCollectors({family.name for family in families}))
    return encoder(registry), content_type


class _Fixed:
    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        yield from self.families
