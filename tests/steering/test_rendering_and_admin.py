"""Review tables drawn in Python read like the template filters did; the review costs a fixed number of
queries; the admin keeps closed meetings and frozen reviews as they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.template.defaultfilters import floatformat
from django.test import Client
from django.utils import translation

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.steering import services
from palermo.steering.cells import CellFormat, table_html
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
from palermo.steering.report import render_document
from palermo.steering.tables import Table
from tests.conftest import verified_login
from tests.steering.builders import Portfolio

NUMBERS = [
    Decimal("0"),
    Decimal("-0.004"),
    Decimal("-0.005"),
    Decimal("0.005"),
    Decimal("12.345"),
    Decimal("999.995"),
    Decimal("1234567.5"),
    Decimal("-9876543.21"),
    Decimal("73.4"),
    Decimal("1E+3"),
]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_cells_read_exactly_as_floatformat_in_each_language(language: str) -> None:
    with translation.override(language):
        cells = CellFormat()
        assert [cells.text(n) for n in NUMBERS] == [str(floatformat(n, "2g")) for n in NUMBERS]
        assert [cells.text(n) for n in (0, 7, 1234, -1234567)] == [
            str(floatformat(n, "g")) for n in (0, 7, 1234, -1234567)
        ]
        day = {"en": "2024-03-01", "fr": "01/03/2024"}[language]  # dates in digits, as the language writes them
        assert (cells.text(None), cells.text(""), cells.text(date(2024, 3, 1))) == ("—", "—", day)


def test_a_table_is_escaped_and_numbers_align_right() -> None:
    with translation.override("fr"):
        html = table_html(Table("t", "A & B", ["<b>x</b>", "EUR"], [["<script>", Decimal("1234.5")], [None, 3]]))
    assert html == (
        '<h3 id="t">A &amp; B</h3>\n<table>\n  <thead><tr><th scope="col">&lt;b&gt;x&lt;/b&gt;</th>'
        '<th scope="col">EUR</th></tr></thead>\n  <tbody><tr><td>&lt;script&gt;</td>'
        '<td class="num">1\u202f234,50</td></tr><tr><td>—</td><td class="num">3</td></tr></tbody>\n</table>\n'
    )
    with translation.override("en"):
        assert table_html(Table("e", "Empty", ["a"], [])) == '<h3 id="e">Empty</h3>\n<p class="note">None.</p>\n'


@pytest.mark.django_db
def test_the_review_takes_a_fixed_number_of_queries(portfolio: Portfolio, django_assert_max_num_queries) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna")
    for number in range(3):
        services.add_decision(
            acting_user=SYSTEM, meeting=meeting, text_en=f"d{number}", text_fr="d", owner="o", due_date=None
        )
    # the review's own queries (20); + 6 for the programme's own story (French participants, case records, their
    # forms, UNODC's children and victims detected in France, guardianship); + a fixed number per section other apps
    # contribute (capacity: one; justice: countries, proceedings, official figures, and their decisions once
    # proceedings exist; networks: its diagnoses; awareness: case records, then campaigns when a profile exists)
    with django_assert_max_num_queries(31):
        document = render_document(meeting, "en").decode()
    assert document.count("<tr>") > 10 and "XM-DAC-4-TEST-THB-1" in document


@pytest.fixture
def admin_client(user_factory: Callable[..., Any]) -> Client:
    admin = user_factory("admin", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True)
    client = Client()
    verified_login(client, admin)
    return client


@pytest.mark.django_db
def test_the_admin_keeps_a_closed_meeting_and_its_frozen_review(portfolio: Portfolio, admin_client: Client) -> None:
    draft = services.create_meeting(acting_user=SYSTEM, year=2023, date=date(2024, 2, 1), place="Paris")
    closed = services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 1), place="Vienna")
    decision = services.add_decision(
        acting_user=SYSTEM, meeting=closed, text_en="Kept", text_fr="Gardée", owner="MEAE", due_date=None
    )
    services.close_meeting(acting_user=SYSTEM, meeting=closed, with_pdf=False)
    frozen = FrozenReview.objects.filter(meeting=closed).first()
    assert frozen is not None
    page = admin_client.get(f"/admin/steering/steeringmeeting/{closed.pk}/change/").content.decode()
    assert 'name="place"' not in page and "Vienna" in page  # shown, not editable
    assert frozen.sha256 in page
    before = (
        list(SteeringMeeting.objects.values_list("year", "place", "status")),
        list(Decision.objects.values_list("text_en", "owner")),
        list(FrozenReview.objects.values_list("sha256", flat=True)),
    )
    admin_client.post(
        f"/admin/steering/decision/{decision.pk}/change/",
        {"meeting": closed.pk, "text_en": "Changed", "text_fr": "Changée", "owner": "x"},
    )
    assert admin_client.post(f"/admin/steering/frozenreview/{frozen.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/steering/frozenreview/add/").status_code == 403
    assert (
        list(SteeringMeeting.objects.values_list("year", "place", "status")),
        list(Decision.objects.values_list("text_en", "owner")),
        list(FrozenReview.objects.values_list("sha256", flat=True)),
    ) == before
    page = admin_client.get(f"/admin/steering/steeringmeeting/{draft.pk}/change/").content.decode()
    assert 'name="place"' in page and 'name="status"' not in page  # closing goes through the meeting page
    response = admin_client.post(
        f"/admin/steering/steeringmeeting/{draft.pk}/change/",
        {
            "year": 2023,
            "date": "2024-02-01",
            "place": "Lyon",
            "participants": "",
            "decisions-TOTAL_FORMS": 0,
            "decisions-INITIAL_FORMS": 0,
            "frozen_reviews-TOTAL_FORMS": 0,
            "frozen_reviews-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SteeringMeeting.objects.get(pk=draft.pk).place == "Lyon"
    event = AuditEvent.objects.latest("pk")
    assert (event.object_type, event.action, event.detail["via"]) == ("steering.steeringmeeting", "update", "admin")
