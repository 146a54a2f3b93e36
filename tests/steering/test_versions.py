"""Who reads the full review and who reads the version of their scope, through every channel: the meeting page,
the review's HTML and PDF, the tables' CSV and XLSX, the API; draft and closed. Nothing of another country leaks;
an outsider gets 404 and changes nothing."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.jobs.models import Job
from palermo.jobs.worker import run_pending
from palermo.programme.models import Action, Transaction
from palermo.steering import services
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
from tests.conftest import verified_login
from tests.steering.builders import Portfolio

pytestmark = pytest.mark.django_db
ROMANIAN = "XM-DAC-4-TEST-THB-1"  # bilateral, Romania only: implemented in 2024
SERBIAN = "XM-DAC-4-TEST-THB-3"  # bilateral, Serbia only: proposed for 2025
JOINT = "XM-DAC-4-TEST-THB-2"  # multilateral, 60 % Romania / 40 % Serbia, with Test UNODC
SERBIA_EXPENDED = "36,000.20"  # Serbia's expenditure in 2024, in the full review only


@pytest.fixture
def meeting(portfolio: Portfolio) -> SteeringMeeting:
    meeting = services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna")
    for text, actions in (("Extend the shelter programme", [portfolio.bilateral]),
                          ("Start the labour inspection pipeline", [portfolio.pipeline]),
                          ("Merge the two bilateral actions", [portfolio.bilateral, portfolio.pipeline]),
                          ("Hold the next committee in Paris", [])):
        services.add_decision(acting_user=SYSTEM, meeting=meeting, text_en=text, text_fr=text, owner="MEAE",
                              actions=actions)
    return meeting


@pytest.fixture
def users(user_factory: Callable[..., Any], portfolio: Portfolio) -> dict[str, Any]:
    unodc = portfolio.multilateral.participations.get(role=4).organisation
    return {
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "coordinator-ro": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
        "coordinator-rs": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
        "partner-unodc": user_factory("partner-unodc", Role.IO_PARTNER, organisation=unodc),
        "analyst-ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
    }


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def state() -> tuple[object, ...]:
    return (list(SteeringMeeting.objects.values_list("year", "status")), Decision.objects.count(),
            FrozenReview.objects.count(), Job.objects.count(), AuditEvent.objects.count())


def csv_text(client: Client, table: str) -> str:
    response = client.get(f"/steering/2024/tables/{table}.csv?lang=en")
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_the_manager_reads_the_full_review_and_each_coordinator_the_version_of_their_country(meeting, users) -> None:
    manager, romania, serbia = (client_for(users[name]) for name in ("manager", "coordinator-ro", "coordinator-rs"))
    full = manager.get("/steering/2024/review.html?lang=en").content.decode()
    assert ROMANIAN in full and SERBIAN in full and SERBIA_EXPENDED in full
    assert "Version for" not in full
    for client, own, other, country in ((romania, ROMANIAN, SERBIAN, "Romania"), (serbia, SERBIAN, ROMANIAN, "Serbia")):
        page = client.get("/steering/2024/").content.decode()
        document = client.get("/steering/2024/review.html?lang=en").content.decode()
        for text in (page, document):
            assert f"Version for {country}." in text
            assert "The full review is held by the programme management." in text
            assert own in text and JOINT in text and other not in text
        assert ("Serbia" in document) == (country == "Serbia") and ("Romania" in document) == (country == "Romania")
    french = romania.get("/steering/2024/review.html?lang=fr").content.decode()
    assert "Version pour Roumanie." in french and SERBIAN not in french
    assert "La revue complète est détenue par la direction du programme." in french
    romanian = romania.get("/steering/2024/review.html?lang=en").content.decode()
    assert SERBIA_EXPENDED not in romanian and "Start the labour inspection pipeline" not in romanian
    assert "Extend the shelter programme" in romanian
    for text in ("Merge the two bilateral actions", "Hold the next committee in Paris"):  # the full review's only
        assert text not in romanian and text in full


def test_the_tables_of_a_version_count_only_its_country(meeting, users) -> None:
    manager, romania, serbia = (client_for(users[name]) for name in ("manager", "coordinator-ro", "coordinator-rs"))
    assert csv_text(manager, "budget-by-country").splitlines()[1:] == [
        "Romania,240000.00,50000.00,170000.00,114000.30,70.8",
        "Serbia,80000.00,0.00,65000.00,36000.20,81.3",
        "total,320000.00,50000.00,235000.00,150000.50,73.4",
    ]
    assert csv_text(romania, "budget-by-country").splitlines()[1:] == [
        "Romania,240000.00,50000.00,170000.00,114000.30,70.8",
        "total,240000.00,50000.00,170000.00,114000.30,70.8",
    ]
    assert csv_text(serbia, "budget-by-country").splitlines()[1:] == [
        "Serbia,80000.00,0.00,65000.00,36000.20,81.3",
        "total,80000.00,0.00,65000.00,36000.20,81.3",
    ]
    # Romania's 60 % of the joint action, split by its objectives (60 % objective 3, 40 % objective 4).
    assert [row.split(",")[1:4] for row in csv_text(romania, "budget-by-objective").splitlines()[1:]] == [
        ["120000.00", "50000.00", "80000.00"], ["72000.00", "0.00", "54000.00"], ["48000.00", "0.00", "36000.00"],
        ["240000.00", "50000.00", "170000.00"]]
    assert SERBIAN in csv_text(manager, "pipeline") and SERBIAN in csv_text(serbia, "pipeline")
    assert csv_text(romania, "pipeline").splitlines()[1:] == []
    assert ROMANIAN not in csv_text(serbia, "implemented") and ROMANIAN in csv_text(romania, "implemented")
    assert [row.split(",")[0] for row in csv_text(romania, "decisions").splitlines()[1:]] == [
        "Extend the shelter programme"]
    workbook = load_workbook(io.BytesIO(serbia.get("/steering/2024/tables/implemented.xlsx?lang=en").content))
    cells = [str(cell.value) for row in workbook.active.iter_rows() for cell in row]
    assert JOINT in cells and not any(ROMANIAN in cell for cell in cells)
    export = AuditEvent.objects.filter(object_type="steering.review_table").latest("seq")
    assert (export.actor, export.detail["version"], export.detail["format"]) == (users["coordinator-rs"], "RS", "xlsx")


def test_the_api_serves_each_reader_the_figures_and_decisions_of_their_version(meeting, users) -> None:
    def figures(name: str) -> dict[str, Any]:
        return client_for(users[name]).get("/api/steering/meetings/2024/").json()["figures"]

    def decisions(name: str) -> list[str]:
        return [d["text_en"] for d in client_for(users[name]).get("/api/steering/decisions/").json()["results"]]

    assert figures("manager")["money"]["disbursed"] == "235000.00"
    assert figures("coordinator-ro")["money"]["disbursed"] == "170000.00"
    assert figures("coordinator-rs")["money"]["disbursed"] == "65000.00"
    assert list(figures("coordinator-rs")["money_by_country"]) == ["RS"]
    assert figures("coordinator-rs")["proposal"]["pipeline"] == 1 and figures("coordinator-ro")["proposal"][
        "pipeline"] == 0
    assert len(decisions("manager")) == 4
    assert decisions("coordinator-ro") == ["Extend the shelter programme"]
    assert decisions("coordinator-rs") == ["Start the labour inspection pipeline"]
    assert decisions("partner-unodc") == []
    listed = client_for(users["coordinator-rs"]).get("/api/steering/meetings/").json()["results"]
    serbian = Decision.objects.get(text_en="Start the labour inspection pipeline")
    assert [m["decisions"] for m in listed] == [[serbian.pk]]
    hidden = Decision.objects.get(text_en="Extend the shelter programme")
    assert client_for(users["coordinator-rs"]).get(f"/api/steering/decisions/{hidden.pk}/").status_code == 404


def test_a_partner_reads_the_version_of_its_organisation(meeting, users) -> None:
    partner = client_for(users["partner-unodc"])
    document = partner.get("/steering/2024/review.html?lang=en").content.decode()
    assert "Version for Test UNODC." in document
    assert "It holds only the actions in which this organisation takes part." in document
    assert JOINT in document and ROMANIAN not in document and SERBIAN not in document
    money = client_for(users["partner-unodc"]).get("/api/steering/meetings/2024/").json()["figures"]["money"]
    assert (money["budget"], money["disbursed"], money["expended"]) == ("200000.00", "150000.00", "90000.50")


def test_an_outsider_gets_404_everywhere_and_changes_nothing(meeting, users) -> None:
    outsider = client_for(users["analyst-ro"])
    before = state()
    for url in ("/steering/", "/steering/2024/", "/steering/2024/review.html?lang=en",
                "/steering/2024/review.pdf?lang=en", "/steering/2024/tables/implemented.csv",
                "/steering/2024/tables/implemented.xlsx", "/api/steering/meetings/2024/"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.get("/api/steering/decisions/").json()["results"] == []
    assert state() == before


def test_the_pdf_of_a_draft_version_is_made_from_that_version(meeting, users, settings, monkeypatch) -> None:
    monkeypatch.setattr("palermo.steering.review.computed_at", lambda: "2025-02-01 10:00")  # one document
    romania, manager = client_for(users["coordinator-ro"]), client_for(users["manager"])
    assert romania.get("/steering/2024/review.pdf?lang=en").status_code == 302
    first = Job.objects.get()
    assert first.label == "PDF of the steering review 2024, version for Romania (en)"
    assert manager.get("/steering/2024/review.pdf?lang=en").status_code == 302
    assert Job.objects.count() == 2  # the manager does not follow the job making Romania's version
    assert run_pending() == 2
    document = romania.get("/steering/2024/review.html?lang=en").content
    assert SERBIAN not in document.decode() and ROMANIAN in document.decode()
    digest = hashlib.sha256(re.sub(rb'<span class="computed-at">[^<]*</span>', b"", document)).hexdigest()
    drafts = sorted(path.name for path in (settings.MEDIA_ROOT / "steering_drafts").iterdir())
    assert f"review-2024-RO-en-{digest}.pdf" in drafts and len(drafts) == 2
    pdf = romania.get("/steering/2024/review.pdf?lang=en")
    assert pdf.content == (settings.MEDIA_ROOT / "steering_drafts" / f"review-2024-RO-en-{digest}.pdf").read_bytes()
    assert pdf.content != manager.get("/steering/2024/review.pdf?lang=en").content
    export = AuditEvent.objects.filter(object_type="steering.review", actor_username="coordinator-ro").latest("seq")
    assert (export.detail["format"], export.detail["version"]) == ("pdf", "RO")


def test_a_closed_meeting_serves_each_version_drawn_from_the_frozen_facts(meeting, users, portfolio) -> None:
    services.close_meeting(acting_user=users["manager"], meeting=meeting, with_pdf=False)
    seal = AuditEvent.objects.get(object_type="steering.meeting", detail__closed=True).detail["sha256"]
    facts = FrozenReview.objects.get(scope="", language="en", format="data")
    assert seal["en.data.json"] == facts.sha256
    # The data change after closing: no version follows.
    Transaction.objects.create(action=portfolio.bilateral, transaction_type=3, date=date(2024, 11, 1),
                               value=Decimal("5000"))
    Action.objects.filter(pk=portfolio.pipeline.pk).update(title_en="Renamed after the meeting")
    romania, serbia = client_for(users["coordinator-ro"]), client_for(users["coordinator-rs"])
    before = FrozenReview.objects.count()
    document = romania.get("/steering/2024/review.html?lang=en").content.decode()
    assert "Version for Romania." in document and 'class="draft-banner"' not in document
    assert ROMANIAN in document and SERBIAN not in document and "170,000.00" in document
    serbian = serbia.get("/steering/2024/review.html?lang=en").content.decode()
    assert SERBIAN in serbian and "<td>Action XM-DAC-4-TEST-THB-3</td>" in serbian and "Renamed" not in serbian
    assert ROMANIAN not in serbian
    stored = FrozenReview.objects.get(scope="RO", language="en", format="html")
    assert bytes(stored.content).decode() == document and FrozenReview.objects.count() == before + 2
    made = AuditEvent.objects.get(object_type="steering.frozen_review", object_id=str(stored.pk))
    assert (made.actor, made.detail["version"], made.detail["made_from"]) == (
        users["coordinator-ro"], "RO", facts.sha256)
    assert romania.get("/steering/2024/review.html?lang=en").content.decode() == document  # made once
    assert FrozenReview.objects.count() == before + 2
    detail = romania.get("/api/steering/meetings/2024/").json()
    assert detail["figures_frozen"] is True and detail["figures"]["money"]["disbursed"] == "170000.00"
    again = romania.get("/api/steering/meetings/2024/").json()  # the version's figures were frozen by the first
    assert {(f["language"], f["format"]) for f in again["frozen"]} == {("en", "html"), ("en", "json")}
    assert again["figures"] == detail["figures"]
    # Its PDF is made by the worker from the frozen version.
    assert romania.get("/steering/2024/review.pdf?lang=en").status_code == 302
    run_pending()
    pdf = FrozenReview.objects.get(scope="RO", language="en", format="pdf")
    assert romania.get("/steering/2024/review.pdf?lang=en").content == bytes(pdf.content)
    made = AuditEvent.objects.get(object_type="steering.frozen_review", object_id=str(pdf.pk))
    assert made.detail["made_from"] == stored.sha256
    full = client_for(users["manager"]).get("/steering/2024/review.html?lang=en").content
    assert full == bytes(FrozenReview.objects.get(scope="", language="en", format="html").content)
    assert SERBIAN in full.decode() and ROMANIAN in full.decode()
    assert romania.get("/steering/2024/tables/implemented.csv").status_code == 404  # the frozen review is the record


def test_a_meeting_closed_before_the_versions_gives_its_version_to_no_one(meeting, users) -> None:
    services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    FrozenReview.objects.filter(format="data").delete()  # as closed before the facts were kept
    romania = client_for(users["coordinator-ro"])
    page = romania.get("/steering/2024/").content.decode()
    assert "This meeting was closed before the readers' versions were kept" in page and "<iframe" not in page
    before = state()
    assert romania.get("/steering/2024/review.html?lang=en").status_code == 404
    assert romania.get("/steering/2024/review.pdf?lang=en").status_code == 404
    assert romania.get("/api/steering/meetings/2024/").json()["figures"] is None
    assert state() == before
    assert client_for(users["manager"]).get("/steering/2024/review.html?lang=en").status_code == 200


def test_the_frozen_facts_give_back_the_frozen_full_review_byte_for_byte(meeting) -> None:
    from palermo.steering.record import review_from_record
    from palermo.steering.report import render_review

    meeting = services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    for language in ("en", "fr"):
        facts = FrozenReview.objects.get(scope="", language=language, format="data")
        frozen = FrozenReview.objects.get(scope="", language=language, format="html")
        assert render_review(meeting, review_from_record(bytes(facts.content)), language) == bytes(frozen.content)
