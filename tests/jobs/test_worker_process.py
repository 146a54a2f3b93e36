"""Real ``palermo worker`` processes on the test database: a job runs to its result; a worker killed with
SIGKILL in the middle of a job leaves it to the next worker start, which retries it or fails it with the reason.

The worker is another process, so these tests commit (``transaction=True``: pytest-django runs them after the
tests that roll back, and empties the tables after each) and need no reference data; on SQLite the test
database is a file (tests/conftest.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.jobs import health
from palermo.jobs.models import Job, WorkerHeartbeat
from palermo.jobs.services import enqueue
from tests.jobs import sample

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """The test database, as the worker process must be told it."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        assert "memory" not in str(db["NAME"]), "the worker needs a file database"
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(worker_id: str) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
        env.update({"DATABASE_URL": database_url(), "PYTHONPATH": str(ROOT), "PALERMO_JOBS_HEARTBEAT_SECONDS": "1",
                    "PALERMO_JOBS_HEARTBEAT_STALE_SECONDS": "30"})
        log = (tmp_path / f"{worker_id}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "palermo.cli", "worker", "--worker-id", worker_id, "--interval", "0.2",
             "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    for log in sorted(tmp_path.glob("*.log")):
        print(f"--- {log.name}\n{log.read_text(errors='replace')}")  # shown when a test fails


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def job_in(job: Job, *statuses: str, phase: str | None = None) -> Callable[[], bool]:
    def check() -> bool:
        job.refresh_from_db()
        return job.status in statuses and (phase is None or job.phase == phase)

    return check


@pytest.fixture
def manager(user_factory: Any) -> Any:
    return user_factory("manager", Role.PROGRAMME_MANAGER)


def test_a_queued_job_is_run_by_palermo_worker_and_ends_with_its_result(
    manager: Any, start_worker: Callable[[str], subprocess.Popen[bytes]]
) -> None:
    job = enqueue(acting_user=manager, kind="test.add", label="Add", task=sample.add, args=[2, 40],
                  identifying=False)
    process = start_worker("worker-a")
    wait_for(job_in(job, "succeeded", "failed"), "the job to end")
    assert (job.status, job.result, job.attempts, job.worker_id) == ("succeeded", {"sum": 42}, 1, "worker-a")
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"
    heartbeat = WorkerHeartbeat.objects.get(worker_id="worker-a")
    assert (heartbeat.host, heartbeat.pid, heartbeat.stopped_at) == (socket.gethostname(), process.pid, None)
    first_seen = heartbeat.last_seen
    wait_for(lambda: WorkerHeartbeat.objects.get(worker_id="worker-a").last_seen > first_seen, "a heartbeat")
    ok, message = health.worker_check()
    assert ok, message
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert WorkerHeartbeat.objects.get(worker_id="worker-a").stopped_at is not None
    ok, message = health.worker_check()
    assert (ok, message) == (False, f"no worker running: the last one (pid {process.pid} on {socket.gethostname()}) "
                                    "stopped")


def _kill_mid_run(job: Job, start_worker: Callable[[str], subprocess.Popen[bytes]]) -> int:
    process = start_worker("worker-killed")
    wait_for(job_in(job, "running", phase="waiting"), "the job to start")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    return process.pid


def test_a_retryable_job_whose_worker_was_killed_runs_again_at_the_next_worker_start(
    manager: Any, start_worker: Callable[[str], subprocess.Popen[bytes]]
) -> None:
    job = enqueue(acting_user=manager, kind="test.hang", label="Hang", task=sample.hang_on_first_attempt,
                  retryable=True)
    first_attempt = job.task_result_id
    killed = _kill_mid_run(job, start_worker)
    start_worker("worker-next")
    wait_for(job_in(job, "succeeded", "failed"), "the job to end")
    assert (job.status, job.result, job.attempts, job.worker_id) == ("succeeded", {"attempt": 2}, 2, "worker-next")
    assert job.error == (f"Attempt 1 interrupted: worker stopped while running (pid {killed} on host "
                         f"{socket.gethostname()}). Queued again.")
    assert DBTaskResult.objects.get(pk=first_attempt).status == "FAILED"
    assert WorkerHeartbeat.objects.get(worker_id="worker-killed").stopped_at is not None
    event = AuditEvent.objects.get(object_type="jobs.job", action="update")
    assert (event.actor_username, event.detail["outcome"]) == ("system: palermo worker", "retried")


def test_a_job_not_retryable_whose_worker_was_killed_is_failed_with_the_reason_at_the_next_worker_start(
    manager: Any, start_worker: Callable[[str], subprocess.Popen[bytes]]
) -> None:
    job = enqueue(acting_user=manager, kind="test.hang", label="Hang", task=sample.hang_on_first_attempt)
    killed = _kill_mid_run(job, start_worker)
    start_worker("worker-next")
    wait_for(job_in(job, "failed", "succeeded"), "the job to be settled")
    assert (job.status, job.attempts, job.result) == ("failed", 1, None)
    assert job.error == f"worker stopped while running (pid {killed} on host {socket.gethostname()})"
    row = DBTaskResult.objects.get(pk=job.task_result_id)
    assert (row.status, row.exception_class_path) == ("FAILED", "palermo.jobs.services.WorkerStopped")
    assert Job.objects.get(pk=job.pk).finished_at is not None
