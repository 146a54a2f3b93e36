"""The background job of an attendance sheet uploaded on a training's page (palermo.jobs).

``create_attendance_import`` keeps the upload under ``MEDIA_ROOT/capacity_imports/``, records the import and queues
:func:`import_attendance_job` in one transaction; ``palermo worker`` runs it as the person who uploaded the sheet;
:func:`on_job_finished` records a failure the job could not record itself and removes the upload. The job holds
no name (its result is counts and the rows' problems without their values): it is not identifying, so its creator
and the programme managers follow it. Retryable: an interrupted import wrote nothing, or everything (a second run
updates the same participants).
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, person_of
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.capacity.access import may_edit_training
from palermo.capacity.attendance import import_attendance
from palermo.capacity.models import AttendanceImport, Training
from palermo.cases.importing.readers import estimate_rows
from palermo.jobs.models import Job
from palermo.jobs.services import JobFailed, enqueue, job_function, report_progress

logger = logging.getLogger("palermo.capacity")
KIND = "capacity.attendance"
UPLOAD_FOLDER = "capacity_imports"
SUFFIXES = (".csv", ".xlsx")
ATTEMPTS = 3


def _summary(found: AttendanceImport) -> dict[str, Any]:
    report = found.report or {}
    return {"import": found.pk, "training": found.training_id, "outcome": found.outcome,
            "rows": report.get("rows", 0), "created": report.get("created", 0), "updated": report.get("updated", 0),
            "problem_count": report.get("problem_count", 0)}


@job_function
def import_attendance_job(job: Job, import_id: int) -> dict[str, Any]:
    found = AttendanceImport.objects.select_related("training").get(pk=import_id)
    if found.finished:  # an attempt cut short after the outcome was recorded
        return _summary(found)
    path = Path(found.file_path)
    if not path.exists():
        raise JobFailed(_("The uploaded file is no longer there: upload it again."))
    phase = _("reading and checking the rows")
    total = estimate_rows(path)
    report_progress(job, 0, total, phase, force=True)
    report = import_attendance(acting_user=job.acting_user, training=found.training, path=path,
                               progress=lambda done: report_progress(job, done, total, phase))
    outcome = AttendanceImport.Outcome.SUCCEEDED if report.ok else AttendanceImport.Outcome.REJECTED
    AttendanceImport.objects.filter(pk=import_id).update(outcome=outcome, report=report.as_dict(with_values=False),
                                                         finished_at=timezone.now())
    found.refresh_from_db()
    return _summary(found)


def create_attendance_import(*, acting_user: Actor, training: Training, upload: UploadedFile,
                             request: HttpRequest | None = None) -> AttendanceImport:
    """Keep the upload, record the import and queue its job, together (the upload is removed if that fails)."""
    if not may_edit_training(acting_user, training):
        raise PermissionDenied
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError({"upload": [_("Give a .csv or .xlsx file.")]})
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    try:
        with transaction.atomic():
            found = AttendanceImport.objects.create(training=training, file_name=name[:300], file_path=str(path),
                                                    created_by=person_of(acting_user))
            record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="capacity.attendanceimport",
                   object_id=found.pk, country=training.country_id, request=request,
                   detail={"training": training.pk, "file": found.file_name})
            found.job = enqueue(
                acting_user=acting_user, kind=KIND,
                label=_("Attendance sheet of training %(id)s") % {"id": training.pk},
                task=import_attendance_job, args=[found.pk], identifying=False, retryable=True,
                max_attempts=ATTEMPTS, next_url=reverse("capacity:import", args=[training.pk, found.pk]),
                request=request)
            found.save(update_fields=["job"])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return found


def on_job_finished(sender: Any, job: Job, **kwargs: Any) -> None:
    """Once the job has ended for good: record a failure it could not record, and remove the upload."""
    if job.kind != KIND:
        return
    with transaction.atomic():
        found = AttendanceImport.objects.select_for_update().filter(job=job).first()
        if found is None:
            return
        if not found.finished:
            found.outcome = AttendanceImport.Outcome.FAILED
            found.report = {"ok": False, "error": job.error}
            found.finished_at = timezone.now()
            found.save(update_fields=["outcome", "report", "finished_at"])
    Path(found.file_path).unlink(missing_ok=True)  # the sheet holds names: no longer than the import
    logger.info("attendance import %s ended (%s); its upload is removed", found.pk, found.outcome)
