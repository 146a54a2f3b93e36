"""The worker's side of the jobs: its heartbeat, settling the attempts of workers that died, running in-process.

``palermo worker`` (management/commands/worker.py) writes its heartbeat row, settles what dead workers left
running, then runs django-tasks' database worker while a thread beats the heartbeat and keeps settling.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks.base import TaskResultStatus
from django_tasks.utils import get_module_path
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from palermo.accounts.access import SYSTEM, Actor
from palermo.jobs import services
from palermo.jobs.models import Job, WorkerHeartbeat
from palermo.jobs.tasks import run_job

logger = logging.getLogger("palermo.jobs")

HOST = socket.gethostname()[:255]
WORKER_ACTOR = SYSTEM.running("palermo worker")
# Heartbeats of workers stopped longer ago than this are deleted when a worker starts.
KEEP_STOPPED_HEARTBEATS = timedelta(days=7)
WORKER_STOPPED_EXCEPTION = get_module_path(services.WorkerStopped)


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOBS_HEARTBEAT_STALE_SECONDS)


def process_alive(pid: int) -> bool:
    """Whether a process of this host runs under ``pid`` (a zombie, killed but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def begin(worker_id: str) -> WorkerHeartbeat:
    """This process's heartbeat row, written before it takes any job."""
    now = timezone.now()
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": HOST, "pid": os.getpid(), "started_at": now, "last_seen": now, "stopped_at": None},
    )
    WorkerHeartbeat.objects.filter(stopped_at__lt=now - KEEP_STOPPED_HEARTBEATS).delete()
    return heartbeat


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=timezone.now())


def end(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id, stopped_at__isnull=True).update(stopped_at=timezone.now())


def gone(heartbeat: WorkerHeartbeat | None, *, claimed_at: datetime | None, now: datetime, me: str = "") -> bool:
    """Whether the worker behind ``heartbeat`` is gone: stopped, silent for too long, or its process ended.

    A worker without a heartbeat row (a plain ``db_worker``) is taken as gone once its attempt is older than
    the stale delay.
    """
    if heartbeat is None:
        return claimed_at is None or now - claimed_at > stale_after()
    if heartbeat.worker_id == me:
        return False
    if heartbeat.stopped_at is not None or now - heartbeat.last_seen > stale_after():
        return True
    if heartbeat.host == HOST:
        # Our own pid under another worker id: the process that wrote it has ended (a restarted container).
        return heartbeat.pid == os.getpid() or not process_alive(heartbeat.pid)
    return False


@dataclass(frozen=True)
class Settled:
    job_id: int | None
    task_result_id: str
    outcome: str  # "retried", "failed", or "task failed" (a queue row without a job)


def recover(
    *, acting_user: Actor = WORKER_ACTOR, me: str = "", backend: str = DEFAULT_TASK_BACKEND_ALIAS
) -> list[Settled]:
    """Settle every attempt left running by a worker that is gone, and every job whose attempt ended unrecorded.

    The queue row is failed with the reason; its job is queued again (retryable, under its attempt limit) or
    failed with the reason, with an audit row naming the system.
    """
    now = timezone.now()
    heartbeats = {heartbeat.worker_id: heartbeat for heartbeat in WorkerHeartbeat.objects.all()}
    settled: list[Settled] = []
    for row in DBTaskResult.objects.running().filter(backend_name=backend):
        worker_id = row.worker_ids[-1] if row.worker_ids else ""
        heartbeat = heartbeats.get(worker_id)
        if not gone(heartbeat, claimed_at=row.started_at, now=now, me=me):
            continue
        reason = services.worker_stopped_reason(
            pid=heartbeat.pid if heartbeat else None, host=heartbeat.host if heartbeat else "", worker_id=worker_id)
        if (outcome := _settle_row(acting_user, row, reason)) is not None:
            settled.append(outcome)
    for worker_id, heartbeat in heartbeats.items():
        if heartbeat.stopped_at is None and gone(heartbeat, claimed_at=None, now=now, me=me):
            end(worker_id)
    settled.extend(_settle_unrecorded(acting_user))
    for item in settled:
        logger.warning("job %s (task %s) cut short: %s", item.job_id, item.task_result_id, item.outcome)
    return settled


def _settle_row(acting_user: Actor, row: DBTaskResult, reason: Callable[[], str]) -> Settled | None:
    with exclusive_transaction(DBTaskResult.objects.db):
        with translation.override("en"):
            text = reason()
        failed = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now(), return_value=None,
            exception_class_path=WORKER_STOPPED_EXCEPTION, traceback=text,
        )
        if not failed:
            return None
        return _settle_job(acting_user, row, reason)


def _settle_job(acting_user: Actor, row: DBTaskResult, reason: Callable[[], str]) -> Settled | None:
    task_result_id = str(row.pk)
    job = Job.objects.filter(task_result_id=task_result_id).first()
    if job is None or row.task_path != run_job.module_path:
        return Settled(None, task_result_id, "task failed")
    outcome = services.settle_interrupted(
        acting_user=acting_user, job=job, attempt_id=task_result_id, reason=reason,
        args=row.args_kwargs.get("args", [])[1:], kwargs=row.args_kwargs.get("kwargs", {}),
    )
    return Settled(job.pk, task_result_id, outcome) if outcome else None


def _settle_unrecorded(acting_user: Actor) -> list[Settled]:
    """Jobs still queued or running whose queue row has finished: the attempt ended without recording it."""
    unfinished = [_uuid(value) for value in
                  Job.objects.unfinished().exclude(task_result_id="").values_list("task_result_id", flat=True)]
    if not any(unfinished):
        return []
    settled = []
    for row in DBTaskResult.objects.finished().filter(pk__in=[value for value in unfinished if value]):
        error = row.exception_class_path.rsplit(".", 1)[-1] or "-"

        def reason(error: str = error) -> str:
            return _("its attempt ended without recording an outcome (%(error)s)") % {"error": error}

        with transaction.atomic():
            outcome = _settle_job(acting_user, row, reason)
        if outcome is not None:
            settled.append(outcome)
    return settled


def _uuid(value: str) -> uuid.UUID | None:
    """A queue row id (ids of the immediate backend, used in tests, are not UUIDs and name no row)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class Heartbeat(threading.Thread):
    """Beats the worker's heartbeat every ``JOBS_HEARTBEAT_SECONDS`` and settles what dead workers left behind."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="palermo-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(settings.JOBS_HEARTBEAT_SECONDS):
                try:
                    beat(self.worker_id)
                    recover(me=self.worker_id)
                except Exception:  # the beat must go on: a silent worker would be taken for dead
                    logger.exception("worker %s: heartbeat or recovery failed", self.worker_id)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=settings.JOBS_HEARTBEAT_SECONDS + 5)


def run_pending(*, max_tasks: int | None = None, worker_id: str = "in-process",
                backend: str = DEFAULT_TASK_BACKEND_ALIAS) -> int:
    """Run the queued jobs now, in this process, through django-tasks' worker code (tests, the demo loader).

    Returns how many attempts ran.
    """
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name=backend, startup_delay=False,
                    max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=[])
    ran = 0
    while max_tasks is None or ran < max_tasks:
        with exclusive_transaction(DBTaskResult.objects.db):
            row = DBTaskResult.objects.ready().filter(backend_name=backend).get_locked()
            if row is None:
                break
            row.claim(worker_id)
        worker.run_task(row)
        ran += 1
    return ran
