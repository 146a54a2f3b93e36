"""Attendance sheets: all or nothing, each bad row named with its column and reason; CSV and XLSX; the command."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from palermo.audit.models import AuditEvent
from palermo.capacity.attendance import import_attendance
from palermo.capacity.models import Participant, Training
from palermo.cases.importing.readers import Limits

pytestmark = pytest.mark.django_db

GOOD = """Prénom;Nom;Sexe;Profession;Institution;Courriel;Présent;Pré-test;Post-test
Ana;Popescu;F;procureur;Parquet de Bucarest;ana@example.org;oui;40;65
Ion;Ionescu;H;police;Police roumaine;;oui;55,5;70
Maria;Stan;femme;juges;Tribunal de Cluj;;non;;
"""


def write(tmp_path: Path, text: str, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_french_sheet_is_imported_whole_and_audited(world: dict[str, Any], training: Training,
                                                      tmp_path: Path) -> None:
    report = import_attendance(acting_user=world["users"]["coordinator-ro"], training=training,
                               path=write(tmp_path, GOOD))
    assert (report.ok, report.rows, report.created, report.updated, report.problems) == (True, 3, 3, 0, [])
    rows = list(Participant.objects.filter(training=training).order_by("family_name").values_list(
        "family_name", "sex", "profession", "attended", "pre_score", "post_score", "email"))
    assert rows == [("Ionescu", "male", "police", True, Decimal("55.50"), Decimal("70.00"), ""),
                    ("Popescu", "female", "prosecutor", True, Decimal("40.00"), Decimal("65.00"), "ana@example.org"),
                    ("Stan", "female", "judge", False, None, None, "")]
    event = AuditEvent.objects.filter(action="import").get()
    assert (event.object_type, event.object_id, event.actor.username, event.detail) == (
        "capacity.training", str(training.pk), "coordinator-ro", {"rows": 3, "created": 3, "updated": 0})
    # the same sheet again, completed: nobody twice
    again = import_attendance(acting_user=world["users"]["coordinator-ro"], training=training,
                              path=write(tmp_path, GOOD.replace("oui;40;65", "oui;40;80")))
    assert (again.created, again.updated, Participant.objects.filter(training=training).count()) == (0, 3, 3)
    assert Participant.objects.get(family_name="Popescu").post_score == Decimal("80.00")


def test_one_bad_row_imports_nothing_and_names_the_row(world: dict[str, Any], training: Training,
                                                       tmp_path: Path) -> None:
    bad = GOOD + "Petre;Dumitru;M;astronaut;Police;;oui;30;40\n"
    before = AuditEvent.objects.count()
    report = import_attendance(acting_user=world["users"]["coordinator-ro"], training=training,
                               path=write(tmp_path, bad))
    assert not report.ok and report.problem_count == 1
    problem = report.problems[0]
    assert (problem.row, problem.field, problem.value) == (5, "profession", "astronaut")
    assert problem.reason.startswith("Unknown profession 'astronaut': use one of police, border_police,")
    assert Participant.objects.count() == 0 and AuditEvent.objects.count() == before


def test_every_bad_row_is_named_with_its_column(world: dict[str, Any], training: Training, tmp_path: Path) -> None:
    text = ("given name,family name,sex,profession,attended,pre-test,post-test\n"
            "Ana,Popescu,F,judge,yes,40,101\n"      # above the highest score (100)
            ",Ionescu,M,police,yes,,\n"             # no given name
            "Ion,Ionescu,?,police,maybe,abc,\n"     # sex, attended, pre-test
            "Ana,Popescu,F,judge,yes,40,60\n")      # the same person as row 2
    report = import_attendance(acting_user=world["users"]["coordinator-ro"], training=training,
                               path=write(tmp_path, text))
    assert [(p.row, p.field) for p in report.problems] == [
        (2, "post_score"), (3, "given_name"), (4, "attended"), (4, "pre_score"), (4, "sex"), (5, "family_name")]
    assert report.problems[-1].reason == "The same participant is already on row 2."
    assert Participant.objects.count() == 0


def test_a_missing_column_or_an_oversized_file_is_refused_unread(world: dict[str, Any], training: Training,
                                                                 tmp_path: Path) -> None:
    report = import_attendance(acting_user=world["users"]["coordinator-ro"], training=training,
                               path=write(tmp_path, "given name;family name;sex\nA;B;F\n"))
    assert report.error == "Missing column(s): profession."
    report = import_attendance(acting_user=world["users"]["coordinator-ro"], training=training,
                               path=write(tmp_path, GOOD), limits=Limits(max_rows=2))
    assert "more than the 2 allowed" in report.error or "more than 2 rows" in report.error
    assert Participant.objects.count() == 0


def test_an_xlsx_sheet_and_the_command(world: dict[str, Any], training: Training, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Given name", "Family name", "Sex", "Profession", "Organisation", "Pre-test", "Post-test"])
    sheet.append(["Ana", "Popescu", "female", "labour inspectors", "Labour inspectorate", 40, 70.5])
    sheet.append(["Ion", "Ionescu", "male", "social_worker", "Social services", None, None])
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    call_command("import", "attendance", str(path), "--training", str(training.pk))
    assert sorted(Participant.objects.values_list("profession", "post_score")) == [
        ("labour_inspector", Decimal("70.50")), ("social_worker", None)]
    assert AuditEvent.objects.filter(action="import").get().actor_username == "system: palermo import attendance"
    bad = write(tmp_path, GOOD.replace("Maria;Stan;femme", "Maria;Stan;alien"))
    with pytest.raises(CommandError, match=r"nothing imported: 1 problem\(s\) in 3 rows"):
        call_command("import", "attendance", str(bad), "--training", str(training.pk))
    assert Participant.objects.count() == 2


def test_someone_who_does_not_organise_the_training_imports_nothing(world: dict[str, Any], training: Training,
                                                                   tmp_path: Path) -> None:
    from django.core.exceptions import PermissionDenied

    for name in ("coordinator-rs", "embassy-ro", "viewer"):
        with pytest.raises(PermissionDenied):
            import_attendance(acting_user=world["users"][name], training=training, path=write(tmp_path, GOOD))
    assert Participant.objects.count() == 0
