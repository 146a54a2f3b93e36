"""Reach rolls up from the campaign's periods to the funding action's indicator (the people-reached feed) and to
the steering committee's review of the year (page, HTML document and PDF); the gap list reaches its proposal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.awareness import reach, services
from palermo.programme import services as programme
from palermo.programme.models import Indicator, Period, PeriodDisaggregation, Result
from palermo.steering import report
from palermo.steering import services as steering
from tests.awareness.conftest import reach_data
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(world):
    manager = world["users"]["manager"]
    result = programme.save_result(acting_user=manager, action=world["actions"]["ro"],
                                   result_type=Result.Type.OUTPUT, title_en="People warned")
    indicator = programme.save_indicator(acting_user=manager, result=result, title_en="People reached",
                                         measure=Indicator.Measure.UNIT, disaggregated_by_sex=True,
                                         disaggregated_by_age=True, measured_by=reach.FEED_KEY)
    period = programme.save_period(acting_user=manager, indicator=indicator, period_start=date(2024, 1, 1),
                                   period_end=date(2024, 12, 31), target=D("5000"))
    return world, period


def test_a_reach_period_sets_the_actual_of_the_funding_actions_measured_indicator(measured) -> None:
    world, period = measured
    assert Period.objects.get(pk=period.pk).actual is None
    before = AuditEvent.objects.count()
    recorded = services.record_reach(acting_user=world["users"]["coordinator-ro"], campaign=world["campaign"],
                                     data=reach_data())
    assert Period.objects.get(pk=period.pk).actual == D("3412.00")
    assert sorted(PeriodDisaggregation.objects.filter(period=period).values_list("dimension", "value", "actual")) == [
        ("age", "18-24", D("3000.00")), ("age", "25-39", D("400.00")), ("age", "40+", D("12.00")),
        ("sex", "female", D("2500.00")), ("sex", "male", D("900.00")), ("sex", "other", D("12.00"))]
    events = list(AuditEvent.objects.order_by("seq")[before:].values_list("object_type", "action"))
    assert events == [("awareness.reachperiod", "create"), ("programme.period", "update")]
    # a correction follows too
    services.update_reach(acting_user=world["users"]["manager"], period=recorded,
                          data=reach_data(counts=[("social_media", "female", "18-24", 100)]))
    assert Period.objects.get(pk=period.pk).actual == D("100.00")
    # a reach period ending in another year does not count in the 2024 period
    services.record_reach(acting_user=world["users"]["manager"], campaign=world["campaign"],
                          data=reach_data(start=date(2024, 12, 1), end=date(2024, 12, 31),
                                          counts=[("job_fairs", "male", "25-39", 7)]))
    assert Period.objects.get(pk=period.pk).actual == D("107.00")
    assert reach.people_reached(world["actions"]["iom"].pk, date(2024, 1, 1), date(2024, 12, 31)) is None


def pdf_text(document: bytes) -> str:
    """The text WeasyPrint lays out on the PDF's pages (the same rendering ``report.render_pdf`` writes)."""
    from weasyprint import HTML

    texts: list[str] = []

    def walk(box: object) -> None:
        if isinstance(getattr(box, "text", None), str):
            texts.append(box.text)  # type: ignore[attr-defined]
        for child in getattr(box, "children", []):
            walk(child)

    for page in HTML(string=document.decode("utf-8")).render().pages:
        walk(page._page_box)
    return " ".join(texts)


def test_the_reach_of_the_year_is_in_the_steering_review_page_document_and_pdf(measured) -> None:
    world, _period = measured
    services.record_reach(acting_user=world["users"]["manager"], campaign=world["campaign"], data=reach_data())
    meeting = steering.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna")
    client = Client()
    verified_login(client, world["users"]["manager"])
    page = client.get("/steering/2024/").content.decode()
    assert "Awareness campaigns: people reached, periods ending in 2024" in page
    assert "Safe jobs abroad" in page and "3,412" in page
    assert "+25.0 points (95 % interval +12.2 to +36.6)" in page.replace("\u00a0", " ")
    document = report.render_document(meeting, "en").decode()
    assert "Awareness campaigns: people reached, periods ending in 2024" in document and "3,412" in document
    french = report.render_document(meeting, "fr").decode()
    assert "Campagnes de sensibilisation" in french and "3\u00a0412" in french.replace("\u202f", "\u00a0")
    assert report.render_pdf(document.encode()).startswith(b"%PDF-")
    laid_out = " ".join(pdf_text(document.encode()).split())
    assert "Awareness campaigns: people reached, periods ending in 2024" in laid_out
    assert "Safe jobs abroad" in laid_out and "3,412" in laid_out


def test_the_proposal_for_next_year_lists_the_high_risk_profiles_no_campaign_reaches(measured) -> None:
    _world, _period = measured
    meeting = steering.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna")
    document = report.render_document(meeting, "en").decode()
    assert "High-risk profiles no awareness campaign reaches" in document
