"""Steering pages: who reads, who closes and records decisions; a refused request changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.jobs.models import Job
from palermo.jobs.worker import run_pending
from palermo.steering import services
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
from tests.conftest import verified_login
from tests.steering.builders import Portfolio

pytestmark = pytest.mark.django_db
READERS = (Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER, Role.NATIONAL_COORDINATOR, Role.IO_PARTNER, Role.AUDITOR)


@pytest.fixture
def meeting(portfolio: Portfolio) -> SteeringMeeting:
    return services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna")


@pytest.fixture
def users(user_factory: Callable[..., object]) -> dict[str, object]:
    return {
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "embassy-ro": user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)),
        "embassy-rs": user_factory("embassy-rs", Role.EMBASSY_OFFICER, ("RS",)),
        "partner": user_factory("partner", Role.IO_PARTNER),
        "analyst-ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
        "caseworker-ro": user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",)),
        "viewer": user_factory("viewer", Role.VIEWER),
    }


def client_for(user: object | None) -> Client:
    client = Client()
    if user is not None:
        verified_login(client, user)  # type: ignore[arg-type]
    return client


def state() -> tuple[object, ...]:
    return (
        list(SteeringMeeting.objects.values_list("year", "status")),
        Decision.objects.count(),
        FrozenReview.objects.count(),
        AuditEvent.objects.count(),
    )


READ_URLS = [
    "/steering/",
    "/steering/2024/",
    "/steering/2024/review.html?lang=fr",
    "/steering/2024/tables/budget-by-country.csv?lang=en",
]


@pytest.mark.parametrize("url", READ_URLS)
def test_portfolio_roles_read_the_committee_and_others_do_not(meeting, users, url) -> None:
    for name in ("manager", "embassy-ro", "embassy-rs", "partner"):
        assert client_for(users[name]).get(url).status_code == 200, name
    for name in ("analyst-ro", "caseworker-ro", "viewer"):
        client = client_for(users[name])
        before = state()
        assert client.get(url).status_code == 404, name
        assert state() == before
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_live_page_shows_charts_tables_and_csv(meeting, users) -> None:
    page = client_for(users["embassy-ro"]).get("/steering/2024/").content.decode()
    assert "vendor/plotly.min.js" in page and "palermo/charts.js" in page
    for chart in ("budget-by-country", "budget-by-objective", "achievement-by-country"):
        assert f'<div class="chart" id="chart-{chart}"' in page
    assert "<script>" not in page and "Plotly.newPlot" not in page  # no inline script runs before Plotly loads
    assert '<span class="badge badge-draft">draft</span>' in page and 'class="draft-banner"' in page
    assert "/steering/2024/tables/budget-by-country.csv" in page
    assert "XM-DAC-4-TEST-THB-1" in page
    csv = client_for(users["manager"]).get("/steering/2024/tables/budget-by-country.csv?lang=en").content.decode()
    assert csv.splitlines()[1:] == [
        "Romania,240000.00,50000.00,170000.00,114000.30,70.8",
        "Serbia,80000.00,0.00,65000.00,36000.20,81.3",
        "total,320000.00,50000.00,235000.00,150000.50,73.4",
    ]


def test_only_a_programme_manager_closes_a_meeting(meeting, users) -> None:
    for name in ("embassy-ro", "embassy-rs", "partner", "viewer"):
        client = client_for(users[name])
        before = state()
        assert client.post("/steering/2024/close/").status_code == 404, name
        assert state() == before
    assert client_for(None).post("/steering/2024/close/").status_code == 302
    manager = client_for(users["manager"])
    before = state()
    unconfirmed = manager.post("/steering/2024/close/", follow=True)  # the box not ticked: nothing happens
    assert state() == before and not FrozenReview.objects.exists()
    assert "Tick the box to confirm that you want to close the meeting: nothing was changed." in \
        unconfirmed.content.decode()
    response = manager.post("/steering/2024/close/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/steering/2024/"
    meeting.refresh_from_db()
    assert meeting.is_closed and meeting.closed_by == users["manager"]
    assert sorted(FrozenReview.objects.filter(meeting=meeting).values_list("language", "format")) == [
        ("en", "data"), ("en", "html"), ("en", "json"), ("fr", "data"), ("fr", "html")]  # sealed at closing; the
    # PDFs are made by the worker
    jobs = list(Job.objects.order_by("pk"))
    assert [(job.kind, job.status, job.created_by, job.next_url) for job in jobs] == [
        ("steering.review_pdf", "queued", users["manager"], f"/steering/2024/review.pdf?lang={language}")
        for language in ("en", "fr")]
    manager_page = client_for(users["manager"]).get("/steering/2024/").content.decode()
    assert "PDF of the steering review 2024 (fr)" in manager_page and f"/jobs/{jobs[1].pk}/progress/" in manager_page
    page = client_for(users["embassy-rs"]).get("/steering/2024/").content.decode()
    assert "<iframe" in page and "palermo/charts.js" not in page and "badge-draft" not in page
    assert run_pending() == 2
    assert FrozenReview.objects.filter(meeting=meeting).count() == 7  # HTML, PDF and facts in two languages, figures
    for job in jobs:
        job.refresh_from_db()
        frozen = FrozenReview.objects.get(meeting=meeting, scope="", language=job.next_url[-2:], format="pdf")
        assert (job.status, job.done, job.total, job.phase) == ("succeeded", 2, 2, "stored")
        assert job.result == {"year": 2024, "language": job.next_url[-2:], "frozen": True,
                              "bytes": len(frozen.content), "sha256": frozen.sha256}
        event = AuditEvent.objects.get(object_type="steering.frozen_review", object_id=str(frozen.pk))
        assert (event.actor, event.detail["sha256"]) == (users["manager"], frozen.sha256)
    pdf = client_for(users["embassy-ro"]).get("/steering/2024/review.pdf?lang=en")
    english = FrozenReview.objects.get(meeting=meeting, scope="", language="en", format="pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(english.content)
    assert client_for(users["manager"]).get("/steering/2024/tables/indicators.csv").status_code == 404


def test_the_pdf_of_a_draft_review_is_made_by_the_worker_then_served(meeting, users, portfolio, settings) -> None:
    partner = client_for(users["embassy-rs"])
    response = partner.get("/steering/2024/review.pdf?lang=fr")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.label, job.created_by, job.identifying, job.retryable, job.next_url) == (
        "steering.review_pdf", "PDF of the steering review 2024 (fr)", users["embassy-rs"], False, True,
        "/steering/2024/review.pdf?lang=fr")
    assert partner.get("/steering/2024/review.pdf?lang=fr")["Location"] == f"/jobs/{job.pk}/"  # the same job
    assert "Waiting for a worker to take it." in partner.get(f"/jobs/{job.pk}/").content.decode()
    assert run_pending() == 1
    job.refresh_from_db()
    drafts = list((settings.MEDIA_ROOT / "steering_drafts").iterdir())
    assert len(drafts) == 1 and drafts[0].name.startswith("review-2024-full-fr-")
    assert (job.status, job.phase, job.result["frozen"], job.result["bytes"]) == (
        "succeeded", "stored", False, drafts[0].stat().st_size)
    assert 'href="/steering/2024/review.pdf?lang=fr"' in partner.get(f"/jobs/{job.pk}/").content.decode()
    pdf = partner.get("/steering/2024/review.pdf?lang=fr")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == drafts[0].read_bytes()
    export = AuditEvent.objects.get(object_type="steering.review")
    assert (export.actor, export.detail) == (users["embassy-rs"], {
        "year": 2024, "language": "fr", "format": "pdf", "frozen": False, "version": "",
        "sha256": job.result["sha256"]})
    # The data change: the document is another, so is its PDF; the older one is dropped once the new one is made.
    services.add_decision(acting_user=SYSTEM, meeting=meeting, text_en="Later", text_fr="Plus tard", owner="MEAE")
    again = partner.get("/steering/2024/review.pdf?lang=fr")
    assert again.status_code == 302 and Job.objects.count() == 2
    run_pending()
    assert [path.name for path in (settings.MEDIA_ROOT / "steering_drafts").iterdir()] != [drafts[0].name]
    assert len(list((settings.MEDIA_ROOT / "steering_drafts").iterdir())) == 1


def test_a_refused_reader_queues_no_pdf(meeting, users) -> None:
    for name in ("analyst-ro", "caseworker-ro", "viewer"):
        client = client_for(users[name])
        before = state()
        assert client.get("/steering/2024/review.pdf?lang=en").status_code == 404, name
        assert state() == before
    assert Job.objects.count() == 0


def test_only_a_programme_manager_records_a_decision(meeting, users, portfolio) -> None:
    form = {
        "text_en": "Merge the two actions",
        "text_fr": "Fusionner les deux actions",
        "owner": "MEAE",
        "due_date": "2025-12-31",
        "actions": "XM-DAC-4-TEST-THB-1\nXM-DAC-4-TEST-THB-3",
    }
    for name in ("embassy-ro", "embassy-rs", "caseworker-ro"):
        client = client_for(users[name])
        before = state()
        assert client.post("/steering/2024/decisions/new/", form).status_code == 404, name
        assert client.get("/steering/2024/decisions/new/").status_code == 404, name
        assert state() == before
    response = client_for(users["manager"]).post("/steering/2024/decisions/new/", form)
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.owner == "MEAE" and decision.due_date == date(2025, 12, 31)
    assert sorted(decision.actions.values_list("iati_identifier", flat=True)) == [
        "XM-DAC-4-TEST-THB-1",
        "XM-DAC-4-TEST-THB-3",
    ]
    assert AuditEvent.objects.filter(object_type="steering.decision", actor_username="manager").count() == 1


def test_a_decision_naming_an_unknown_action_is_refused_and_changes_nothing(meeting, users) -> None:
    client = client_for(users["manager"])
    before = state()
    response = client.post(
        "/steering/2024/decisions/new/", {"text_en": "x", "text_fr": "x", "owner": "MEAE", "actions": "NO-SUCH-ACTION"}
    )
    assert response.status_code == 200
    assert "No action has the identifier: NO-SUCH-ACTION" in response.content.decode()
    assert state() == before


def test_only_a_programme_manager_creates_a_meeting(users, portfolio) -> None:
    form = {"year": "2023", "date": "2024-02-15", "place": "Paris", "participants": "MEAE"}
    for name in ("embassy-ro", "partner", "viewer"):
        client = client_for(users[name])
        before = state()
        assert client.post("/steering/new/", form).status_code == 404, name
        assert state() == before
    bad = client_for(users["manager"]).post("/steering/new/", {**form, "date": "2022-05-01"})
    assert "The committee meets after the year it reviews." in bad.content.decode()
    assert client_for(users["manager"]).post("/steering/new/", form).status_code == 302
    assert SteeringMeeting.objects.get().place == "Paris"


def test_a_tampered_frozen_review_is_not_served(meeting, users) -> None:
    services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    FrozenReview.objects.filter(language="fr").update(content=b"forged")
    response = client_for(users["manager"]).get("/steering/2024/review.html?lang=fr")
    assert response.status_code == 409 and b"forged" not in response.content


def test_a_tampered_frozen_pdf_is_not_served_nor_made_again(meeting, users) -> None:
    services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    FrozenReview.objects.create(meeting=meeting, language="en", format="pdf", content=b"%PDF-1.7 frozen",
                                sha256=FrozenReview.digest(b"%PDF-1.7 frozen"))
    assert client_for(users["embassy-rs"]).get("/steering/2024/review.pdf?lang=en").content == b"%PDF-1.7 frozen"
    FrozenReview.objects.filter(format="pdf").update(content=b"forged")
    response = client_for(users["embassy-rs"]).get("/steering/2024/review.pdf?lang=en")
    assert response.status_code == 409 and b"forged" not in response.content
    assert Job.objects.count() == 0
