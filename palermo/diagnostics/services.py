"""State changes of the diagnostics app: importing official statistics, making and downloading releases, queuing
the background jobs that refresh the snapshot and make microdata releases (``jobs.py``).

Each one keyword-only, atomic, audited in the same transaction; the rules come from ``access.py``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.diagnostics import jobs, releases, snapshot
from palermo.diagnostics.access import (
    access_release,
    may_import_official_statistics,
    may_refresh_snapshot,
    release_countries,
)
from palermo.diagnostics.glotip import GlotipReport, read_glotip
from palermo.diagnostics.models import OfficialStatistic, Release, StatisticsImport
from palermo.jobs.models import Job
from palermo.jobs.services import enqueue
from palermo.reference.models import Country, ExploitationForm

GLOTIP_SOURCE = "UNODC GLOTIP"


class GlotipImportError(ValueError):
    def __init__(self, report: GlotipReport) -> None:
        super().__init__(f"{len(report.problems)} problem(s) in the file; nothing was imported")
        self.report = report


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_glotip(*, acting_user: Actor, path: str | Path, source: str = GLOTIP_SOURCE,
                  batch_size: int = 2000) -> tuple[StatisticsImport, GlotipReport]:
    """Check the whole file, then replace every value of ``source`` in one transaction (all or nothing).

    Raises :class:`GlotipImportError` (carrying the report of problems) without writing anything.
    """
    if not may_import_official_statistics(acting_user):
        raise PermissionDenied("official statistics are imported by a programme manager or the operator")
    report = read_glotip(path, known_countries=Country.objects.values_list("code", flat=True))
    if not report.ok:
        raise GlotipImportError(report)
    sha = file_sha256(path)
    with transaction.atomic():
        replaced = OfficialStatistic.objects.filter(source=source).count()
        OfficialStatistic.objects.filter(source=source).delete()
        StatisticsImport.objects.filter(source=source, values__isnull=True).delete()
        batch = StatisticsImport.objects.create(
            source=source, file_name=Path(path).name, sha256=sha, rows_read=report.rows_read,
            values_stored=len(report.values), rows_skipped=report.aggregate_rows_skipped,
            imported_by=acting_user if isinstance(acting_user, User) else None,
        )
        OfficialStatistic.objects.bulk_create(
            (OfficialStatistic(
                country_id=v.country, year=v.year, indicator=v.indicator, dimension=v.dimension, sex=v.sex,
                age=v.age, form=v.form, citizenship_id=v.citizenship or None, category_label=v.category_label,
                value=v.value, suppressed=v.suppressed, source=source, source_row=v.row, batch=batch,
            ) for v in report.values),
            batch_size=batch_size,
        )
        record(actor=acting_user, action=AuditEvent.Action.IMPORT, object_type="diagnostics.statisticsimport",
               object_id=batch.pk,
               detail={"source": source, "file": Path(path).name, "sha256": sha, "values": len(report.values),
                       "suppressed": report.suppressed_count, "replaced": replaced,
                       "aggregate_rows_skipped": report.aggregate_rows_skipped})
    return batch, report


def _alpha3() -> dict[str, str]:
    return dict(Country.objects.values_list("code", "alpha3"))


def _form_variables() -> dict[str, str]:
    by_category = {"Sexual exploitation": "isSexualExploit", "Forced labour": "isForcedLabour"}
    out = {}
    for form in ExploitationForm.objects.all():
        out[form.code] = form.ctdc2024_code or by_category.get(form.glotip_category, "isOtherExploit")
    return out


def release_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "releases"
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def create_release(*, acting_user: User, kind: str, k: int, dims: list[str] | None = None,
                   epsilon: float | None = None, country: str | None = None) -> Release:
    """Compute, write, log and audit one release. Refusals (PermissionDenied, ReleaseError) write nothing."""
    countries = release_countries(acting_user, country)
    releases.check_resolution(k, snapshot.privacy_resolution())
    with snapshot.open_snapshot() as snap:
        if kind == Release.Kind.MICRODATA:
            where, params = snap.scope_where(countries)
            rows = snap.rows(where, params)
            content = releases.microdata_csv(rows, k, _alpha3(), _form_variables(), countries)
        elif kind in (Release.Kind.AGGREGATES, Release.Kind.DP_AGGREGATES):
            if kind == Release.Kind.DP_AGGREGATES and epsilon is None:
                raise releases.ReleaseError(releases.gettext_noop("a differentially private release needs an epsilon"))
            if kind == Release.Kind.AGGREGATES:
                epsilon = None
            content = releases.aggregates(snap, dims or [], countries, k, epsilon)
        else:
            raise releases.ReleaseError(releases.gettext_noop("unknown kind of release %(kind)r"), kind=kind)
    release = Release.objects.create(
        kind=kind, created_by=acting_user, countries=sorted(countries) if countries is not None else [],
        parameters=content.parameters, file_name="", sha256=content.sha256, rows=content.rows,
        cells_suppressed=content.cells_suppressed,
    )
    release.file_name = f"release-{release.pk}-{kind}.csv"
    release.save(update_fields=["file_name"])
    record(actor=acting_user, action=AuditEvent.Action.RELEASE, object_type="diagnostics.release",
           object_id=release.pk, country=country or "",
           detail={"kind": kind, "parameters": content.parameters, "sha256": content.sha256,
                   "file": release.file_name})
    (release_dir() / release.file_name).write_bytes(content.data)
    return release


@transaction.atomic
def queue_release(*, acting_user: User, kind: str, k: int, dims: list[str] | None = None,
                  epsilon: float | None = None, country: str | None = None,
                  request: HttpRequest | None = None) -> Job:
    """Queue a microdata release for the worker (every case of the scope goes through Python: seconds to minutes
    at a million cases). Refusals (PermissionDenied, ReleaseError) are raised now and queue nothing; the job makes
    the release through :func:`create_release`, as ``acting_user``."""
    countries = release_countries(acting_user, country)
    if kind != Release.Kind.MICRODATA:
        raise releases.ReleaseError(releases.gettext_noop("unknown kind of release %(kind)r"), kind=kind)
    releases.check_microdata_k(k)
    releases.check_resolution(k, snapshot.privacy_resolution())
    scope = _("every country") if countries is None else ", ".join(sorted(countries))
    label = _("Microdata release (k=%(k)s, %(scope)s)") % {"k": k, "scope": scope}
    return enqueue(acting_user=acting_user, kind=jobs.RELEASE_KIND, label=label, task=jobs.make_release,
                   kwargs={"kind": kind, "k": k, "dims": list(dims or []), "epsilon": epsilon, "country": country},
                   identifying=False, retryable=False, next_url=reverse("diagnostics:releases"), request=request)


@transaction.atomic
def queue_snapshot_refresh(*, acting_user: Actor, request: HttpRequest | None = None) -> Job:
    """Queue a refresh of the snapshot, unless one is waiting already (it will read every change made so far)."""
    if not may_refresh_snapshot(acting_user):
        raise PermissionDenied("the snapshot is refreshed by the system or a programme manager")
    waiting = Job.objects.select_for_update().filter(kind=jobs.REFRESH_KIND, status=Job.Status.QUEUED).order_by("pk")
    if (found := waiting.first()) is not None:
        return found
    return enqueue(acting_user=acting_user, kind=jobs.REFRESH_KIND, label=_("Refresh of the diagnostics snapshot"),
                   task=jobs.refresh_snapshot, identifying=False, retryable=True,
                   next_url=reverse("diagnostics:dashboard"), request=request)


def release_file(release: Release) -> Path:
    return release_dir() / release.file_name


@transaction.atomic
def export_release(*, acting_user: User, release: Release, request: HttpRequest | None = None) -> Path:
    """The file of a release the user may read; its download is audited as an export."""
    release = access_release(acting_user, release.pk)
    path = release_file(release)
    if not path.exists():
        raise Http404
    record(actor=acting_user, action=AuditEvent.Action.EXPORT, object_type="diagnostics.release",
           object_id=release.pk, detail={"file": release.file_name, "sha256": release.sha256}, request=request)
    return path


def official_detected_victims(countries: frozenset[str] | None) -> dict[str, dict[int, Any]]:
    """Detected victims, all sexes and ages, by country and year: ``{"RO": {2021: 505, 2015: "<5"}}``."""
    queryset = OfficialStatistic.objects.filter(indicator="detected_victims", dimension="total", sex="total",
                                                age="total")
    if countries is not None:
        queryset = queryset.filter(country_id__in=countries)
    out: dict[str, dict[int, Any]] = {}
    for code, year, value, suppressed in queryset.values_list("country_id", "year", "value", "suppressed"):
        out.setdefault(code, {})[year] = "<5" if suppressed else value
    return out


