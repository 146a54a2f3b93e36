"""Downloads open right in the reader's spreadsheet: CSV with a byte-order mark and the locale's separators, XLSX
with typed cells and column widths, headers and cells in the reader's language. Checked on the bytes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from palermo import tabular
from palermo.accounts.roles import Role
from palermo.partners.models import Organisation
from tests.conftest import download_rows, verified_login

ROWS = [["Agence nationale — Aléa", Decimal("1770.50"), 3, date(2025, 1, 31), "=1+1", None, True]]
HEADERS = ["Nom", "Montant (EUR)", "Actions", "Date", "Note", "Vide", "Vrai"]


def test_a_french_csv_has_the_mark_semicolons_decimal_commas_and_accents() -> None:
    body = tabular.csv_bytes(HEADERS, ROWS, tabular.spreadsheet_layout("fr"))
    assert body == ("\ufeffNom;Montant (EUR);Actions;Date;Note;Vide;Vrai\r\n"
                    "Agence nationale — Aléa;1770,50;3;2025-01-31;'=1+1;;True\r\n").encode("utf-8")
    assert body.startswith(b"\xef\xbb\xbf") and "Aléa".encode() in body


def test_an_english_csv_has_the_mark_and_commas() -> None:
    body = tabular.csv_bytes(HEADERS, ROWS, tabular.spreadsheet_layout("en-gb"))
    assert body.splitlines()[1] == "Agence nationale — Aléa,1770.50,3,2025-01-31,'=1+1,,True".encode()
    assert body.startswith(b"\xef\xbb\xbf")


def test_files_for_programs_stay_plain() -> None:
    """Releases and reference exports are read by programs: no mark, commas and points, as before."""
    assert tabular.csv_bytes(["a", "b"], [[Decimal("1.5"), 2]]) == b"a,b\r\n1.5,2\r\n"


def test_an_xlsx_has_typed_cells_widths_a_bold_frozen_header() -> None:
    moment = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    body = tabular.xlsx_bytes([*HEADERS, "Quand"], [[*ROWS[0], moment]], "test", tabular.spreadsheet_layout("fr"))
    sheet = load_workbook(io.BytesIO(body)).active
    values = [cell.value for cell in sheet[2]]
    assert values[:7] == ["Agence nationale — Aléa", 1770.5, 3, datetime(2025, 1, 31), "'=1+1", None, True]
    assert isinstance(values[7], datetime) and values[7].tzinfo is None  # spreadsheets know no time zones
    assert sheet["B2"].data_type == "n" and sheet["D2"].is_date and sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == len("Agence nationale — Aléa") + 2
    assert sheet.column_dimensions["C"].width == 9  # "Actions" + 2


@pytest.mark.django_db
def test_a_page_download_is_in_the_readers_language(user_factory, organisation_factory) -> None:
    organisation_factory("Ambassade de France à Bucarest", Organisation.Kind.EMBASSY, "RO")
    client = Client()
    verified_login(client, user_factory("viewer", Role.VIEWER))
    french = client.get("/partners/organisations/?country=RO&format=csv", HTTP_ACCEPT_LANGUAGE="fr")
    lines = french.content.decode("utf-8-sig").splitlines()
    assert french.content.startswith(b"\xef\xbb\xbf")
    assert lines[0] == ("Nom;Sigle;Type;Pays;Identifiant IATI;code de canal CRS;Type d'organisation IATI (code);"
                        "Site web")
    assert lines[1] == ("Test organisation Ambassade de France à Bucarest;Ambassade de France à Bucarest;ambassade;"
                        "Roumanie;;;;")
    english = download_rows(client.get("/partners/organisations/?country=RO&format=csv"))
    assert [(r["Kind"], r["Country"]) for r in english] == [("embassy", "Romania")]
    sheet = load_workbook(io.BytesIO(client.get("/partners/organisations/?country=RO&format=xlsx",
                                                HTTP_ACCEPT_LANGUAGE="fr").content)).active
    assert [cell.value for cell in sheet[1]][:4] == ["Nom", "Sigle", "Type", "Pays"]
