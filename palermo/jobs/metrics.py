"""Prometheus metrics of the jobs, read from the database at scrape time (a custom collector)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.db import DatabaseError
from django.db.models import Count, Max
from django.utils import timezone
from prometheus_client.core import REGISTRY, CollectorRegistry, CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from palermo.jobs.models import Job, WorkerHeartbeat

logger = logging.getLogger("palermo.jobs")


class JobsCollector(Collector):
    """``palermo_jobs_queued`` and ``palermo_jobs_running`` (gauges by kind), ``palermo_jobs_failed_total``
    (counter by kind: failed jobs on record) and ``palermo_jobs_worker_heartbeat_age_seconds`` (youngest
    heartbeat of a running worker; absent when none runs)."""

    def describe(self) -> Iterator[Metric]:
        # Declared without samples, so that registering does not query the database.
        yield from self._families()

    def collect(self) -> Iterator[Metric]:
        queued, running, failed, heartbeat = self._families()
        families: dict[str, GaugeMetricFamily | CounterMetricFamily] = {
            Job.Status.QUEUED: queued, Job.Status.RUNNING: running, Job.Status.FAILED: failed}
        try:
            counts = Job.objects.values_list("status", "kind").annotate(n=Count("pk")).order_by()
            for status, kind, n in counts:
                family = families.get(status)
                if family is not None:
                    family.add_metric([kind], n)
            latest = WorkerHeartbeat.objects.filter(stopped_at__isnull=True).aggregate(latest=Max("last_seen"))
        except DatabaseError:
            logger.exception("jobs metrics: the database could not be read")
            return
        if latest["latest"] is not None:
            heartbeat.add_metric([], (timezone.now() - latest["latest"]).total_seconds())
        yield from (queued, running, failed, heartbeat)

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, CounterMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily("palermo_jobs_queued", "Background jobs waiting for a worker", labels=["kind"]),
            GaugeMetricFamily("palermo_jobs_running", "Background jobs running", labels=["kind"]),
            CounterMetricFamily("palermo_jobs_failed", "Background jobs that ended failed", labels=["kind"]),
            GaugeMetricFamily("palermo_jobs_worker_heartbeat_age_seconds",
                              "Seconds since the youngest heartbeat of a running worker"),
        )


COLLECTOR = JobsCollector()


def register(registry: CollectorRegistry = REGISTRY) -> None:
    """Add the jobs collector to ``registry`` (the default one unless told), once."""
    with contextlib.suppress(ValueError):  # already registered
        registry.register(COLLECTOR)
