"""GRETA CSV import: good files load, a bad file is refused with row, column, value and reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.programme.models import GretaRecommendation
from palermo.programme.services.greta import GretaImportError, import_recommendations

pytestmark = pytest.mark.django_db
TESTS = SYSTEM.running("tests")

HEADER = "country,round,report_date,paragraph,theme,level,text,articles,follow_up,is_demo\n"
GOOD = HEADER + (
    "RO,3,2021-06-03,112,compensation,urges,[DEMO] ensure compensation,15,not_implemented,true\n"
    "XKX,3,2021-06-03,113,identification,invites,[DEMO] continue,\"10, 12\",partly,yes\n"
)


def test_a_good_file_loads_every_row_and_writes_one_audit_row() -> None:
    report = import_recommendations(acting_user=TESTS, text=GOOD, source="good.csv")
    assert (report.created, report.updated) == (2, 0)
    first = GretaRecommendation.objects.get(country="RO", round=3, paragraph="112")
    assert (first.level, first.theme, first.report_date, first.articles, first.is_demo) == (
        "urges", "compensation", date(2021, 6, 3), "15", True)
    assert GretaRecommendation.objects.get(paragraph="113").country_id == "XK"
    event = AuditEvent.objects.get(action="import", object_type="programme.greta_recommendation")
    assert (event.actor, event.actor_username) == (None, "system: tests")
    again = import_recommendations(acting_user=TESTS, text=GOOD, source="good.csv")
    assert (again.created, again.updated) == (0, 2)


def test_a_bad_file_is_refused_whole_with_each_problem_named() -> None:
    bad = GOOD + (
        "ZZ,3,2021-06-03,114,compensation,urges,text,15,,\n"
        "RO,three,03/06/2021,115,weather,demands,text,Art 4,done,maybe\n"
        "RO,3,2021-06-03,112,compensation,urges,duplicate,15,,\n"
    )
    with pytest.raises(GretaImportError) as caught:
        import_recommendations(acting_user=TESTS, text=bad, source="bad.csv")
    problems = {(p.row, p.column): (p.value, p.reason) for p in caught.value.problems}
    assert problems[(4, "country")] == ("ZZ", "not an ISO alpha-2 country code")
    assert problems[(5, "round")] == ("three", "a round is a whole number from 1 to 9")
    assert problems[(5, "report_date")] == ("03/06/2021", "use the date format YYYY-MM-DD")
    assert problems[(5, "theme")][0] == "weather"
    assert problems[(5, "level")] == ("demands", "expected one of: urges, considers, invites")
    assert problems[(5, "follow_up")][0] == "done"
    assert problems[(5, "is_demo")] == ("maybe", "expected true or false")
    assert problems[(5, "articles")] == ("Art 4", "Give article numbers like '10, 12'.")
    assert problems[(6, "paragraph")] == ("112", "the same country, round and paragraph is already on row 2")
    assert not GretaRecommendation.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_a_missing_column_is_refused() -> None:
    with pytest.raises(GretaImportError) as caught:
        import_recommendations(acting_user=TESTS, text="country,round\nRO,3\n")
    assert [(p.row, p.column, p.reason) for p in caught.value.problems][:2] == [
        (1, "report_date", "required column missing"), (1, "paragraph", "required column missing")]


def test_the_command_imports_the_demo_file_and_refuses_a_bad_one(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[2] / "palermo" / "programme" / "data" / "greta_demo.csv"
    call_command("import", "greta", str(demo))
    assert GretaRecommendation.objects.count() == 100
    assert AuditEvent.objects.get(action="import").actor_username == "system: palermo import greta"
    assert not GretaRecommendation.objects.filter(is_demo=False).exists()
    assert all(t.startswith("[DEMO") for t in GretaRecommendation.objects.values_list("text", flat=True))
    assert not GretaRecommendation.objects.filter(country="XK").exists()  # Kosovo is not a party
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "RO,3,2021-13-01,1,prevention,urges,text,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"row 2, column report_date, value '2021-13-01'"):
        call_command("import", "greta", str(bad))
    assert GretaRecommendation.objects.count() == 100


def test_a_file_beyond_the_row_limit_is_refused_at_the_first_extra_row(monkeypatch: pytest.MonkeyPatch) -> None:
    from palermo.programme.services import greta

    monkeypatch.setattr(greta, "MAX_ROWS", 1)
    with pytest.raises(GretaImportError) as caught:
        import_recommendations(acting_user=TESTS, text=GOOD, source="good.csv")
    assert [(p.row, p.column, p.value, p.reason) for p in caught.value.problems] == [
        (3, "", "", "the file has more than 1 rows")]
    assert not GretaRecommendation.objects.exists()
