"""The one django-tasks task: run a job's function in the worker and record how it ended on the job row."""

from __future__ import annotations

import os
import socket
from typing import Any

from django.utils import translation
from django_tasks import TaskContext, task
from django_tasks.utils import normalize_json

from palermo.accounts.access import SYSTEM
from palermo.jobs import services
from palermo.jobs.models import Job


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Run ``job_id``'s function with ``args``/``kwargs``; the library's row keeps only the outcome's summary.

    An exception fails the job (``JobFailed``: its message; anything else: its type and message) and is raised
    again so that the library's row fails too. A stop of the worker during the attempt (second Ctrl-C,
    ``SystemExit``) retries or fails the job like a crash found at the next start.
    """
    attempt_id = str(context.task_result.id)
    worker_ids = context.task_result.worker_ids
    job = services.start_attempt(job_id, attempt_id, worker_ids[-1] if worker_ids else "")
    if job is None:
        return {"job": job_id, "ran": False}
    with translation.override(job.language):
        try:
            result = normalize_json(services.resolve(job.function)(job, *args, **kwargs))
        except services.JobFailed as failure:
            services.finish_attempt(job, attempt_id, error=str(failure))
            raise
        except Exception as error:
            services.finish_attempt(job, attempt_id, error=f"{type(error).__name__}: {error}")
            raise
        except BaseException:
            services.settle_interrupted(
                acting_user=SYSTEM.running("palermo worker"), job=job, attempt_id=attempt_id, args=args, kwargs=kwargs,
                reason=services.worker_stopped_reason(pid=os.getpid(), host=socket.gethostname()),
            )
            raise
    services.finish_attempt(job, attempt_id, result=result)
    return {"job": job_id, "ran": True, "status": Job.Status.SUCCEEDED.value}
