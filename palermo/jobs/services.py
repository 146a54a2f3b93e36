"""The jobs API for the apps: mark a job function, enqueue it, report its progress; and how a job ends.

An app writes its work as a module-level function taking the ``Job`` first and returning a JSON value::

    @job_function
    def refresh_snapshot(job: Job, year: int) -> dict[str, int]:
        report_progress(job, 0, 3, gettext("reading cases"))
        ...
        return {"rows": 1234}

and starts it from a view or a command with ``enqueue(acting_user=..., kind=..., label=..., task=refresh_snapshot,
args=[2025])``. ``palermo worker`` runs it (docs/jobs.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.utils import get_module_path, is_module_level_function, normalize_json

from palermo.accounts.access import Actor, SystemActor, is_active_user, is_system
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.jobs.models import Job
from palermo.jobs.signals import job_finished

F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger("palermo.jobs")

JOB_FUNCTION_MARK = "palermo_job_function"
DEFAULT_RETRY_ATTEMPTS = 3
# Progress is written at most this often (seconds), besides phase changes and the last step.
PROGRESS_INTERVAL = 0.5


class JobFailed(Exception):
    """Raise inside a job function to end the job as failed with this message for its reader."""


class WorkerStopped(Exception):
    """Recorded by the worker on the queue row of an attempt whose worker died; never raised."""


def job_function(function: F) -> F:
    """Mark a module-level function as runnable by the worker (a queued row naming anything else is refused)."""
    if not is_module_level_function(function):
        raise ImproperlyConfigured(f"{function!r}: a job function must be defined at module level")
    setattr(function, JOB_FUNCTION_MARK, True)
    return function


def resolve(path: str) -> Callable[..., Any]:
    """The job function a job row names; refuses anything not marked with ``@job_function``."""
    try:
        function = import_string(path)
    except ImportError as error:
        raise SuspiciousOperation(f"job function {path!r} cannot be imported: {error}") from error
    if not getattr(function, JOB_FUNCTION_MARK, False):
        raise SuspiciousOperation(f"{path!r} is not a job function (@job_function)")
    return function  # type: ignore[no-any-return]


@transaction.atomic
def enqueue(
    *,
    acting_user: Actor,
    kind: str,
    label: str,
    task: Callable[..., Any],
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    identifying: bool = True,
    retryable: bool = False,
    max_attempts: int = DEFAULT_RETRY_ATTEMPTS,
    next_url: str = "",
    request: Any = None,
) -> Job:
    """Queue ``task(job, *args, **kwargs)`` for the worker; job row, queue row and audit row commit together.

    ``identifying``: the job's label, progress or result may show identifying data of victims (only its creator
    sees it). ``retryable``: a job interrupted by a crash runs again on the next worker start, up to
    ``max_attempts`` attempts in all; otherwise it is marked failed with the reason. Arguments are stored in the
    queue as JSON: pass ids and paths, never identifying values.
    """
    if not is_system(acting_user) and not is_active_user(acting_user):
        raise PermissionDenied("only an active user or the system may start a job")
    path = get_module_path(task)
    if resolve(path) is not task:
        raise ImproperlyConfigured(f"{path!r} does not name the function given")
    if next_url and not (next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None)):
        raise ValueError("next_url must be a path on this site, such as /cases/imports/3/")
    if retryable and max_attempts < 2:
        raise ValueError("a retryable job needs max_attempts of at least 2")
    arguments, keywords = normalize_json(list(args)), normalize_json(dict(kwargs or {}))
    if isinstance(acting_user, SystemActor):
        user, name = None, acting_user.audit_name
    else:
        user, name = acting_user, acting_user.get_username()
    job = Job.objects.create(
        kind=kind[:60], label=label[:300], created_by=user, created_by_name=name,
        identifying=identifying, language=translation.get_language() or settings.LANGUAGE_CODE,
        function=path, retryable=retryable, max_attempts=max_attempts if retryable else 1, next_url=next_url[:300],
    )
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="jobs.job", object_id=job.pk,
           request=request, detail={"kind": job.kind, "identifying": identifying, "retryable": retryable,
                                    **({} if identifying else {"label": job.label})})
    _queue_attempt(job, arguments, keywords)
    job.refresh_from_db()
    return job


def _queue_attempt(job: Job, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Put one attempt of the job in the library's queue (a new queue row per attempt)."""
    from palermo.jobs.tasks import run_job

    result = run_job.enqueue(job.pk, *args, **kwargs)
    # The immediate backend (tests) has already run the attempt and recorded its id; the database backend has not.
    Job.objects.filter(pk=job.pk, task_result_id="").update(task_result_id=str(result.id))


