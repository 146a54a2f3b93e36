"""The jobs API: enqueue writes the job, its queue row and its audit row; the library's worker code runs it."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, SuspiciousOperation
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import verify_chain
from palermo.jobs import services, worker
from palermo.jobs.models import Job, WorkerHeartbeat
from palermo.jobs.services import enqueue, report_progress
from palermo.jobs.worker import recover, run_pending
from tests.jobs import sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(user_factory: Any) -> Any:
    return user_factory("manager", Role.PROGRAMME_MANAGER)


def test_enqueue_writes_the_job_its_queue_row_and_its_audit_row(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add two numbers", task=sample.add, args=[2, 3],
                  identifying=False, next_url="/diagnostics/")
    assert (job.status, job.attempts, job.max_attempts, job.retryable) == ("queued", 0, 1, False)
    assert (job.created_by, job.created_by_name, job.function) == (manager, "manager", "tests.jobs.sample.add")
    row = DBTaskResult.objects.get(pk=job.task_result_id)
    assert (row.status, row.task_path) == ("READY", "palermo.jobs.tasks.run_job")
    assert row.args_kwargs == {"args": [job.pk, 2, 3], "kwargs": {}}
    event = AuditEvent.objects.get(object_type="jobs.job", object_id=str(job.pk))
    assert (event.action, event.actor, event.detail) == (
        "create", manager, {"kind": "test.add", "identifying": False, "retryable": False, "label": "Add two numbers"})


def test_an_identifying_job_keeps_its_label_out_of_the_audit_log(user_factory: Any) -> None:
    worker_ro = user_factory("cw", Role.CASE_WORKER, countries=("RO",))
    job = enqueue(acting_user=worker_ro, kind="test.add", label="Import of popescu-maria.xlsx", task=sample.add,
                  args=[1, 1])
    event = AuditEvent.objects.get(object_type="jobs.job", object_id=str(job.pk))
    assert event.detail == {"kind": "test.add", "identifying": True, "retryable": False}


def test_the_queued_job_runs_through_the_library_worker_and_ends_with_its_result(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[2, 3],
                  kwargs={"phase": "summing"})
    assert run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.result, job.error, job.attempts) == ("succeeded", {"sum": 5}, "", 1)
    assert (job.done, job.total, job.phase, job.worker_id) == (1, 2, "summing", "in-process")
    assert job.started_at is not None and job.finished_at is not None and job.finished_at >= job.started_at
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"
    assert run_pending() == 0


def test_a_job_failing_on_purpose_ends_failed_with_its_message(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.refuse", label="Refuse", task=sample.refuse,
                  args=["Row 4, column sex: 'x' is not a sex code."])
    run_pending()
    job.refresh_from_db()
    assert (job.status, job.error, job.result) == ("failed", "Row 4, column sex: 'x' is not a sex code.", None)
    assert (job.done, job.total, job.phase) == (3, 10, "checking")
    row = DBTaskResult.objects.get(pk=job.task_result_id)
    assert (row.status, row.exception_class_path) == ("FAILED", "palermo.jobs.services.JobFailed")


def test_an_unexpected_error_ends_the_job_failed_naming_the_error(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.explode", label="Explode", task=sample.explode)
    run_pending()
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "ValueError: the file has no header row")


def test_the_job_runs_in_the_language_it_was_started_in(manager: Any) -> None:
    with translation.override("fr"):
        job = enqueue(acting_user=manager, kind="test.explode", label="Explode", task=sample.explode)
    assert job.language == "fr"


def test_enqueue_refuses_what_the_worker_could_not_run_and_writes_nothing(manager: Any, user_factory: Any) -> None:
    inactive = user_factory("gone", Role.PROGRAMME_MANAGER, is_active=False)
    with pytest.raises(SuspiciousOperation, match="is not a job function"):
        enqueue(acting_user=manager, kind="x", label="x", task=sample.not_a_job_function)
    with pytest.raises(PermissionDenied):
        enqueue(acting_user=inactive, kind="x", label="x", task=sample.add, args=[1, 2])
    with pytest.raises(TypeError, match="Unsupported type"):
        enqueue(acting_user=manager, kind="x", label="x", task=sample.add, args=[object(), 2])
    for elsewhere in ("//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="next_url must be a path on this site"):
            enqueue(acting_user=manager, kind="x", label="x", task=sample.add, args=[1, 2], next_url=elsewhere)
    with pytest.raises(ValueError, match="max_attempts of at least 2"):
        enqueue(acting_user=manager, kind="x", label="x", task=sample.add, args=[1, 2], retryable=True,
                max_attempts=1)
    with pytest.raises(ImproperlyConfigured, match="module level"):
        services.job_function(lambda job: None)
    assert (Job.objects.count(), DBTaskResult.objects.count(), AuditEvent.objects.count()) == (0, 0, 0)


def test_the_system_may_start_a_job_named_by_its_command() -> None:
    job = enqueue(acting_user=SYSTEM.running("palermo diagnostics refresh"), kind="test.add", label="Add",
                  task=sample.add, args=[1, 2], identifying=False)
    assert (job.created_by, job.created_by_name) == (None, "system: palermo diagnostics refresh")
    assert job.acting_user == SYSTEM.running("palermo diagnostics refresh")
    event = AuditEvent.objects.get(object_type="jobs.job")
    assert (event.actor, event.actor_username) == (None, "system: palermo diagnostics refresh")


def test_the_immediate_backend_runs_the_job_inside_enqueue(manager: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[20, 22])
    assert (job.status, job.result, job.attempts) == ("succeeded", {"sum": 42}, 1)
    assert len(job.task_result_id) == 32 and not DBTaskResult.objects.exists()


def test_progress_is_written_at_most_twice_a_second_except_phase_changes_and_the_end(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    assert report_progress(job, 1, 100, "reading") is True
    assert report_progress(job, 2, 100, "reading") is False
    assert report_progress(job, 3, 100, "validating") is True
    assert report_progress(job, 4) is False
    stored = Job.objects.get(pk=job.pk)
    assert (stored.done, stored.total, stored.phase) == (3, 100, "validating")
    assert report_progress(job, 100) is True
    assert Job.objects.get(pk=job.pk).done == 100


def _running_attempt(job: Job, worker_id: str) -> DBTaskResult:
    """Claim the job's queue row for ``worker_id`` and mark the job running, as a worker does before it dies."""
    row = DBTaskResult.objects.get(pk=job.task_result_id)
    row.claim(worker_id)
    services.start_attempt(job.pk, job.task_result_id, worker_id)
    return row


