"""The background job of a web import (palermo.jobs): ``services.create_import_job`` keeps the upload, records the
import and queues :func:`import_cases`; ``palermo worker`` runs it; :func:`on_job_finished` closes the import.

Progress is reported while rows are read and validated (outside the import transaction, so the page sees it); the
write itself is one transaction, shown as the "writing" phase. The upload is kept until the job's final outcome
(an interrupted attempt is run again from it), then removed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.cases.importing.readers import estimate_rows
from palermo.cases.models import ImportJob
from palermo.cases.services.imports import IMPORT_JOB_KIND, import_file
from palermo.jobs.models import Job
from palermo.jobs.services import JobFailed, job_function, report_progress

logger = logging.getLogger("palermo.cases")


def _summary(record: ImportJob) -> dict[str, Any]:
    """The job's result: counts only (the report, which may quote values, stays on the import)."""
    report = record.report or {}
    return {"import": record.pk, "status": record.status, "rows": report.get("rows", 0),
            "created": report.get("created", 0), "updated": report.get("updated", 0),
            "problem_count": report.get("problem_count", 0)}


@job_function
def import_cases(job: Job, import_id: int) -> dict[str, Any]:
    """Import the upload of ``import_id`` as the person who uploaded it; the outcome goes on the import row."""
    record = ImportJob.objects.select_related("organisation").get(pk=import_id)
    if record.finished:  # an attempt cut short after the outcome was recorded: nothing left to do
        return _summary(record)
    path = Path(record.file_path)
    if not path.exists():
        raise JobFailed(_("The uploaded file is no longer there: upload it again."))
    reading = _("reading and validating")
    report_progress(job, 0, estimate_rows(path), reading, force=True)
    ImportJob.objects.filter(pk=import_id, started_at__isnull=True).update(started_at=timezone.now())

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "validating":
            report_progress(job, done, total, reading)
        elif done == 0:  # about to open the write transaction: later steps are seen only once it commits
            report_progress(job, total, total, _("writing"), force=True)

    report = import_file(path, layout=record.layout, source=record.source, organisation=record.organisation,
                         country=record.owner_country_id, acting_user=job.acting_user, progress=progress)
    status = ImportJob.Status.SUCCEEDED if report.ok else ImportJob.Status.REJECTED
    ImportJob.objects.filter(pk=import_id).update(status=status, report=report.as_dict(), finished_at=timezone.now())
    record.refresh_from_db()
    return _summary(record)


def on_job_finished(sender: Any, job: Job, **kwargs: Any) -> None:
    """Once an import's job has ended for good: record a failure the job could not record itself (an error, or a
    crash on its last attempt), and remove the upload."""
    if job.kind != IMPORT_JOB_KIND:
        return
    with transaction.atomic():
        record = ImportJob.objects.select_for_update().filter(job=job).first()
        if record is None:
            return
        if not record.finished:
            record.status = ImportJob.Status.FAILED
            record.report = {"ok": False, "error": job.error}
            record.finished_at = timezone.now()
            record.save(update_fields=["status", "report", "finished_at"])
    Path(record.file_path).unlink(missing_ok=True)  # the upload holds identifying data: no longer than the import
    logger.info("import %s ended (%s); its upload is removed", record.pk, record.status)
