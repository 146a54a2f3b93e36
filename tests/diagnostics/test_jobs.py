"""The diagnostics' background jobs: a change of cases queues one refresh of the snapshot (never two waiting), which
the dashboard shows until it ends and which ends at once when the snapshot is already current; a microdata release
is made by the worker, the release page following it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.diagnostics import releases, services, snapshot
from palermo.diagnostics.models import Release
from palermo.jobs.models import Job
from palermo.jobs.worker import run_pending
from tests.cases.test_pages import VALID
from tests.conftest import verified_login
from tests.diagnostics.helpers import many, write_rows

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


@pytest.fixture
def people(user_factory: Any, organisation_factory: Any) -> dict[str, Any]:
    return {
        "case_worker": user_factory("cw-rs", Role.CASE_WORKER, ("RS",),
                                    organisation=organisation_factory("NGO-RS", country="RS")),
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "analyst_ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
        "analyst_rs": user_factory("analyst-rs", Role.ANALYST, ("RS",)),
        "viewer": user_factory("viewer", Role.VIEWER),
    }


def snapshot_rows() -> int:
    return pq.read_metadata(settings.DIAGNOSTICS_SNAPSHOT).num_rows


def test_a_case_saved_on_its_page_queues_one_refresh_the_dashboard_follows(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    assert snapshot.refresh() == 0
    case_worker = client_for(people["case_worker"])
    with django_capture_on_commit_callbacks(execute=True):
        assert case_worker.post("/cases/new/", VALID).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert case_worker.post("/cases/new/", {**VALID, "first_name": "Other"}).status_code == 302
    job = Job.objects.get()  # the second change joined the refresh already waiting
    assert (job.kind, job.status, job.created_by, job.created_by_name, job.identifying, job.retryable) == (
        "diagnostics.refresh", "queued", None, "system: diagnostics refresh", False, True)
    assert (job.label, job.next_url) == ("Refresh of the diagnostics snapshot", "/diagnostics/")
    note = "Cases changed: the figures are being refreshed."
    manager_page = client_for(people["manager"]).get("/diagnostics/").content.decode()
    assert note in manager_page and f'hx-get="/jobs/{job.pk}/progress/"' in manager_page
    analyst_page = client_for(people["analyst_rs"]).get("/diagnostics/").content.decode()
    assert note in analyst_page and "hx-get" not in analyst_page  # the note, not a job the analyst may not open
    assert run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.result, job.done, job.total, job.phase) == (
        "succeeded", {"rows": 2, "refreshed": True}, 3, 3, "aggregating")
    assert snapshot_rows() == 2 and snapshot.is_current()
    assert "2 (2025)" in client_for(people["analyst_rs"]).get("/").content.decode()  # the headline counts both
    assert note not in client_for(people["manager"]).get("/diagnostics/").content.decode()


def test_a_refresh_finds_a_current_snapshot_and_ends_at_once(people: dict[str, Any]) -> None:
    path = Path(settings.DIAGNOSTICS_SNAPSHOT)
    client_for(people["case_worker"]).post("/cases/new/", VALID)
    assert snapshot.refresh() == 1 and snapshot.is_current()
    written = path.stat().st_mtime_ns
    job = services.queue_snapshot_refresh(acting_user=SYSTEM.running("diagnostics refresh"))
    run_pending()
    job.refresh_from_db()
    assert (job.status, job.result, job.phase) == (
        "succeeded", {"rows": 1, "refreshed": False, "note": "already current"}, "already current")
    assert path.stat().st_mtime_ns == written
    case = Case.objects.get()
    case.save()  # a saved case (the form, an import) moves updated_at: the snapshot is stale again
    assert not snapshot.is_current()
    assert snapshot.refresh() == 1 and snapshot.is_current()
    Case.objects.all().delete()
    assert not snapshot.is_current()
    job = services.queue_snapshot_refresh(acting_user=people["manager"])
    run_pending()
    job.refresh_from_db()
    assert (job.result, snapshot_rows()) == ({"rows": 0, "refreshed": True}, 0)


def test_a_running_refresh_does_not_absorb_later_changes(people: dict[str, Any]) -> None:
    first = services.queue_snapshot_refresh(acting_user=SYSTEM)
    Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING)
    second = services.queue_snapshot_refresh(acting_user=SYSTEM)  # the running one may have read the data already
    assert second.pk != first.pk and services.queue_snapshot_refresh(acting_user=SYSTEM).pk == second.pk


def test_only_the_system_or_a_manager_queues_a_refresh(people: dict[str, Any]) -> None:
    for name in ("case_worker", "analyst_ro", "viewer"):
        with pytest.raises(PermissionDenied):
            services.queue_snapshot_refresh(acting_user=people[name])
    assert (Job.objects.count(), AuditEvent.objects.count()) == (0, 0)


@pytest.fixture
def flat_cases() -> None:
    rows = many(57, sex="female") + many(23, sex="male") + many(12, owner_country="RS", citizenship="RS")
    path = Path(settings.DIAGNOSTICS_SNAPSHOT)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_rows(rows, path)


def test_a_microdata_release_is_made_by_the_worker_and_followed_on_the_page(people: dict[str, Any],
                                                                           flat_cases: None) -> None:
    client = client_for(people["analyst_ro"])
    response = client.post("/diagnostics/releases/", {"kind": "microdata", "k": 10})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.label, job.status, job.identifying, job.next_url) == (
        "diagnostics.release", "Microdata release (k=10, RO)", "queued", False, "/diagnostics/releases/")
    assert Release.objects.count() == 0
    page = client.get("/diagnostics/releases/").content.decode()
    assert "Releases being made" in page and f'hx-get="/jobs/{job.pk}/progress/"' in page
    assert run_pending() == 1
    job.refresh_from_db()
    release = Release.objects.get()
    assert (release.kind, release.created_by, release.countries, release.parameters["k"]) == (
        "microdata", people["analyst_ro"], ["RO"], 10)
    assert (job.status, job.phase, job.done, job.total) == ("succeeded", "done", 1, 1)
    assert job.result == {"release": release.pk, "kind": "microdata", "rows": release.rows,
                          "cells_suppressed": release.cells_suppressed, "sha256": release.sha256}
    assert release.rows == 80  # Romania's cases only, all in groups of at least 10
    event = AuditEvent.objects.get(action=AuditEvent.Action.RELEASE)
    assert (event.actor, event.object_id) == (people["analyst_ro"], str(release.pk))
    assert "Releases being made" not in client.get("/diagnostics/releases/").content.decode()


def test_no_release_is_made_below_the_privacy_resolution(people: dict[str, Any], flat_cases: None,
                                                          settings: Any) -> None:
    assert settings.DIAGNOSTICS_PRIVACY_RESOLUTION == 10
    client = client_for(people["analyst_ro"])
    before = AuditEvent.objects.count()
    page = client.post("/diagnostics/releases/", {"kind": "microdata", "k": 2}).content.decode()
    assert "k = 2 is below the platform&#x27;s privacy resolution of 10: no release is made below it" in page
    for kind in ("microdata", "aggregates"):
        with pytest.raises(releases.ReleaseError, match="k = 9 is below the platform's privacy resolution of 10"):
            services.create_release(acting_user=people["analyst_ro"], kind=kind, k=9, dims=["sex"])
    with pytest.raises(releases.ReleaseError, match="k = 2 is below"):
        services.queue_release(acting_user=people["analyst_ro"], kind="microdata", k=2)
    assert (Job.objects.count(), Release.objects.count(), AuditEvent.objects.count()) == (0, 0, before)


def test_a_refused_microdata_release_queues_nothing(people: dict[str, Any], flat_cases: None) -> None:
    analyst_rs, viewer = client_for(people["analyst_rs"]), client_for(people["viewer"])
    before = AuditEvent.objects.count()
    response = analyst_rs.post("/diagnostics/releases/", {"kind": "microdata", "k": 5, "country": "RO"})
    assert response.status_code == 200
    assert "Select a valid choice. RO is not one of the available choices." in response.content.decode()
    with pytest.raises(PermissionDenied, match="your own countries"):
        services.queue_release(acting_user=people["analyst_rs"], kind="microdata", k=5, country="RO")
    assert viewer.post("/diagnostics/releases/", {"kind": "microdata", "k": 5}).status_code == 404
    assert (Job.objects.count(), Release.objects.count(), AuditEvent.objects.count()) == (0, 0, before)
