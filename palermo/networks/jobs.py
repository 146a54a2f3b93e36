"""The background job of a web upload: the file is kept under MEDIA_ROOT/networks/, imported as the person who
uploaded it (all or nothing), then removed; the job's result is the import report (counts and problems)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from palermo.jobs.models import Job
from palermo.jobs.services import JobFailed, job_function, report_progress
from palermo.networks import reading
from palermo.networks.importing import import_network_file


@job_function
def import_upload(job: Job, path: str, fmt: str, source: str, country: str, network: str, kind: str = "edges",
                  columns: str = "") -> dict[str, Any]:
    file = Path(path)
    if not file.exists():
        raise JobFailed(_("The uploaded file is no longer there: upload it again."))
    report_progress(job, 0, None, _("reading and validating"), force=True)

    def progress(phase: str, done: int, total: int) -> None:
        report_progress(job, done, total or None, _("reading and validating") if phase == "check" else _("writing"))

    mapping = reading.Mapping(kind=kind, columns=reading.parse_mapping(columns)) if fmt == "csv" else None
    try:
        report = import_network_file(acting_user=job.acting_user, path=file, fmt=fmt, source=source,
                                     country=country, network_name=network, mapping=mapping, progress=progress)
    finally:
        file.unlink(missing_ok=True)
    data = report.as_dict()
    data["problems"] = data["problems"][:200]
    if not report.ok:
        raise JobFailed(_("Nothing imported: %(error)s") % {"error": report.error or "; ".join(
            f"row {p['row']}, {p['column']}: {p['reason']}" for p in data["problems"][:20])})
    return data