def report_progress(job: Job, done: int, total: int | None = None, phase: str | None = None, *,
                    force: bool = False) -> bool:
    """Record how far a running job has got (``phase``: a short text in the reader's language, already translated).

    Written at most every half second unless the phase changes, the last step is reached or ``force`` is set;
    returns whether it was written. Called inside a long transaction of the job, the write is seen by others only
    when that transaction commits: report from outside it.
    """
    phase_changed = phase is not None and phase[:200] != job.phase
    job.done = max(0, done)
    if total is not None:
        job.total = max(0, total)
    if phase is not None:
        job.phase = phase[:200]
    now = time.monotonic()
    due = force or phase_changed or (job.total is not None and job.done >= job.total)
    if not due and now - job.progress_written < PROGRESS_INTERVAL:
        return False
    job.progress_written = now
    job.updated_at = timezone.now()
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        done=job.done, total=job.total, phase=job.phase, updated_at=job.updated_at
    )
    return True


def start_attempt(job_id: int, attempt_id: str, worker_id: str) -> Job | None:
    """Mark the job running for this attempt; ``None`` when it must not run (finished, or superseded)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished or job.task_result_id not in ("", attempt_id):
            return None
        now = timezone.now()
        job.status = Job.Status.RUNNING
        job.task_result_id = attempt_id
        job.attempts += 1
        job.worker_id = worker_id[:64]
        job.started_at = job.started_at or now
        job.updated_at = now
        job.save(update_fields=["status", "task_result_id", "attempts", "worker_id", "started_at", "updated_at"])
    return job


def finish_attempt(job: Job, attempt_id: str, *, result: Any = None, error: str = "") -> bool:
    """End the attempt: succeeded with its result, or failed with ``error``. Ignored if the job moved on."""
    now = timezone.now()
    status = Job.Status.FAILED if error else Job.Status.SUCCEEDED
    # A success keeps the note of an earlier attempt cut short, if any.
    outcome: dict[str, Any] = {"result": None, "error": error} if error else {"result": result}
    updated = Job.objects.filter(pk=job.pk, task_result_id=attempt_id, status=Job.Status.RUNNING).update(
        status=status, done=job.done, total=job.total, phase=job.phase, finished_at=now, updated_at=now, **outcome,
    )
    if updated:
        announce_finished(job)
    return bool(updated)


def announce_finished(job: Job) -> None:
    """Send ``job_finished`` for a job that has just reached its final status; a failing receiver is logged."""
    job.refresh_from_db()
    for receiver, response in job_finished.send_robust(sender=Job, job=job):
        if isinstance(response, Exception):
            logger.error("job %s: a job_finished receiver (%r) failed", job.pk, receiver, exc_info=response)


def worker_stopped_reason(*, pid: int | None, host: str, worker_id: str = "") -> Callable[[], str]:
    """Why an attempt ended with its worker, rendered later in the language wanted."""

    def render() -> str:
        if pid is None:
            return _("worker stopped while running (worker %(worker)s left no heartbeat)") % {"worker": worker_id}
        return _("worker stopped while running (pid %(pid)s on host %(host)s)") % {"pid": pid, "host": host}

    return render


@transaction.atomic
def settle_interrupted(*, acting_user: Actor, job: Job, attempt_id: str, reason: Callable[[], str],
                       args: Sequence[Any], kwargs: Mapping[str, Any]) -> str | None:
    """A job whose attempt ``attempt_id`` was cut short: queue it again if it may be retried, else fail it.

    ``reason()`` is rendered in the job's language for its reader and in English for the audit row.
    Returns ``"retried"``, ``"failed"``, or ``None`` when the job had already moved on.
    """
    locked = Job.objects.select_for_update().filter(pk=job.pk).first()
    if locked is None or locked.finished or locked.task_result_id != attempt_id:
        return None
    now = timezone.now()
    with translation.override(locked.language):
        text = reason()
        retry = locked.retryable and locked.attempts < locked.max_attempts
        if retry:
            locked.error = _("Attempt %(attempt)s interrupted: %(reason)s. Queued again.") % {
                "attempt": locked.attempts, "reason": text}
    with translation.override("en"):
        english = reason()
    if retry:
        outcome = "retried"
        locked.status = Job.Status.QUEUED
        locked.task_result_id = ""
        locked.worker_id = ""
    else:
        outcome = "failed"
        locked.status = Job.Status.FAILED
        locked.error = text
        locked.finished_at = now
    locked.updated_at = now
    locked.save(update_fields=["status", "task_result_id", "worker_id", "error", "finished_at", "updated_at"])
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="jobs.job", object_id=locked.pk,
           detail={"kind": locked.kind, "outcome": outcome, "attempts": locked.attempts, "reason": english})
    if retry:
        _queue_attempt(locked, list(args), dict(kwargs))
    else:
        announce_finished(locked)
    job.refresh_from_db()
    return outcome
