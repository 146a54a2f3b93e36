"""The import page queues a background job (palermo.jobs): the page follows its progress, then shows the report;
the upload is kept until the job's final outcome (a retried attempt reads it again), then removed."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases import jobs
from palermo.cases.models import Case, ImportJob
from palermo.cases.samples import HTCDS_COLUMNS
from palermo.jobs.models import Job
from palermo.jobs.worker import run_pending
from tests.cases.conftest import sample_rows, write_csv
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db
HOST = socket.gethostname()


@pytest.fixture
def case_worker(user_factory: Any, organisation_factory: Any) -> Any:
    return user_factory("cw-rs", Role.CASE_WORKER, ("RS",), organisation=organisation_factory("NGO-RS", country="RS"))


def _client(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def _upload(client: Client, tmp_path: Path, rows: list[dict[str, str]]) -> ImportJob:
    upload = SimpleUploadedFile("cases.csv", write_csv(tmp_path / "in.csv", HTCDS_COLUMNS, rows).read_bytes())
    response = client.post("/cases/imports/", {"file": upload, "layout": "htcds", "source": "upload",
                                               "owner_country": "RS"})
    import_job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/imports/{import_job.pk}/"
    return import_job


def _uploads(settings: Any) -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "case_imports").iterdir())


def test_an_upload_queues_a_job_the_page_follows_until_the_cases_are_imported(case_worker, settings, tmp_path):
    client = _client(case_worker)
    import_job = _upload(client, tmp_path, sample_rows(3, country="RS"))
    job = import_job.job
    assert (import_job.status, job.kind, job.label, job.status, job.created_by) == (
        "pending", "cases.import", "Import of cases.csv", "queued", case_worker)
    assert (job.identifying, job.retryable, job.max_attempts, job.next_url) == (
        True, True, 3, f"/cases/imports/{import_job.pk}/")
    assert [path.read_bytes() for path in _uploads(settings)] == [(tmp_path / "in.csv").read_bytes()]
    page = client.get(f"/cases/imports/{import_job.pk}/").content.decode()
    assert "Waiting for a worker to take it." in page
    assert f'hx-get="/cases/imports/{import_job.pk}/progress/"' in page  # the import's fragment, not the job's
    assert Case.objects.count() == 0
    assert run_pending() == 1
    job.refresh_from_db()
    import_job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.total, job.phase) == ("succeeded", 1, 3, 3, "writing")
    assert job.result == {"import": import_job.pk, "status": "succeeded", "rows": 3, "created": 3, "updated": 0,
                          "problem_count": 0}
    assert (import_job.status, import_job.report["created"], Case.objects.count()) == ("succeeded", 3, 3)
    assert import_job.started_at is not None and import_job.finished_at is not None
    fragment = client.get(f"/cases/imports/{import_job.pk}/progress/").content.decode()
    assert "3 rows: 3 cases created, 0 updated." in fragment and "hx-get" not in fragment
    assert _uploads(settings) == []  # the upload is removed once the job has ended
    listing = client.get("/cases/imports/").content.decode()
    assert "<td>imported</td>" in listing


def test_a_rejected_file_shows_every_problem_in_the_readers_language(case_worker, settings, tmp_path) -> None:
    client = _client(case_worker)
    rows = sample_rows(4, country="RS")
    rows[1]["plm_IdentificationDate"] = "31/02/2024"
    import_job = _upload(client, tmp_path, rows)
    assert "<td>queued</td>" in client.get("/cases/imports/").content.decode()  # the job's status, until it ends
    run_pending()
    import_job.refresh_from_db()
    assert import_job.status == ImportJob.Status.REJECTED
    assert (import_job.job.status, import_job.job.result["problem_count"]) == ("succeeded", 1)
    page = client.get(f"/cases/imports/{import_job.pk}/progress/").content.decode()
    assert "Nothing was imported." in page and "31/02/2024" in page and "not a date: write YYYY-MM-DD" in page
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get(f"/cases/imports/{import_job.pk}/progress/").content.decode()
    # the reason in the reader's language
    assert "31/02/2024" in page and "pas une date\u00a0: écrivez AAAA-MM-JJ" in page
    assert Case.objects.count() == 0
    assert _uploads(settings) == []


def test_the_job_runs_in_the_language_of_the_upload(case_worker, tmp_path) -> None:
    client = _client(case_worker)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    import_job = _upload(client, tmp_path, sample_rows(2, country="RS"))
    assert (import_job.job.language, import_job.job.label) == ("fr", "Import de cases.csv")
    run_pending()
    import_job.job.refresh_from_db()
    assert import_job.job.phase == "écriture"


def test_an_interrupted_import_keeps_its_file_and_succeeds_on_retry(case_worker, settings, tmp_path, monkeypatch):
    calls: list[bool] = []
    real_import = jobs.import_file

    def interrupted_once(path: Path, **kwargs: Any) -> Any:
        calls.append(Path(path).exists())
        if len(calls) == 1:
            raise SystemExit("worker stopped")  # the worker's second Ctrl-C: an attempt cut short
        return real_import(path, **kwargs)

    monkeypatch.setattr(jobs, "import_file", interrupted_once)
    import_job = _upload(_client(case_worker), tmp_path, sample_rows(3, country="RS"))
    assert run_pending(max_tasks=1) == 1
    job = Job.objects.get(pk=import_job.job_id)
    import_job.refresh_from_db()
    assert (job.status, job.attempts, import_job.status) == ("queued", 1, "pending")
    assert job.error.startswith("Attempt 1 interrupted: worker stopped while running (pid ")
    assert len(_uploads(settings)) == 1  # kept for the next attempt
    assert run_pending() == 1
    job.refresh_from_db()
    import_job.refresh_from_db()
    assert (job.status, job.attempts, job.result["created"]) == ("succeeded", 2, 3)
    assert (import_job.status, Case.objects.count(), calls) == ("succeeded", 3, [True, True])
    assert _uploads(settings) == []
    audited = AuditEvent.objects.filter(object_type="jobs.job").order_by("seq")
    assert list(audited.values_list("action", "detail__outcome")) == [("create", None), ("update", "retried")]


def test_an_import_interrupted_on_every_attempt_fails_with_the_reason_and_drops_its_file(
    case_worker, settings, tmp_path, monkeypatch
) -> None:
    def always_interrupted(path: Path, **kwargs: Any) -> Any:
        raise SystemExit("worker stopped")

    monkeypatch.setattr(jobs, "import_file", always_interrupted)
    client = _client(case_worker)
    import_job = _upload(client, tmp_path, sample_rows(2, country="RS"))
    assert run_pending() == 3
    job = Job.objects.get(pk=import_job.job_id)
    import_job.refresh_from_db()
    reason = f"worker stopped while running (pid {os.getpid()} on host {HOST})"
    assert (job.status, job.attempts, job.error) == ("failed", 3, reason)
    assert (import_job.status, import_job.report) == ("failed", {"ok": False, "error": reason})
    assert _uploads(settings) == []
    page = client.get(f"/cases/imports/{import_job.pk}/progress/").content.decode()
    assert f"Nothing was imported. {reason}" in page


def test_an_unexpected_error_fails_the_import_and_drops_its_file(case_worker, settings, tmp_path, monkeypatch):
    def broken(path: Path, **kwargs: Any) -> Any:
        raise ValueError("disk full")

    monkeypatch.setattr(jobs, "import_file", broken)
    import_job = _upload(_client(case_worker), tmp_path, sample_rows(2, country="RS"))
    run_pending()
    import_job.refresh_from_db()
    assert (import_job.job.status, import_job.job.attempts, import_job.job.error) == (
        "failed", 1, "ValueError: disk full")
    assert (import_job.status, import_job.report) == ("failed", {"ok": False, "error": "ValueError: disk full"})
    assert _uploads(settings) == [] and Case.objects.count() == 0


def test_the_import_page_and_its_job_are_the_uploaders_only(case_worker, user_factory, organisation_factory,
                                                            tmp_path) -> None:
    import_job = _upload(_client(case_worker), tmp_path, sample_rows(1, country="RS"))
    same_role_elsewhere = user_factory("cw-al", Role.CASE_WORKER, ("AL",))
    colleague = user_factory("cw-rs-2", Role.CASE_WORKER, ("RS",), organisation=case_worker.organisation)
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    for user in (same_role_elsewhere, colleague, manager):
        client = _client(user)
        for url in (f"/cases/imports/{import_job.pk}/", f"/cases/imports/{import_job.pk}/progress/",
                    f"/jobs/{import_job.job_id}/", f"/api/jobs/{import_job.job_id}/"):
            assert client.get(url).status_code == 404, (user.username, url)
    assert Job.objects.get(pk=import_job.job_id).status == "queued"
