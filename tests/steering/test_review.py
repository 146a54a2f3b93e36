# ruff: noqa: S608 - table names come from model metadata, values are bound parameters
"""The review of a past year: its figures equal the database's, it renders as HTML and PDF, and once
the meeting is closed it no longer moves."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.programme.models import Action, ActionCountry, ActionObjective, Budget, Indicator, Period, Transaction
from palermo.reference.models import Objective
from palermo.steering import services
from palermo.steering.models import FrozenReview, SteeringMeeting
from palermo.steering.review import build_review
from tests.steering.builders import Portfolio

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")
YEAR_START, YEAR_END = date(2024, 1, 1), date(2024, 12, 31)


def money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def sql_transactions_by(kind: int, share_model: type, key: str) -> dict[object, Decimal]:
    query = (
        f"SELECT s.{key}, SUM(t.value * s.percentage / 100) FROM {table(Transaction)} t "
        f"JOIN {table(Action)} a ON a.id = t.action_id JOIN {table(share_model)} s ON s.action_id = a.id "
        f"WHERE a.is_external = %s AND t.transaction_type = %s AND t.date BETWEEN %s AND %s GROUP BY s.{key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [False, kind, YEAR_START, YEAR_END])
        return {row[0]: money(row[1]) for row in cursor.fetchall()}


def sql_total(kind: int) -> Decimal:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT SUM(t.value) FROM {table(Transaction)} t JOIN {table(Action)} a ON a.id = t.action_id "
            "WHERE a.is_external = %s AND t.transaction_type = %s AND t.date BETWEEN %s AND %s",
            [False, kind, YEAR_START, YEAR_END],
        )
        return money(cursor.fetchone()[0])


def sql_budget() -> Decimal:
    budget = table(Budget)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT SUM(b.value) FROM {budget} b JOIN {table(Action)} a ON a.id = b.action_id "
            "WHERE a.is_external = %s AND b.period_start BETWEEN %s AND %s AND (b.budget_type = 2 OR NOT EXISTS ("
            f"SELECT 1 FROM {budget} r WHERE r.action_id = b.action_id AND r.budget_type = 2 "
            "AND r.period_start BETWEEN %s AND %s))",
            [False, YEAR_START, YEAR_END, YEAR_START, YEAR_END],
        )
        return money(cursor.fetchone()[0])


def sql_achievement() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), SUM(CASE WHEN (i.ascending = %s AND p.actual >= p.target) OR "
            "(i.ascending = %s AND p.actual <= p.target) THEN 1 ELSE 0 END) "
            f"FROM {table(Period)} p JOIN {table(Indicator)} i ON i.id = p.indicator_id "
            "JOIN programme_result r ON r.id = i.result_id JOIN programme_action a ON a.id = r.action_id "
            "WHERE a.is_external = %s AND p.period_end BETWEEN %s AND %s AND p.target IS NOT NULL "
            "AND p.actual IS NOT NULL AND i.measure <> 5",
            [True, False, False, YEAR_START, YEAR_END],
        )
        count, met = cursor.fetchone()
        return int(count), int(met or 0)


def test_the_stock_take_of_2024_equals_the_database_aggregates(portfolio: Portfolio) -> None:
    take = build_review(2024).stock_take
    assert take.money.disbursed == sql_total(3) == Decimal("235000.00")
    assert take.money.expended == sql_total(4) == Decimal("150000.50")
    assert take.money.committed == sql_total(2) == Decimal("50000.00")
    assert take.money.budget == sql_budget() == Decimal("320000.00")  # the revised 120,000 replaces 100,000
    by_country = sql_transactions_by(3, ActionCountry, "country_id")
    assert (
        {code: m.disbursed for code, m in take.money_by_country.items()}
        == by_country
        == {"RO": Decimal("170000.00"), "RS": Decimal("65000.00")}
    )
    by_objective = sql_transactions_by(4, ActionObjective, "objective_id")
    numbers = dict(Objective.objects.values_list("pk", "number"))
    expended = {number: m.expended for number, m in take.money_by_objective.items() if m.expended}
    assert expended == {numbers[pk]: value for pk, value in by_objective.items()}
    assert expended == {2: Decimal("60000.00"), 3: Decimal("54000.30"), 4: Decimal("36000.20")}
    assert (take.achievement.assessed, take.achievement.met) == sql_achievement() == (3, 2)
    assert [line.identifier for line in take.implemented] == ["XM-DAC-4-TEST-THB-1", "XM-DAC-4-TEST-THB-2"]
    assert take.money.disbursement_rate == Decimal("73.4")


def test_the_proposal_lists_the_pipeline_and_the_gaps_of_the_next_year(portfolio: Portfolio) -> None:
    proposal = build_review(2024).proposal
    assert proposal.year == 2025
    assert [line.identifier for line in proposal.pipeline] == ["XM-DAC-4-TEST-THB-3"]
    assert ("AL", 1) in proposal.gaps.uncovered_cells
    assert ("RO", 2) not in proposal.gaps.uncovered_cells  # the bilateral action runs in Romania in 2025
    assert ("minors", "RO") in proposal.gaps.uncovered_groups


def _meeting() -> SteeringMeeting:
    return services.create_meeting(
        acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna", participants="MEAE\nUNODC"
    )


def test_the_review_renders_as_html_and_pdf_in_both_languages(portfolio: Portfolio) -> None:
    meeting = _meeting()
    english = services.review_bytes(acting_user=SYSTEM, meeting=meeting, language="en", fmt="html").decode()
    french = services.review_bytes(acting_user=SYSTEM, meeting=meeting, language="fr", fmt="html").decode()
    assert "235,000.00" in english and "Steering committee review 2024" in english
    assert re.search(r"235\s000,00", french)  # French grouping (a no-break space) and decimal comma
    assert "<svg" in english and "XM-DAC-4-TEST-THB-3" in english
    pdf = services.review_bytes(acting_user=SYSTEM, meeting=meeting, language="en", fmt="pdf")
    assert pdf.startswith(b"%PDF-")
    from weasyprint import HTML

    document = HTML(string=english).render()
    assert len(document.pages) >= 2
    text = " ".join(_texts(page._page_box) for page in document.pages)
    assert "235,000.00" in text and "XM-DAC-4-TEST-THB-1" in text


def _texts(box: object) -> str:
    found = [getattr(box, "text", "") or ""]
    for child in getattr(box, "children", []) or []:
        found.append(_texts(child))
    return " ".join(part for part in found if part)


def test_a_closed_review_is_frozen_and_does_not_follow_later_changes(portfolio: Portfolio) -> None:
    meeting = _meeting()
    services.close_meeting(acting_user=SYSTEM, meeting=meeting)
    frozen = {(r.language, r.format): (bytes(r.content), r.sha256) for r in FrozenReview.objects.all()}
    assert set(frozen) == {("en", "html"), ("fr", "html"), ("en", "pdf"), ("fr", "pdf"), ("en", "json"),
                           ("en", "data"), ("fr", "data")}
    Transaction.objects.create(
        action=portfolio.bilateral, transaction_type=3, date=date(2024, 11, 1), value=Decimal("5000")
    )
    Action.objects.filter(pk=portfolio.bilateral.pk).update(title_en="Renamed after the meeting")
    meeting.refresh_from_db()
    for (language, fmt), (content, digest) in frozen.items():
        served = services.review_bytes(acting_user=SYSTEM, meeting=meeting, language=language, fmt=fmt)
        assert served == content
        assert FrozenReview.digest(served) == digest
    assert "235,000.00" in frozen[("en", "html")][0].decode()
    with translation.override("en"):
        assert build_review(2024).stock_take.money.disbursed == Decimal("240000.00")


def test_a_frozen_pdf_made_later_comes_from_the_frozen_html(portfolio: Portfolio) -> None:
    meeting = _meeting()
    meeting = services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    Transaction.objects.create(
        action=portfolio.bilateral, transaction_type=3, date=date(2024, 11, 1), value=Decimal("5000")
    )
    pdf = services.review_bytes(acting_user=SYSTEM, meeting=meeting, language="en", fmt="pdf")
    stored = FrozenReview.objects.get(meeting=meeting, language="en", format="pdf")
    assert pdf.startswith(b"%PDF-") and bytes(stored.content) == pdf
    assert services.review_bytes(acting_user=SYSTEM, meeting=meeting, language="en", fmt="pdf") == pdf


def test_an_altered_frozen_review_is_detected(portfolio: Portfolio) -> None:
    meeting = _meeting()
    meeting = services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    FrozenReview.objects.filter(meeting=meeting, language="en").update(content=b"<html>forged</html>")
    with pytest.raises(services.FrozenReviewAltered):
        services.review_bytes(acting_user=SYSTEM, meeting=meeting, language="en", fmt="html")


def test_closing_is_audited_and_cannot_happen_twice(portfolio: Portfolio) -> None:
    meeting = _meeting()
    before = AuditEvent.objects.count()
    services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.object_type == "steering.meeting" and event.detail["closed"] is True
    assert set(event.detail["sha256"]) == {"en.html", "fr.html", "figures.json", "en.data.json", "fr.data.json"}
    stored = FrozenReview.objects.get(meeting=meeting, format=FrozenReview.Format.JSON)
    assert event.detail["sha256"]["figures.json"] == stored.sha256 == FrozenReview.digest(bytes(stored.content))
    assert AuditEvent.objects.count() == before + 1
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.close_meeting(acting_user=SYSTEM, meeting=meeting)
    with pytest.raises(ValidationError):
        services.add_decision(acting_user=SYSTEM, meeting=meeting, text_en="Late", text_fr="Tard", owner="MEAE")
    assert AuditEvent.objects.count() == before + 1
