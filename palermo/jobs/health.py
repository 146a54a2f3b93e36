"""Checks for the readiness endpoint (registered by palermo.ops): a live worker, the queue, the failures."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from palermo.jobs.models import Job, WorkerHeartbeat


def worker_check() -> tuple[bool, str]:
    """Ready when a worker's heartbeat is younger than ``JOBS_HEARTBEAT_STALE_SECONDS``; the message says which."""
    now = timezone.now()
    stale = settings.JOBS_HEARTBEAT_STALE_SECONDS
    latest = WorkerHeartbeat.objects.filter(stopped_at__isnull=True).order_by("-last_seen").first()
    if latest is None:
        last = WorkerHeartbeat.objects.order_by("-last_seen").first()
        if last is None:
            return False, "no worker has ever run (start `palermo worker`)"
        return False, f"no worker running: the last one (pid {last.pid} on {last.host}) stopped"
    age = (now - latest.last_seen).total_seconds()
    if age > stale:
        return False, (f"no worker heartbeat for {age:.0f} s (limit {stale} s; "
                       f"last: pid {latest.pid} on {latest.host})")
    return True, f"worker pid {latest.pid} on {latest.host} seen {age:.0f} s ago"


def queue_depth() -> int:
    """Jobs waiting for a worker."""
    return Job.objects.filter(status=Job.Status.QUEUED).count()


def failed_count(since: timedelta | None = None) -> int:
    """Jobs that ended failed, in all or in the last ``since``."""
    failed = Job.objects.filter(status=Job.Status.FAILED)
    if since is not None:
        failed = failed.filter(finished_at__gte=timezone.now() - since)
    return failed.count()
