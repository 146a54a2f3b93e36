"""The job status page, its polling fragment and ``/api/jobs/``: the creator sees the job; a manager sees a job
holding no identifying data; anyone else gets 404, as for a missing job, and the refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.jobs.models import Job
from palermo.jobs.services import enqueue
from palermo.jobs.worker import run_pending
from tests.conftest import verified_login
from tests.jobs import sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user_factory: Any) -> dict[str, Any]:
    return {
        "creator": user_factory("cw-ro", Role.CASE_WORKER, countries=("RO",)),
        "same_role_other_country": user_factory("cw-md", Role.CASE_WORKER, countries=("MD",)),
        "outsider": user_factory("viewer", Role.VIEWER),
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
    }


@pytest.fixture
def identifying_job(people: dict[str, Any]) -> Job:
    return enqueue(acting_user=people["creator"], kind="cases.import", label="Import of cases-2025.xlsx",
                   task=sample.add, args=[1, 2], next_url="/cases/")


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def snapshot(job: Job) -> tuple[Any, ...]:
    job = Job.objects.get(pk=job.pk)
    return (job.status, job.done, job.phase, job.error, job.result, AuditEvent.objects.count())


def test_the_creator_follows_the_job_until_it_ends(people: dict[str, Any], identifying_job: Job) -> None:
    client = client_for(people["creator"])
    page = client.get(f"/jobs/{identifying_job.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Import of cases-2025.xlsx" in text and "Waiting for a worker to take it." in text
    assert f'hx-get="/jobs/{identifying_job.pk}/progress/"' in text
    assert "<dd>cw-ro</dd>" in text and "<dd>0 of 1</dd>" in text
    run_pending()
    fragment = client.get(f"/jobs/{identifying_job.pk}/progress/").content.decode()
    assert "succeeded" in fragment and 'href="/cases/"' in fragment and "hx-get" not in fragment
    assert '&quot;sum&quot;: 3' in fragment


def test_the_fragment_shows_progress_and_a_failure_in_the_readers_language(people: dict[str, Any]) -> None:
    job = enqueue(acting_user=people["manager"], kind="test.refuse", label="Check", task=sample.refuse,
                  args=["Nothing to refresh."], identifying=False)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=25, total=200, phase="lecture")
    client = client_for(people["manager"])
    fragment = client.get(f"/jobs/{job.pk}/progress/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "en cours" in fragment and "lecture" in fragment and "25 sur 200 (12\u00a0%)" in fragment
    assert '<progress max="200" value="25">' in fragment
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="Rien à rafraîchir.",
                                         finished_at=timezone.now())
    fragment = client.get(f"/jobs/{job.pk}/progress/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "La tâche a échoué\u00a0: Rien à rafraîchir." in fragment and "hx-get" not in fragment


@pytest.mark.parametrize("who", ["same_role_other_country", "outsider", "manager"])
def test_anyone_else_gets_404_for_an_identifying_job_and_nothing_changes(
    people: dict[str, Any], identifying_job: Job, who: str
) -> None:
    client = client_for(people[who])
    before = snapshot(identifying_job)
    for url in (f"/jobs/{identifying_job.pk}/", f"/jobs/{identifying_job.pk}/progress/",
                f"/api/jobs/{identifying_job.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/jobs/").json()["results"] == []
    assert snapshot(identifying_job) == before


def test_a_missing_job_answers_the_same_404(people: dict[str, Any]) -> None:
    client = client_for(people["creator"])
    assert client.get("/jobs/999999/").status_code == 404
    assert client.get("/api/jobs/999999/").json() == {"detail": "Not found."}


def test_a_manager_sees_jobs_holding_no_identifying_data_others_do_not(
    people: dict[str, Any], identifying_job: Job
) -> None:
    job = enqueue(acting_user=people["same_role_other_country"], kind="diagnostics.refresh", label="Refresh",
                  task=sample.add, args=[1, 2], identifying=False)
    assert client_for(people["manager"]).get(f"/jobs/{job.pk}/").status_code == 200
    assert client_for(people["outsider"]).get(f"/jobs/{job.pk}/").status_code == 404
    assert client_for(people["creator"]).get(f"/jobs/{job.pk}/").status_code == 404
    listed = client_for(people["manager"]).get("/api/jobs/").json()["results"]
    assert [item["id"] for item in listed] == [job.pk]


def test_a_creator_whose_role_no_longer_sees_identifying_data_loses_the_job(
    people: dict[str, Any], identifying_job: Job
) -> None:
    creator = people["creator"]
    creator.role = Role.ANALYST
    creator.save()
    assert client_for(creator).get(f"/jobs/{identifying_job.pk}/").status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(identifying_job: Job) -> None:
    response = Client().get(f"/jobs/{identifying_job.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Client().get(f"/api/jobs/{identifying_job.pk}/").status_code in (401, 403)


def test_the_api_gives_the_creator_the_figures_the_page_polls(people: dict[str, Any], identifying_job: Job) -> None:
    run_pending()
    data = client_for(people["creator"]).get(f"/api/jobs/{identifying_job.pk}/").json()
    assert {key: data[key] for key in ("id", "kind", "label", "status", "finished", "done", "total", "percent",
                                       "phase", "result", "error", "next_url", "attempts", "max_attempts",
                                       "created_by_name", "url")} == {
        "id": identifying_job.pk, "kind": "cases.import", "label": "Import of cases-2025.xlsx",
        "status": "succeeded", "finished": True, "done": 1, "total": 2, "percent": 50, "phase": "adding",
        "result": {"sum": 3}, "error": "", "next_url": "/cases/", "attempts": 1, "max_attempts": 1,
        "created_by_name": "cw-ro", "url": f"/jobs/{identifying_job.pk}/",
    }
