"""Readiness checks and Prometheus metrics of the jobs, read from the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import REGISTRY

from palermo.accounts.roles import Role
from palermo.jobs import health, metrics
from palermo.jobs.models import Job, WorkerHeartbeat
from palermo.jobs.services import enqueue
from tests.jobs import sample

pytestmark = pytest.mark.django_db


def test_the_worker_check_needs_a_heartbeat_younger_than_the_stale_delay(settings: Any) -> None:
    settings.JOBS_HEARTBEAT_STALE_SECONDS = 60
    assert health.worker_check() == (False, "no worker has ever run (start `palermo worker`)")
    heartbeat = WorkerHeartbeat.objects.create(worker_id="w", host="node-a", pid=321,
                                               last_seen=timezone.now() - timedelta(seconds=90))
    assert health.worker_check() == (False, "no worker heartbeat for 90 s (limit 60 s; last: pid 321 on node-a)")
    heartbeat.last_seen = timezone.now() - timedelta(seconds=3)
    heartbeat.save()
    assert health.worker_check() == (True, "worker pid 321 on node-a seen 3 s ago")
    heartbeat.stopped_at = timezone.now()
    heartbeat.save()
    assert health.worker_check() == (False, "no worker running: the last one (pid 321 on node-a) stopped")


def _jobs(user_factory: Any) -> None:
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    for kind, status, finished_days_ago in [("cases.import", "queued", None), ("cases.import", "queued", None),
                                            ("steering.pdf", "queued", None), ("steering.pdf", "running", None),
                                            ("cases.import", "failed", 0), ("cases.import", "failed", 3),
                                            ("steering.pdf", "succeeded", 0)]:
        job = enqueue(acting_user=manager, kind=kind, label=kind, task=sample.add, args=[1, 2])
        finished = timezone.now() - timedelta(days=finished_days_ago) if finished_days_ago is not None else None
        Job.objects.filter(pk=job.pk).update(status=status, finished_at=finished)


def test_queue_depth_and_failures_count_the_job_rows(user_factory: Any) -> None:
    _jobs(user_factory)
    assert health.queue_depth() == 3
    assert health.failed_count() == 2
    assert health.failed_count(since=timedelta(days=1)) == 1


def test_the_collector_reads_the_database_at_scrape_time(user_factory: Any) -> None:
    registry = CollectorRegistry()
    metrics.register(registry)
    metrics.register(registry)  # once only
    assert "palermo_jobs_queued" not in generate_latest(registry).decode().split("# TYPE")[-1]
    _jobs(user_factory)
    WorkerHeartbeat.objects.create(worker_id="w", host="h", pid=1, last_seen=timezone.now() - timedelta(seconds=12))
    lines = [line for line in generate_latest(registry).decode().splitlines() if not line.startswith("#")]
    assert sorted(line for line in lines if not line.startswith("palermo_jobs_worker")) == [
        'palermo_jobs_failed_total{kind="cases.import"} 2.0',
        'palermo_jobs_queued{kind="cases.import"} 2.0',
        'palermo_jobs_queued{kind="steering.pdf"} 1.0',
        'palermo_jobs_running{kind="steering.pdf"} 1.0',
    ]
    [age] = [line for line in lines if line.startswith("palermo_jobs_worker_heartbeat_age_seconds ")]
    assert 12 <= float(age.split()[1]) < 20


def test_the_collector_is_on_the_default_registry() -> None:
    assert "palermo_jobs_queued" in REGISTRY._names_to_collectors
