"""Imports of case records: keep an upload as a job, run an import (read, validate every row, then write
everything in one transaction, or nothing)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, is_system
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases.access import may_import
from palermo.cases.importing import bulk, ctdc, frames, htcds
from palermo.cases.importing.readers import Limits, UnreadableFile, frame_of_rows, read_frame
from palermo.cases.importing.records import Countries, Problem, masked
from palermo.cases.models import ImportJob
from palermo.cases.signals import announce_cases_changed
from palermo.partners.models import Organisation
from palermo.reference.models import Country, ExploitationForm

LAYOUTS = ("htcds", "ctdc")
MAX_LISTED_PROBLEMS = 1000
Progress = Callable[[str, int, int], None]  # phase, done, total
UPLOAD_FOLDER = "case_imports"

@dataclass
class ImportReport:
    layout: str = ""
    source: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    # Standard columns the model does not hold, with the reason (a filled one is a problem: nothing is imported).
    refused_columns: list[dict[str, str]] = field(default_factory=list)
    import_run: str = ""
    mapping_version: str = ""
    error: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase: read, validate, write

    @property
    def ok(self) -> bool:
        return not self.error and not self.problem_count

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "layout": self.layout, "source": self.source, "rows": self.rows, "created": self.created,
            "updated": self.updated, "problem_count": self.problem_count, "error": self.error,
            "problems": [problem.as_dict() for problem in self.problems[:MAX_LISTED_PROBLEMS]],
            "ignored_columns": self.ignored_columns, "refused_columns": self.refused_columns,
            "import_run": self.import_run, "mapping_version": self.mapping_version, "timings": self.timings,
        }


IMPORT_JOB_KIND = "cases.import"
IMPORT_ATTEMPTS = 3


def create_import_job(*, acting_user: Actor, upload: UploadedFile, layout: str, source: str,
                      organisation: Organisation, owner_country: Country,
                      request: HttpRequest | None = None) -> ImportJob:
    """Keep an uploaded file, record the import and queue its background job (``palermo.cases.jobs``), together.

    The upload holds identifying data: it is kept under ``MEDIA_ROOT/case_imports/`` until the job's final outcome
    (a retried attempt needs it), and removed at once if nothing can be recorded. The job is retryable: an
    interrupted import wrote nothing, or everything (a second run updates the same records).
    """
    from palermo.cases.jobs import import_cases
    from palermo.jobs.services import enqueue

    if not may_import(acting_user, organisation_id=organisation.pk, country=owner_country.pk):
        raise Http404
    path = _keep_upload(upload)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                created_by=acting_user if isinstance(acting_user, User) else None, organisation=organisation,
                owner_country=owner_country, file_name=(upload.name or "")[:300], file_path=str(path),
                layout=layout, source=source,
            )
            record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="cases.importjob",
                   object_id=job.pk, country=owner_country.pk, request=request,
                   detail={"file": job.file_name, "layout": layout, "source": source,
                           "organisation": organisation.pk})
            job.job = enqueue(
                acting_user=acting_user, kind=IMPORT_JOB_KIND, label=_("Import of %(file)s") % {"file": job.file_name},
                task=import_cases, args=[job.pk], identifying=True, retryable=True, max_attempts=IMPORT_ATTEMPTS,
                next_url=reverse("cases:import_detail", args=[job.pk]), request=request,
            )
            job.save(update_fields=["job"])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def _keep_upload(upload: UploadedFile) -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return path


def _check(acting_user: Actor, organisation: Organisation, country: str) -> None:
    if not may_import(acting_user, organisation_id=organisation.pk, country=country):
        raise PermissionDenied("this user may not import cases for this organisation and country")


def known_countries() -> Countries:
    pairs = list(Country.objects.values_list("code", "alpha3"))
    return Countries(frozenset(code for code, _ in pairs), {alpha3: code for code, alpha3 in pairs})


def mapping_version(layout: str) -> str:
    """The version of the mapping that reads a layout (Case.mapping_version): layout and table version."""
    version = htcds.MAPPING_VERSION if layout == "htcds" else ctdc.MAPPING_VERSION
    return f"{layout}/{version}"


def refused_columns(names: list[str], table: pl.DataFrame) -> tuple[list[dict[str, str]], list[Problem]]:
    """The standard's columns the model does not hold (htcds.REFUSED), with their reason; a filled cell of one is
    a problem (its first filled row), so that nothing is imported as if the column had been read."""
    refused: list[dict[str, str]] = []
    problems: list[Problem] = []
    for name in names:
        unnamed = name.startswith("__column_")  # without a header (not the template's unnamed first column)
        reason = "a column without a header: give it its HTCDS name" if unnamed else htcds.refusal(name)
        if reason is None:
            continue
        cells = table.select(pl.col(name).cast(pl.String).fill_null("").str.strip_chars(), "__row__")
        filled = cells.filter(pl.col(name) != "")
        shown = f"column {name.removeprefix('__column_')} (no header)" if unnamed else name
        if not unnamed:
            refused.append({"column": name, "reason": reason})
        if filled.height:
            value = filled[name][0]
            problems.append(Problem(int(filled["__row__"][0]), shown,
                                    masked(value) if unnamed or name.lower().startswith("prs_") else value,
                                    f"a column Palermo does not import: {reason}"))
    return refused, problems


def parse(names: list[str], table: pl.DataFrame, layout: str,
          countries: Countries) -> tuple[str, pl.DataFrame, list[Problem], list[str]]:
    """Validate the table of a file in a layout ("htcds" or "ctdc", whose year is detected from the headers)."""
    if layout == "htcds":
        names, table = htcds.name_unnamed_columns(names, table)
        mapping, ignored = htcds.canonical_columns(names)
        parsed, problems = htcds.parse_frame(table, mapping, countries)
        ignored = [name for name in ignored if htcds.refusal(name) is None]
        return "htcds", parsed, problems, ignored
    if layout == "ctdc":
        detected = ctdc.detect(names)
        if detected is None:
            raise UnreadableFile("not a CTDC layout: no 2017 (meansOfControl..., majorityStatus) "
                                 "or 2024 (meansDebtBondageEarnings, traffickMonths) columns")
        mapping, ignored = ctdc.canonical_columns(names, detected)
        cases, problems = ctdc.parse_rows(table.iter_rows(named=True), mapping, countries, detected)
        return detected, frames.from_parsed(cases), problems, ignored
    raise UnreadableFile(f"unknown format {layout!r}: use one of {', '.join(LAYOUTS)}")


def import_limits() -> Limits:
    """The limits of an imported file, from the settings (docs/configuration.md)."""
    return Limits(max_bytes=settings.IMPORT_MAX_BYTES, max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
                  max_rows=settings.IMPORT_MAX_ROWS, max_columns=settings.IMPORT_MAX_COLUMNS)


def import_file(path: str | Path, *, layout: str, source: str, organisation: Organisation, country: str,
                acting_user: Actor, progress: Progress | None = None) -> ImportReport:
    """Validate the whole file; if any row is wrong, report every problem and write nothing."""
    _check(acting_user, organisation, country)
    report = ImportReport(source=source)
    started = time.perf_counter()
    try:
        names, table = read_frame(path, import_limits())
    except UnreadableFile as error:
        report.error = str(error)
        return report
    report.timings["read"] = round(time.perf_counter() - started, 3)
    return import_table(names, table, layout=layout, source=source, organisation=organisation, country=country,
                        acting_user=acting_user, progress=progress, file_name=Path(path).name, report=report)


def import_rows(names: list[str], rows: Any, *, layout: str, source: str, organisation: Organisation, country: str,
                acting_user: Actor, progress: Progress | None = None,
                file_name: str = "", report: ImportReport | None = None,
                new_code: Callable[[], str] | None = None) -> ImportReport:
    """Import raw rows (the format readers produce; the demo generates it directly)."""
    return import_table(names, frame_of_rows(names, rows), layout=layout, source=source, organisation=organisation,
                        country=country, acting_user=acting_user, progress=progress, file_name=file_name,
                        report=report, new_code=new_code)


def import_table(names: list[str], table: pl.DataFrame, *, layout: str, source: str, organisation: Organisation,
                 country: str, acting_user: Actor, progress: Progress | None = None,
                 file_name: str = "", report: ImportReport | None = None,
                 new_code: Callable[[], str] | None = None) -> ImportReport:
    """Validate every row of the table; write all of them in one transaction, or none."""
    _check(acting_user, organisation, country)
    report = report or ImportReport(source=source)
    if not source.strip() or len(source) > 100:
        report.error = "give a source name of 1 to 100 characters"
        return report
    if not Country.objects.filter(code=country).exists():
        report.error = f"unknown owning country {country!r}"
        return report
    if progress:
        progress("validating", 0, table.height)
    started = time.perf_counter()
    try:
        report.layout, parsed, problems, report.ignored_columns = parse(names, table, layout, known_countries())
    except UnreadableFile as error:
        report.error = str(error)
        return report
    if report.layout == "htcds":
        names, table = htcds.name_unnamed_columns(names, table)
        report.refused_columns, refusals = refused_columns(names, table)
        problems = [*problems, *refusals]
    report.mapping_version = mapping_version(report.layout)
    report.rows = parsed.height
    if progress:
        progress("validating", table.height, table.height)
    missing_forms = set(parsed["forms"].explode().drop_nulls().unique().to_list()) - set(
        ExploitationForm.objects.values_list("code", flat=True))
    if missing_forms:
        report.error = f"reference forms of exploitation missing from the database: {sorted(missing_forms)}"
        return report
    if problems:
        report.problems = sorted(problems, key=lambda p: (p.row, p.column))
        report.problem_count = len(problems)
        return report
    derived = frames.derive(parsed)
    report.timings["validate"] = round(time.perf_counter() - started, 3)
    if progress:
        progress("writing", 0, parsed.height)
    started = time.perf_counter()
    _write(derived, report, source=source, organisation=organisation, country=country, acting_user=acting_user,
           progress=progress, file_name=file_name, new_code=new_code)
    report.timings["write"] = round(time.perf_counter() - started, 3)
    return report


@transaction.atomic
def _write(parsed: pl.DataFrame, report: ImportReport, *, source: str, organisation: Organisation,
           country: str, acting_user: Actor, progress: Progress | None, file_name: str,
           new_code: Callable[[], str] | None) -> None:
    def written(done: int) -> None:
        if progress:
            progress("writing", done, parsed.height)

    report.import_run = uuid.uuid4().hex
    report.created, report.updated = bulk.write_cases(
        parsed, source=source, organisation_id=organisation.pk, country=country,
        recorded_by=acting_user.pk if isinstance(acting_user, User) else None, new_code=new_code, progress=written,
        timings=report.timings, provenance={"source_file": file_name[:300], "import_run": report.import_run,
                                            "mapping_version": report.mapping_version})
    record(actor=acting_user, action=AuditEvent.Action.IMPORT,
           object_type="cases.case", object_id=source, country=country,
           detail={"layout": report.layout, "file": file_name, "organisation": organisation.pk,
                   "created": report.created, "updated": report.updated, "import_run": report.import_run,
                   "mapping_version": report.mapping_version})
    # A command (the system) exits right after the import: the listeners finish before it returns.
    announce_cases_changed(count=report.created + report.updated, inline=is_system(acting_user))

