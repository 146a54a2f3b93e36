"""Job functions the tests enqueue (module-level, importable by a ``palermo worker`` process)."""

from __future__ import annotations

import time

from palermo.jobs.models import Job
from palermo.jobs.services import JobFailed, job_function, report_progress


@job_function
def add(job: Job, a: int, b: int, *, phase: str = "adding") -> dict[str, int]:
    report_progress(job, 1, 2, phase)
    return {"sum": a + b}


@job_function
def refuse(job: Job, message: str) -> None:
    report_progress(job, 3, 10, "checking")
    raise JobFailed(message)


@job_function
def explode(job: Job) -> None:
    raise ValueError("the file has no header row")


@job_function
def hang_on_first_attempt(job: Job, seconds: float = 120) -> dict[str, int]:
    """The first attempt waits (the test kills its worker meanwhile); later attempts finish at once."""
    report_progress(job, 0, 1, "waiting", force=True)
    if job.attempts == 1:
        time.sleep(seconds)
    report_progress(job, 1, 1, "done")
    return {"attempt": job.attempts}


def not_a_job_function(job: Job) -> None:
    """Not marked with @job_function: the jobs API refuses it."""
