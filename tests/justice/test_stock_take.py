"""The steering review of year N holds the prosecutions and convictions against the official figures; its page and
its PDF still render, in French and English."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from palermo.justice import services
from palermo.justice.models import Proceeding
from palermo.justice.stock_take import stock_take
from palermo.steering.review import build_review

pytestmark = pytest.mark.django_db


def test_the_review_of_the_year_holds_the_justice_table(people: dict[str, Any], proceeding: Proceeding,
                                                        tmp_path: Path) -> None:
    services.record_decision(acting_user=people["allowed"], proceeding=proceeding, verdict=services.Verdict(
        instance="first_instance", decided_on=date(2021, 11, 1), outcome="convicted", convicted_of_thb=True,
        sentence_months=40))
    [section] = stock_take(2021)
    romania = next(row for row in section.rows if row[0] == "Romania")
    assert romania[1:5] == ["<5", "–", "<5", "–"] and "UNODC published no figure" in romania[5]
    serbia = next(row for row in section.rows if row[0] == "Serbia")
    assert serbia[1:5] == ["0", "–", "0", "–"]
    review = build_review(2021)
    assert section.title in [s.title for s in review.stock_take.extra_sections]
    html = tmp_path / "review.html"
    call_command("steering", "report", "2021", "--lang", "en", "--format", "html", "--output", str(html),
                 stdout=StringIO())
    assert "Prosecutions and convictions against the official figures (UNODC GLOTIP)" in html.read_text()
    pdf = tmp_path / "review.pdf"
    call_command("steering", "report", "2021", "--lang", "fr", "--format", "pdf", "--output", str(pdf),
                 stdout=StringIO())
    assert pdf.read_bytes().startswith(b"%PDF-")
    with translation.override("fr"):
        [french] = stock_take(2021)
    assert french.title.startswith("Poursuites et condamnations")