def test_an_attempt_whose_worker_went_silent_fails_with_the_reason(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    WorkerHeartbeat.objects.create(worker_id="w-dead", host="node-b", pid=4242,
                                   last_seen=timezone.now() - timedelta(seconds=61))
    row = _running_attempt(job, "w-dead")
    settled = recover()
    assert [(s.job_id, s.outcome) for s in settled] == [(job.pk, "failed")]
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "worker stopped while running (pid 4242 on host node-b)")
    row.refresh_from_db()
    assert (row.status, row.exception_class_path, row.traceback) == (
        "FAILED", "palermo.jobs.services.WorkerStopped", "worker stopped while running (pid 4242 on host node-b)")
    assert WorkerHeartbeat.objects.get(worker_id="w-dead").stopped_at is not None
    event = AuditEvent.objects.get(object_type="jobs.job", action="update")
    assert (event.actor_username, event.detail) == ("system: palermo worker", {
        "kind": "test.add", "outcome": "failed", "attempts": 1,
        "reason": "worker stopped while running (pid 4242 on host node-b)"})
    assert verify_chain() is None
    assert recover() == []


def test_the_reason_is_written_in_the_language_the_job_was_started_in(manager: Any) -> None:
    with translation.override("fr"):
        job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    WorkerHeartbeat.objects.create(worker_id="w-dead", host="node-b", pid=4242,
                                   last_seen=timezone.now() - timedelta(seconds=61))
    _running_attempt(job, "w-dead")
    recover()
    job.refresh_from_db()
    assert job.error == "le processus worker s'est arrêté en cours d'exécution (pid 4242 sur l'hôte node-b)"
    assert AuditEvent.objects.get(action="update").detail["reason"] == (
        "worker stopped while running (pid 4242 on host node-b)")


def test_a_retryable_attempt_whose_process_is_gone_runs_again_until_its_limit(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[4, 5], retryable=True,
                  max_attempts=2)
    dead_pid = _ended_process_pid()
    WorkerHeartbeat.objects.create(worker_id="w-1", host=worker.HOST, pid=dead_pid)
    first = _running_attempt(job, "w-1")
    assert [s.outcome for s in recover()] == ["retried"]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.worker_id) == ("queued", 1, "")
    assert job.error == f"Attempt 1 interrupted: worker stopped while running (pid {dead_pid} on host {worker.HOST})." \
                        " Queued again."
    assert job.task_result_id != str(first.pk)
    assert DBTaskResult.objects.get(pk=job.task_result_id).args_kwargs == {"args": [job.pk, 4, 5], "kwargs": {}}
    WorkerHeartbeat.objects.create(worker_id="w-2", host=worker.HOST, pid=dead_pid)
    _running_attempt(job, "w-2")
    assert [s.outcome for s in recover()] == ["failed"]
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    assert job.error == f"worker stopped while running (pid {dead_pid} on host {worker.HOST})"


