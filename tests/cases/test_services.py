"""The services of the cases app: the rules they apply, what they read themselves, what they audit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases import services
from palermo.cases.models import Case, ImportJob, StatusChange
from palermo.cases.samples import HTCDS_COLUMNS
from palermo.jobs.models import Job
from palermo.reference.models import Country
from tests.cases.conftest import sample_rows


@pytest.fixture
def people(user_factory: Any, organisation_factory: Any) -> dict[str, User]:
    ngo_al = organisation_factory("NGO-AL", country="AL")
    return {
        "case_worker": user_factory("cw-al", Role.CASE_WORKER, ("AL",), organisation=ngo_al),
        "other_country": user_factory("cw-rs", Role.CASE_WORKER, ("RS",),
                                      organisation=organisation_factory("NGO-RS", country="RS")),
        "outsider": user_factory("viewer", Role.VIEWER),
    }


@pytest.fixture
def case(people: dict[str, User]) -> Case:
    organisation = people["case_worker"].organisation
    assert organisation is not None
    report = services.import_rows(HTCDS_COLUMNS, sample_rows(1), layout="htcds", source="seed",
                                  organisation=organisation, country="AL", acting_user=SYSTEM.running("test"))
    assert report.ok, report.as_dict()
    return Case.objects.get()


def test_update_case_compares_with_the_stored_case_whatever_the_caller_passes(people, case) -> None:
    case_worker = people["case_worker"]
    stale = Case.objects.get(pk=case.pk)  # read before the first edit, saved after it
    route = services.Route.of(case)
    case.trafficking_status, case.status_decided_by = "actual", "Police"
    services.update_case(acting_user=case_worker, case=case, forms=case.form_codes(), route=route)
    stale.gender = "Masculine"
    services.update_case(acting_user=case_worker, case=stale, forms=[], route=route)

    first, second = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).order_by("seq")
    assert first.detail["fields"] == ["status_decided_by", "trafficking_status"]
    # the stale object also puts back the old status and drops the forms: the audit row says so
    assert second.detail["fields"] == ["forms", "gender", "status_decided_by", "trafficking_status"]
    assert list(StatusChange.objects.filter(case=case).values_list("status", flat=True)) == [
        "possible", "actual", "possible"]


def test_update_case_refuses_what_the_case_worker_may_not_edit_and_changes_nothing(people, case) -> None:
    route = services.Route.of(case)
    before = (AuditEvent.objects.count(), Case.objects.get(pk=case.pk).updated_at)
    for name in ("other_country", "outsider"):
        case.gender = "Masculine"
        with pytest.raises(Http404):
            services.update_case(acting_user=people[name], case=case, forms=[], route=route)
    case.owner_country = Country.objects.get(pk="RS")  # moving the case out of the case worker's countries
    with pytest.raises(Http404):
        services.update_case(acting_user=people["case_worker"], case=case, forms=[], route=route)
    assert (AuditEvent.objects.count(), Case.objects.get(pk=case.pk).updated_at) == before
    assert Case.objects.get(pk=case.pk).gender != "Masculine"


def test_an_import_job_is_recorded_by_the_service_with_its_audit_row(people, settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    case_worker = people["case_worker"]
    assert case_worker.organisation is not None
    job = services.create_import_job(
        acting_user=case_worker, upload=SimpleUploadedFile("cases.CSV", b"prs_Gender\nFeminine\n"), layout="htcds",
        source="upload", organisation=case_worker.organisation, owner_country=Country.objects.get(pk="AL"))
    assert (job.created_by, job.status, job.file_name, job.owner_country_id) == (case_worker, "pending", "cases.CSV",
                                                                                 "AL")
    assert Path(job.file_path).read_bytes() == b"prs_Gender\nFeminine\n" and job.file_path.endswith(".csv")
    assert job.job is not None
    assert (job.job.kind, job.job.status, job.job.created_by, job.job.retryable) == (
        "cases.import", "queued", case_worker, True)
    assert AuditEvent.objects.get(object_type="jobs.job").detail == {
        "kind": "cases.import", "identifying": True, "retryable": True}  # the file name stays out of the log
    event = AuditEvent.objects.get(object_type="cases.importjob")
    assert (event.action, event.actor_username, event.object_id, event.country, event.detail) == (
        "create", "cw-al", str(job.pk), "AL",
        {"file": "cases.CSV", "layout": "htcds", "source": "upload", "organisation": case_worker.organisation_id})


def test_a_refused_import_job_keeps_no_file_and_writes_nothing(people, settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    organisation = people["case_worker"].organisation
    assert organisation is not None
    for name, country in (("other_country", "AL"), ("outsider", "AL"), ("case_worker", "RS")):
        with pytest.raises(Http404):
            services.create_import_job(
                acting_user=people[name], upload=SimpleUploadedFile("c.csv", b"x"), layout="htcds", source="s",
                organisation=organisation, owner_country=Country.objects.get(pk=country))
    assert (ImportJob.objects.count(), Job.objects.count(), AuditEvent.objects.count()) == (0, 0, 0)
    assert not (tmp_path / "case_imports").exists()


def test_imports_and_key_rotation_refuse_a_person_outside_their_rules(people, tmp_path: Path) -> None:
    organisation = people["case_worker"].organisation
    assert organisation is not None
    for name in ("other_country", "outsider"):
        with pytest.raises(PermissionDenied):
            services.import_rows(HTCDS_COLUMNS, sample_rows(1), layout="htcds", source="x",
                                 organisation=organisation, country="AL", acting_user=people[name])
    with pytest.raises(PermissionDenied):
        list(services.rotate(acting_user=people["case_worker"]))
    assert (Case.objects.count(), AuditEvent.objects.count()) == (0, 0)
