"""Files that would exhaust memory or time are refused unread, quickly, naming what is too large."""

from __future__ import annotations

import resource
import time
import zipfile
from pathlib import Path

import pytest

from palermo.cases.importing.readers import MAX_CELL_CHARACTERS, Limits, UnreadableFile, read_frame, read_table
from palermo.cases.models import Case

pytestmark = pytest.mark.django_db


def xlsx_bomb(path: Path, cell_bytes: int) -> Path:
    """A real workbook whose one cell holds ``cell_bytes`` characters: it compresses to a few hundred KB."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(sheet.encode())
            chunk = b"A" * (1024 * 1024)
            for _ in range(cell_bytes // len(chunk)):
                member.write(chunk)
            member.write(b"</t></is></c></row></sheetData></worksheet>")
    return path


def many_rows_xlsx(path: Path, rows: int) -> Path:
    """A 300,000-row sheet written row by row, as small as such a file gets."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["plm_CaseId", "prs_Gender"])
    for number in range(rows):
        sheet.append([number, "F"])
    workbook.save(path)
    return path


def test_an_xlsx_bomb_is_refused_unread_in_little_time_and_memory(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", 300 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(UnreadableFile, match=r"^the workbook expands to 314,573,\d+ bytes, more than the "
                                             r"209,715,200 allowed$"):
        read_frame(bomb)
    assert time.perf_counter() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KB: under 200 MB more


def test_a_300000_row_file_is_refused_in_seconds(tmp_path: Path) -> None:
    path = many_rows_xlsx(tmp_path / "rows.xlsx", 300_000)
    started = time.perf_counter()
    with pytest.raises(UnreadableFile, match=r"^the file has 300,000 rows, more than the 200,000 allowed$"):
        read_frame(path)
    assert time.perf_counter() - started < 3


def test_a_sheet_that_lies_about_its_size_is_counted_on_its_rows(tmp_path: Path) -> None:
    path = many_rows_xlsx(tmp_path / "rows.xlsx", 30)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "lying.xlsx", "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.endswith("sheet1.xml"):
                data = data.replace(b'<dimension ref="A1:B31"/>', b'<dimension ref="A1:B2"/>')
            target.writestr(member, data)
    with pytest.raises(UnreadableFile, match=r"^the file has 30 rows, more than the 20 allowed$"):
        read_table(tmp_path / "lying.xlsx", Limits(max_rows=20))
    _names, rows = read_table(tmp_path / "lying.xlsx", Limits(max_rows=30))
    assert len(list(rows)) == 30


def test_csv_limits_name_rows_columns_and_cells(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("plm_CaseId,prs_Gender\n" + "".join(f"{n},F\n" for n in range(11)))
    with pytest.raises(UnreadableFile, match=r"^the file has 11 rows, more than the 10 allowed$"):
        read_frame(rows, Limits(max_rows=10))
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{n}" for n in range(6)) + "\n")
    with pytest.raises(UnreadableFile, match=r"^row 1 has 6 columns, more than the 5 allowed$"):
        read_frame(wide, Limits(max_columns=5))
    long_cell = tmp_path / "long.csv"
    long_cell.write_text("plm_CaseId,prs_Gender\n1," + "x" * (MAX_CELL_CHARACTERS + 1) + "\n")
    with pytest.raises(UnreadableFile, match=r"^a cell holds 32,768 characters, more than the 32,767 a spreadsheet "
                                             r"cell can hold$"):
        read_frame(long_cell)
    big = tmp_path / "big.csv"
    big.write_text("a,b\n" + "1,2\n" * 100)
    with pytest.raises(UnreadableFile, match=r"^the file holds 404 bytes, more than the 100 allowed$"):
        read_frame(big, Limits(max_bytes=100))


def test_the_import_reports_a_refused_file_and_writes_nothing(tmp_path: Path, settings, run_import) -> None:
    settings.IMPORT_MAX_ROWS = 5
    path = tmp_path / "cases.csv"
    path.write_text("plm_CaseId,prs_Gender\n" + "".join(f"{n},F\n" for n in range(6)))
    report = run_import(path)
    assert report.error == "the file has 6 rows, more than the 5 allowed"
    assert Case.objects.count() == 0
