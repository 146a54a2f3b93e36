"""Background import jobs: ``services.create_import_job`` keeps the upload and records the job, :func:`start`
runs it in a thread; the page polls the job row.

Progress is written while rows are read and validated (outside the import transaction, so other connections
see it); the write itself is one transaction, shown as the "writing" phase.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from palermo.accounts.access import SYSTEM, Actor
from palermo.cases.importing.readers import estimate_rows
from palermo.cases.models import ImportJob
from palermo.cases.services.imports import import_file


def start(job: ImportJob) -> None:
    """Run the job in a thread, or at once when settings.CASES_IMPORT_INLINE is set (tests, single process)."""
    if getattr(settings, "CASES_IMPORT_INLINE", False):
        run(job.pk)
        return
    threading.Thread(target=_run_in_thread, args=(job.pk,), name=f"case-import-{job.pk}", daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run(job_id)
    finally:
        connection.close()


def run(job_id: int) -> None:
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    path = Path(job.file_path)
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.VALIDATING, started_at=timezone.now(),
                                               total=estimate_rows(path))

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "validating":
            ImportJob.objects.filter(pk=job_id).update(progress=done)
        elif done == 0:  # about to open the write transaction
            ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.WRITING, progress=total, total=total)

    # The job imports as the person who uploaded the file (the system, should that account be gone).
    acting_user: Actor = job.created_by or SYSTEM.running(f"case import job {job.pk}")
    try:
        report = import_file(path, layout=job.layout, source=job.source, organisation=job.organisation,
                             country=job.owner_country_id, acting_user=acting_user, progress=progress)
        status = ImportJob.Status.SUCCEEDED if report.ok else ImportJob.Status.REJECTED
        data = report.as_dict()
    except Exception as error:  # the job must end visibly, whatever went wrong
        status, data = ImportJob.Status.FAILED, {"ok": False, "error": f"{type(error).__name__}: {error}"}
    finally:
        path.unlink(missing_ok=True)  # the upload holds identifying data: keep it no longer than the import
    ImportJob.objects.filter(pk=job_id).update(status=status, report=data, finished_at=timezone.now(),
                                               progress=data.get("rows", 0) or 0)
