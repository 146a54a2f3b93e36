"""Pure rules of the results framework and of uploaded files: no database."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal as D

from openpyxl import Workbook
from PIL import Image

from palermo.programme import framework_rules as rules
from palermo.programme.uploads import UploadProblem, inspect

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def test_values_follow_the_measure_of_the_indicator() -> None:
    assert rules.value_problem(rules.UNIT, D("12")) is None
    assert rules.value_problem(rules.UNIT, D("-1")) == rules.ValueProblem.NEGATIVE
    assert rules.value_problem(rules.PERCENTAGE, D("100")) is None
    assert rules.value_problem(rules.PERCENTAGE, D("100.01")) == rules.ValueProblem.ABOVE_100
    assert rules.value_problem(rules.ORDINAL, D("2.5")) == rules.ValueProblem.NOT_WHOLE
    assert rules.value_problem(rules.NOMINAL, D("3")) is None
    assert rules.value_problem(rules.QUALITATIVE, D("1")) == rules.ValueProblem.NO_NUMBER_FOR_QUALITATIVE
    assert rules.value_problem(rules.QUALITATIVE, None) is None


def test_breakdowns_are_checked_against_their_total() -> None:
    assert rules.breakdown_field("sex", "female", "target") == "sex_female_target"
    assert rules.breakdown_field("age", "0-17", "actual") == "age_0_17_actual"
    assert rules.breakdown_field("age", "40+", "target") == "age_40plus_target"
    assert rules.breakdown_sum_exceeds(D("50"), [D("30"), D("25")]) == D("55")
    assert rules.breakdown_sum_exceeds(D("55"), [D("30"), D("25")]) is None
    assert rules.breakdown_sum_exceeds(D("50"), [None, None]) is None
    assert rules.describe_parts({"female": D("30.00"), "male": D("25"), "other": None}) == "female 30 + male 25 = 55"


def test_the_action_span_runs_from_the_earliest_start_to_the_latest_end() -> None:
    first, last = rules.span((date(2024, 1, 1), date(2024, 3, 1)), (date(2026, 12, 31), None))
    assert (first, last) == (date(2024, 1, 1), date(2026, 12, 31))
    assert rules.outside(date(2023, 12, 31), first, last) and rules.outside(date(2027, 1, 1), first, last)
    assert not rules.outside(date(2026, 12, 31), first, last)
    assert rules.span((None,), (None,)) == (None, None)
    assert not rules.outside(date(1999, 1, 1), None, None)


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["indicator", "value"])  # type: ignore[union-attr]
    workbook.save(buffer)
    return buffer.getvalue()


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, kind)
    return buffer.getvalue()


def test_real_files_are_recognised_by_their_content() -> None:
    assert inspect("report.pdf", PDF, "application/pdf").content_type == "application/pdf"
    assert inspect("Figures.XLSX", _xlsx(), "application/octet-stream").content_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert inspect("photo.png", _image("PNG")).content_type == "image/png"
    assert inspect("photo.jpeg", _image("JPEG"), "image/jpeg").content_type == "image/jpeg"


def test_files_that_are_not_what_they_say_are_refused() -> None:
    assert inspect("report.pdf", b"<html>not a pdf</html>").problem == UploadProblem.CONTENT
    assert inspect("figures.xlsx", PDF).problem == UploadProblem.CONTENT
    assert inspect("figures.docx", _xlsx()).problem == UploadProblem.CONTENT  # a workbook named as a letter
    assert inspect("script.exe", b"MZ\x90\x00").problem == UploadProblem.EXTENSION
    assert inspect("page.html", b"<html>").problem == UploadProblem.EXTENSION
    assert inspect("report.pdf", PDF, "text/html").problem == UploadProblem.DECLARED
    assert inspect("empty.pdf", b"").problem == UploadProblem.EMPTY


def test_macro_enabled_office_files_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override PartName="/xl/workbook.xml" ContentType='
                         '"application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>')
        archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    assert inspect("budget.xlsx", buffer.getvalue()).problem == UploadProblem.MACROS