def test_a_retried_job_runs_to_its_end(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[4, 5], retryable=True)
    WorkerHeartbeat.objects.create(worker_id="w-1", host="elsewhere", pid=1, stopped_at=timezone.now())
    _running_attempt(job, "w-1")
    recover()
    assert run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == ("succeeded", 2, {"sum": 9})


def test_an_attempt_of_a_live_worker_is_left_alone(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    WorkerHeartbeat.objects.create(worker_id="w-alive", host=worker.HOST, pid=os.getppid())
    WorkerHeartbeat.objects.create(worker_id="w-remote", host="node-c", pid=77)
    other = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    unknown = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    _running_attempt(job, "w-alive")
    _running_attempt(other, "w-remote")
    _running_attempt(unknown, "w-without-heartbeat")  # a plain db_worker: gone only once the attempt is stale
    assert recover() == []
    assert set(Job.objects.values_list("status", flat=True)) == {"running"}
    DBTaskResult.objects.filter(pk=unknown.task_result_id).update(started_at=timezone.now() - timedelta(seconds=61))
    assert [(s.job_id, s.outcome) for s in recover()] == [(unknown.pk, "failed")]
    unknown.refresh_from_db()
    assert unknown.error == "worker stopped while running (worker w-without-heartbeat left no heartbeat)"


def test_a_heartbeat_with_our_own_pid_under_another_worker_id_is_a_previous_life(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    WorkerHeartbeat.objects.create(worker_id="before-restart", host=worker.HOST, pid=os.getpid())
    _running_attempt(job, "before-restart")
    assert recover(me="after-restart")[0].outcome == "failed"
    assert recover(me="before-restart") == []


def test_a_job_whose_attempt_ended_unrecorded_is_settled(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    row = _running_attempt(job, "w-x")
    row.set_failed(RuntimeError("database went away"))
    assert [s.outcome for s in recover()] == ["failed"]
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "its attempt ended without recording an outcome (RuntimeError)")


def test_a_worker_records_its_heartbeat_and_its_stop() -> None:
    heartbeat = worker.begin("w-test")
    assert (heartbeat.host, heartbeat.pid, heartbeat.stopped_at) == (socket.gethostname()[:255], os.getpid(), None)
    WorkerHeartbeat.objects.filter(worker_id="w-test").update(last_seen=timezone.now() - timedelta(seconds=30))
    worker.beat("w-test")
    assert (timezone.now() - WorkerHeartbeat.objects.get(worker_id="w-test").last_seen).total_seconds() < 5
    worker.end("w-test")
    assert WorkerHeartbeat.objects.get(worker_id="w-test").stopped_at is not None


def _ended_process_pid() -> int:
    """The pid of a process of this host that has ended and been reaped."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_worker_refuses_a_job_row_naming_anything_but_a_job_function(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    Job.objects.filter(pk=job.pk).update(function="os.system")
    run_pending()
    job.refresh_from_db()
    assert (job.status, job.error) == (
        "failed", "SuspiciousOperation: 'os.system' is not a job function (@job_function)")


def test_recovery_passes_over_a_job_of_the_immediate_backend(manager: Any) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, task_result_id="k" * 32)
    assert recover() == []
    assert Job.objects.get(pk=job.pk).status == "running"


def test_the_worker_refuses_to_reload_on_code_changes() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="does not reload on code changes: restart it instead"):
        call_command("worker", "--reload")
    assert not WorkerHeartbeat.objects.exists()


def test_job_finished_is_sent_once_a_job_has_ended_for_good(manager: Any) -> None:
    from palermo.jobs.signals import job_finished

    ended: list[tuple[str, str]] = []

    def receiver(sender: Any, job: Job, **kwargs: Any) -> None:
        ended.append((job.kind, job.status))

    def broken(sender: Any, job: Job, **kwargs: Any) -> None:
        raise RuntimeError("a receiver that fails")

    job_finished.connect(receiver)
    job_finished.connect(broken)
    try:
        enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[1, 2])
        enqueue(acting_user=manager, kind="test.refuse", label="Refuse", task=sample.refuse, args=["no"])
        run_pending()
        assert ended == [("test.add", "succeeded"), ("test.refuse", "failed")]
        retried = enqueue(acting_user=manager, kind="test.retried", label="Add", task=sample.add, args=[1, 2],
                          retryable=True, max_attempts=2)
        WorkerHeartbeat.objects.create(worker_id="w-1", host="elsewhere", pid=1, stopped_at=timezone.now())
        _running_attempt(retried, "w-1")
        recover()
        assert ended[2:] == []  # queued again: not the end
        retried.refresh_from_db()
        _running_attempt(retried, "w-1")
        recover()
        assert ended[2:] == [("test.retried", "failed")]
    finally:
        job_finished.disconnect(receiver)
        job_finished.disconnect(broken)
    assert Job.objects.get(kind="test.add").status == "succeeded"  # the failing receiver changed nothing
