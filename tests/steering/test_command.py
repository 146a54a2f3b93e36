from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from palermo.accounts.access import SYSTEM
from palermo.steering import services
from palermo.steering.models import FrozenReview, SteeringMeeting
from tests.steering.builders import Portfolio

pytestmark = pytest.mark.django_db


def test_the_report_command_writes_html_and_pdf(portfolio: Portfolio, tmp_path: Path) -> None:
    html = tmp_path / "review.html"
    call_command(
        "steering", "report", "2024", "--lang", "en", "--format", "html", "--output", str(html), stdout=StringIO()
    )
    assert "235,000.00" in html.read_text(encoding="utf-8")
    pdf = tmp_path / "review.pdf"
    out = StringIO()
    call_command("steering", "report", "2024", "--lang", "fr", "--format", "pdf", "--output", str(pdf), stdout=out)
    assert pdf.read_bytes().startswith(b"%PDF-") and "computed now" in out.getvalue()
    with pytest.raises(CommandError, match="has not started"):
        call_command("steering", "report", "2100", "--output", str(pdf))


def test_the_report_of_a_closed_meeting_is_the_frozen_one(portfolio: Portfolio, tmp_path: Path) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 1), place="Paris")
    services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    output = tmp_path / "review.html"
    call_command(
        "steering", "report", "2024", "--lang", "fr", "--format", "html", "--output", str(output), stdout=StringIO()
    )
    assert output.read_bytes() == bytes(FrozenReview.objects.get(language="fr", format="html").content)


def test_the_demo_closes_past_meetings_with_frozen_reviews() -> None:
    call_command("demo", "--only", "partners", "programme", "steering", stdout=StringIO())
    assert list(SteeringMeeting.objects.filter(status="closed").values_list("year", flat=True)) == list(
        range(2025, 2014, -1)
    )
    assert SteeringMeeting.objects.get(year=2026).status == "draft"
    assert FrozenReview.objects.filter(format="html").count() == 22
    assert all(review.is_intact() for review in FrozenReview.objects.all())
    call_command("demo", "--only", "steering", stdout=StringIO())  # idempotent
    assert SteeringMeeting.objects.count() == 12
