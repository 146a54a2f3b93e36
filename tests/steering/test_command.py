from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.steering import services
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
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


def test_the_command_and_the_demo_are_named_in_the_audit_log(portfolio: Portfolio, tmp_path: Path) -> None:
    call_command("steering", "report", "2024", "--format", "html", "--output", str(tmp_path / "r.html"),
                 stdout=StringIO())
    export = AuditEvent.objects.get(object_type="steering.review")
    assert (export.actor_id, export.actor_username, export.detail["frozen"]) == (
        None, "system: palermo steering report", False)
    call_command("demo", "--only", "steering", stdout=StringIO())
    names = set(AuditEvent.objects.filter(object_type__startswith="steering.").exclude(pk=export.pk)
                .values_list("actor_username", flat=True))
    assert names == {"system: demo"}


def test_no_service_skips_its_check(portfolio: Portfolio, user_factory) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 1), place="Paris")
    embassy = user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",))
    viewer = user_factory("viewer", Role.VIEWER)
    before = (SteeringMeeting.objects.count(), Decision.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        services.create_meeting(acting_user=embassy, year=2023, date=date(2024, 2, 1), place="Paris")
    with pytest.raises(PermissionDenied):
        services.add_decision(acting_user=embassy, meeting=meeting, text_en="x", text_fr="x", owner="o")
    with pytest.raises(PermissionDenied):
        services.close_meeting(acting_user=embassy, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.review_bytes(acting_user=viewer, meeting=meeting, language="en", fmt="html")
    assert (SteeringMeeting.objects.count(), Decision.objects.count(), AuditEvent.objects.count()) == before
    meeting.refresh_from_db()
    assert not meeting.is_closed
