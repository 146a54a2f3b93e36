"""Imports of the HTCDS template and the CTDC layouts: all rows or none, with a report that names the row."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, StatusChange, TraffickingEvent
from palermo.partners.models import Organisation
from tests.cases.conftest import sample_rows, write_csv
from tests.conftest import shared_data


def test_the_htcds_excel_template_filled_in_imports_with_its_own_layout(tmp_path: Path, run_import) -> None:
    template = shared_data("htcds/HTCDS Excel Spreadsheet v2.0.xlsx")
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    names = {cell.value: cell.column for cell in sheet[1] if cell.value}
    values = [
        {"prs_FirstName": "Fictional", "prs_SecondName": "Person A", "prs_Birthdate": "2008-04-02",
         "prs_Gender": "Feminine", "prs_Citizenship": "AL", "con_Consent": "TRUE",
         "vic_TraffickingStatus": "ActualVictimOfTrafficking", "vic_TraffickinStatusDecisionMakingOrg": "Police",
         "vic_MethodsOfControl": "DebtBondage ;PhysicalAbuse", "vic_TypeOfExploitation": "SexualExploitation",
         "cas_Status": "Active", "cas_IncomingReferralDate": "2024-05-10"},
        {"prs_FirstName": "Fictional", "prs_SecondName": "Person B", "prs_Gender": "Masculine",
         "prs_Citizenship": "XKX", "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
         "vic_TypeOfExploitation": "ForcedLabour", "vic_ForcedLabourIndustry": "F_Construction",
         "cas_IncomingReferralDate": "2023-01-20"},
    ]
    for offset, row in enumerate(values):
        for name, value in row.items():
            sheet.cell(row=3 + offset, column=names[name], value=value)
    path = tmp_path / "filled.xlsx"
    workbook.save(path)

    report = run_import(path)

    assert report.ok, report.as_dict()
    assert (report.rows, report.created) == (2, 2)
    first = Case.objects.get(source_record_id="1")
    assert (first.first_name, first.gender, first.citizenship_id, first.status_decided_by) == (
        "Fictional", "Feminine", "AL", "Police")
    assert first.means_of_control == ["DebtBondage", "PhysicalAbuse"]
    assert (first.year_identified, first.age_band, first.is_minor) == (2024, "9-17", True)
    assert first.form_codes() == ["sexual_exploitation"]
    second = Case.objects.get(source_record_id="2")
    assert (second.citizenship_id, second.forced_labour_industry, second.trafficking_status) == (
        "XK", "F_Construction", "possible")


def test_a_refused_identifying_value_is_never_repeated_in_the_report(htcds_csv, run_import) -> None:
    rows = sample_rows(5)
    rows[2]["prs_Birthdate"] = "1999-02-31"
    report = run_import(htcds_csv(rows))
    assert [problem.as_dict() for problem in report.problems] == [
        {"row": 4, "column": "prs_Birthdate", "value": "[identifying value hidden, 10 characters]",
         "reason": report.problems[0].reason}]
    assert "1999-02-31" not in str(report.as_dict())
    assert Case.objects.count() == 0


def test_a_file_with_one_bad_row_imports_nothing_and_names_row_column_value_reason(htcds_csv, run_import) -> None:
    rows = sample_rows(30)
    rows[16]["prs_Gender"] = "Femme"
    path = htcds_csv(rows)

    report = run_import(path)

    assert not report.ok
    assert [problem.as_dict() for problem in report.problems] == [
        {"row": 18, "column": "prs_Gender", "value": "Femme", "reason": "not an HTCDS gender code"}]
    assert Case.objects.count() == 0
    assert TraffickingEvent.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_reimporting_a_source_updates_its_records_instead_of_duplicating(htcds_csv, run_import) -> None:
    rows = sample_rows(12)
    run_import(htcds_csv(rows))
    codes_before = dict(Case.objects.values_list("source_record_id", "case_code"))
    rows[3]["vic_TraffickingStatus"] = "NotAVictimOfTrafficking"
    rows[3]["vic_TraffickingStatusDecisionMakingOrg"] = "CourtOrProsecution"
    rows[3]["plm_ExploitationCountry"] = "FR"

    report = run_import(htcds_csv(rows, "again.csv"))

    assert (report.created, report.updated) == (0, 12)
    assert Case.objects.count() == 12
    assert dict(Case.objects.values_list("source_record_id", "case_code")) == codes_before
    changed = Case.objects.get(source_record_id=rows[3]["plm_CaseId"])
    assert (changed.trafficking_status, changed.country_of_exploitation_id) == ("not_victim", "FR")
    assert list(StatusChange.objects.filter(case=changed).values_list("status", flat=True))[-1] == "not_victim"
    assert TraffickingEvent.objects.filter(case=changed, kind="Exploitation").count() == 1


def _ctdc2017_columns() -> list[str]:
    dictionary = shared_data("ctdc/ctdc_data_dictionary_2018_Main.csv")
    with dictionary.open(encoding="utf-8-sig") as handle:
        return [row["Variable name "].strip() for row in csv.DictReader(handle) if row["Variable name "].strip()]


def test_a_ctdc_2017_file_imports_with_its_missing_value_codes(tmp_path: Path, run_import) -> None:
    columns = _ctdc2017_columns()
    assert len(columns) >= 60
    blank = {name: "-99" for name in columns}
    rows = [
        {**blank, "yearOfRegistration": "2016", "Datasource": "Case management", "gender": "Female",
         "ageBroad": "9--17", "majorityStatusAtExploit": "Minor", "citizenship": "MD",
         "CountryOfExploitation": "RU", "meansOfControlPsychologicalAbuse": "1", "meansOfControlThreats": "1",
         "meansOfControlDebtBondage": "0", "isSexualExploit": "1", "isForcedLabour": "0",
         "typeOfSexProstitution": "1", "recruiterRelationFriend": "1"},
        {**blank, "yearOfRegistration": "2015", "gender": "Unknown", "ageBroad": "-99", "citizenship": "ZZ",
         "CountryOfExploitation": "00", "isForcedLabour": "1", "typeOfLabourBegging": "1"},
    ]
    report = run_import(write_csv(tmp_path / "ctdc2017.csv", columns, rows), layout="ctdc", source="ctdc-2017")

    assert report.ok, report.as_dict()
    assert report.layout == "ctdc2017"
    first, second = Case.objects.order_by("source_record_id")
    assert (first.year_identified, first.gender, first.age_band, first.is_minor, first.citizenship_id,
            first.country_of_exploitation_id) == (2016, "Feminine", "9-17", True, "MD", "RU")
    assert first.means_of_control == ["PhysicalThreats", "PsychologicalAbuse"]
    assert (first.form_codes(), first.sex_exploitation_types, first.recruiter_relation) == (
        ["sexual_exploitation"], ["Prostitution"], "Friend")
    assert (second.gender, second.age_band, second.is_minor, second.citizenship_id) == ("", "", None, None)
    assert second.form_codes() == ["begging", "forced_labour"]


CTDC2024 = ["yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation", "traffickMonths",
            "meansDebtBondageEarnings", "meansThreats", "meansAbusePsyPhySex", "meansFalsePromises",
            "meansDrugsAlcohol", "meansDenyBasicNeeds", "meansExcessiveWorkHours", "meansWithholdDocs",
            "isForcedLabour", "isSexualExploit", "isOtherExploit", "typeOfLabourAgriculture",
            "typeOfLabourConstruction", "typeOfLabourDomesticWork", "typeOfLabourHospitality",
            "typeOfSexProstitution", "typeOfSexPornography", "recruiterRelationIntimatePartner",
            "recruiterRelationFriend", "recruiterRelationFamily", "recruiterRelationOther"]


def test_a_ctdc_2024_xlsx_file_imports_with_null_cells(tmp_path: Path, run_import) -> None:
    assert len(CTDC2024) == 27
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(CTDC2024)
    sheet.append([2021, "Man", "30--38", "UKR", "POL", "0-12 (0-1 yr)", 1, None, None, None, None, 1, 1, "NULL",
                  1, None, None, None, 1, None, None, None, None, None, None, None, None])
    sheet.append([2019, "NULL", "NULL", "NULL", "XKX", None, None, None, None, None, None, None, None, None,
                  None, None, 1, None, None, None, None, None, None, None, None, 1, None])
    path = tmp_path / "ctdc2024.xlsx"
    workbook.save(path)

    report = run_import(path, layout="ctdc", source="ctdc-2024")

    assert report.ok, report.as_dict()
    assert report.layout == "ctdc2024"
    first, second = Case.objects.order_by("source_record_id")
    assert (first.gender, first.age_band, first.is_minor, first.citizenship_id, first.country_of_exploitation_id,
            first.forced_labour_industry) == ("Masculine", "30-38", None, "UA", "PL", "F_Construction")
    assert first.means_of_control == ["DebtBondage", "WithholdsNecessities", "ExcessiveWorkingHours"]
    assert (second.country_of_exploitation_id, second.other_exploitation, second.recruiter_relation) == (
        "XK", True, "Familial")


def test_a_ctdc_flag_that_is_not_a_flag_is_reported(tmp_path: Path, run_import) -> None:
    path = write_csv(tmp_path / "bad.csv", CTDC2024, [{"yearOfRegistration": "2020", "isForcedLabour": "yes"}])
    report = run_import(path, layout="ctdc", source="bad")
    assert [p.as_dict() for p in report.problems] == [{
        "row": 2, "column": "isForcedLabour", "value": "yes",
        "reason": "a flag is 1, 0 or a missing-value code (-99, NULL, empty)"}]
    assert Case.objects.count() == 0


def test_the_command_imports_and_refuses_a_bad_file_with_the_row(htcds_csv, organisation_factory) -> None:
    organisation = organisation_factory("NGO-RS", country="RS")
    rows = sample_rows(5, country="RS")
    call_command("import", "cases", str(htcds_csv(rows)), "--format", "htcds", "--source", "cli",
                 "--organisation", str(organisation.pk), "--no-progress")
    assert Case.objects.filter(source="cli", owner_country="RS").count() == 5
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor_id, event.actor_username, event.object_id) == (None, "system: palermo import cases", "cli")
    rows[2]["plm_ExploitationCountry"] = "QQ"
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import", "cases", str(htcds_csv(rows, "bad.csv")), "--format", "htcds", "--source", "cli2",
                     "--organisation", str(organisation.pk), "--no-progress")
    assert Case.objects.filter(source="cli2").count() == 0


def test_the_command_takes_the_organisation_as_people_write_it(htcds_csv, organisation_factory) -> None:
    """``--organisation NGO-RS`` (the short name, any case), the full name or the id; an ambiguous or unknown name
    is refused, naming the candidates, and imports nothing."""
    organisation = organisation_factory("NGO-RS", country="RS")
    rows = sample_rows(3, country="RS")
    for given, source in (("ngo-rs", "by-short-name"), ("Test organisation NGO-RS", "by-name"),
                          (str(organisation.pk), "by-id")):
        call_command("import", "cases", str(htcds_csv(rows, f"{source}.csv")), "--format", "htcds", "--source",
                     source, "--organisation", given, "--no-progress")
        assert Case.objects.filter(source=source, organisation=organisation).count() == 3
    twin = Organisation.objects.create(name="Other NGO", short_name="NGO-RS", kind=Organisation.Kind.NGO,
                                       country_id="ME")
    with pytest.raises(CommandError) as refused:
        call_command("import", "cases", str(htcds_csv(rows, "twin.csv")), "--format", "htcds", "--source", "twin",
                     "--organisation", "NGO-RS", "--no-progress")
    assert str(refused.value) == (f"2 organisations are called 'NGO-RS': give the id of one of "
                                  f"{organisation.pk} (Test organisation NGO-RS, RS); {twin.pk} (Other NGO, ME)")
    with pytest.raises(CommandError, match="no organisation with the short name, name or id 'NGO-XX'"):
        call_command("import", "cases", str(htcds_csv(rows, "none.csv")), "--format", "htcds", "--source", "none",
                     "--organisation", "NGO-XX", "--no-progress")
    assert not Case.objects.filter(source__in=["twin", "none"]).exists()
