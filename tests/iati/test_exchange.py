"""IATI export and import against the official schema and codelists shipped in palermo/iati/data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.iati import export, import_checks, safexml, services
from palermo.iati.problems import IatiRefused
from palermo.partners.models import Organisation
from palermo.programme.models import Action, ActionCountry, Programme
from tests.conftest import shared_data
from tests.iati.conftest import GENERATED

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Action.objects.count(),
        ActionCountry.objects.count(),
        Organisation.objects.count(),
        Programme.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_export_of_a_constructed_portfolio_validates_against_the_schema(portfolio) -> None:
    data = export.export_bytes(GENERATED)
    tree = safexml.parse(data)
    assert import_checks.schema_problems(tree) == []
    root = tree.getroot()
    assert [a.findtext("iati-identifier") for a in root] == [
        "XM-DAC-4-TEST-THB",
        "XM-DAC-4-TEST-THB-1",
        "XM-DAC-4-TEST-THB-2",
        "XM-DAC-4-TEST-THB-3",
        "XM-DAC-4-TEST-THB-4",
    ]  # other donors' actions stay out unless asked for
    parent, _, multilateral = root[0], root[1], root[2]
    assert parent.get("hierarchy") == "1" and multilateral.get("hierarchy") == "2"
    assert [r.get("ref") for r in parent.iterfind("related-activity")][:2] == [
        "XM-DAC-4-TEST-THB-1",
        "XM-DAC-4-TEST-THB-2",
    ]
    assert [(t.get("vocabulary"), t.get("code")) for t in parent.iterfind("tag")] == [
        ("3", "5.2"),
        ("3", "8.7"),
        ("3", "16.2"),
        ("99", "OBJ1"),
        ("99", "OBJ2"),
        ("99", "OBJ3"),
        ("99", "OBJ4"),
    ]
    assert parent.find("tag[@code='OBJ1']").get("vocabulary-uri") == "https://example.org/palermo/objectives"
    assert [(c.get("code"), c.get("percentage")) for c in multilateral.iterfind("recipient-country")] == [
        ("RO", "60.00"),
        ("RS", "40.00"),
    ]
    assert multilateral.find("related-activity").attrib == {"ref": "XM-DAC-4-TEST-THB", "type": "1"}
    unodc = multilateral.find("participating-org[@role='4']")
    assert unodc.get("crs-channel-code") == "41128" and unodc.get("type") == "40"
    assert [t.findtext("value") for t in multilateral.iterfind("transaction")] == ["500000.00", "150000.00", "90000.50"]
    assert [t.find("transaction-type").get("code") for t in multilateral.iterfind("transaction")] == ["2", "3", "4"]
    period = multilateral.find("result/indicator/period")
    assert (period.find("target").get("value"), period.find("actual").get("value")) == ("50.00", "50.00")
    assert [s.get("code") for s in multilateral.iterfind("sector[@vocabulary='99']")] == ["OBJ3", "OBJ4"]


def test_the_export_of_the_demo_portfolio_validates_against_the_schema() -> None:
    call_command("demo", "--only", "partners", "programme", stdout=open("/dev/null", "w"))  # noqa: SIM115
    data = export.export_bytes(GENERATED)
    tree = safexml.parse(data)
    assert len(tree.getroot()) == 151
    assert import_checks.schema_problems(tree) == []
    kosovo = tree.getroot().xpath("//recipient-country[@code='XK']")
    assert kosovo, "Kosovo is exported as XK"


def test_export_then_import_then_export_is_stable(portfolio) -> None:
    first = export.export_bytes(GENERATED)
    Action.objects.all().delete()
    report = services.import_file(acting_user=SYSTEM, data=first, source="palermo.xml")
    assert len(report.created) == 4 and report.external == 0 and report.programmes == ["XM-DAC-4-TEST-THB"]
    second = export.export_bytes(GENERATED)
    assert second == first
    again = services.import_file(acting_user=SYSTEM, data=second, source="palermo.xml")
    assert len(again.updated) == 4 and not again.created
    assert export.export_bytes(GENERATED) == first


def test_the_official_example_imports_as_another_donors_action(portfolio) -> None:
    example = shared_data("iati/examples/activity-standard-example-annotated-2.03.xml")
    report = services.import_file(acting_user=SYSTEM, data=example.read_bytes(), source=example.name)
    assert report.created == ["AA-AAA-123456789-ABC123"] and report.external == 1
    assert [w.line for w in report.warnings] == [51, 282, 396, 416]
    assert {w.reason for w in report.warnings[2:]} == {
        "only breakdowns by sex or by age, one at a time, are imported: these dimensions are passed over"
    }  # the example's target and actual are for female adults: two dimensions at once
    action = Action.objects.get(iati_identifier="AA-AAA-123456789-ABC123")
    assert action.is_external and action.programme is None and action.channel == "multilateral"
    assert action.title_en == "Activity title" and action.title_fr == "Titre de l'activité"
    assert sorted(action.country_shares.values_list("country_id", "percentage")) == [("AF", 25), ("AG", 25)]
    assert list(action.transactions.values_list("transaction_type", "value")) == [(1, 1000)]
    period = action.results.get().indicators.get().periods.get()
    assert (period.target, period.actual) == (10, 11)
    assert action.reporting_organisation.iati_identifier == "AA-AAA-123456789"


def _activity(recipients: str, currency: str = "EUR") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-01-01T00:00:00Z">
 <iati-activity default-currency="{currency}">
  <iati-identifier>XX-OTHER-9</iati-identifier>
  <reporting-org ref="XX-OTHER" type="10"><narrative>Other donor</narrative></reporting-org>
  <title><narrative>Other donor's action</narrative></title>
  <description><narrative>Shelters</narrative></description>
  <participating-org ref="XX-OTHER" role="1" type="10"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-01"/>
  {recipients}
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-02-01"/>
   <value value-date="2024-02-01">1000</value></transaction>
 </iati-activity>
</iati-activities>""".encode()


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (_activity('<recipient-country code="ZZ"/>'), 11, "'ZZ' is not a code of the Country codelist"),
        (
            _activity('<recipient-country code="RO" percentage="60"/><recipient-country code="RS" percentage="30"/>'),
            11,
            "the recipient country or region percentages sum to 90, not 100",
        ),
        (_activity('<recipient-country code="RO"/>', currency="USD"), 12, "only EUR amounts are accepted (got USD)"),
        (
            _activity('<recipient-country code="RO"/>').replace(b'code="2"', b'code="7"'),
            9,
            "'7' is not a code of the ActivityStatus codelist",
        ),
        (
            _activity('<recipient-country code="RO"/>')
            .replace(b"<title>", b"<titel>")
            .replace(b"</title>", b"</titel>"),
            6,
            "not valid against the IATI 2.03 schema: Element 'titel'",
        ),
        (
            b"<?xml version='1.0'?>\n<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n<iati-activities>&x;"
            b"</iati-activities>",
            2,
            "a document type declaration (a) is not accepted",
        ),
        (b"<iati-activities version='2.03'>\n<iati-activity>", 2, "malformed XML"),
    ],
    ids=["country-ZZ", "percentages", "currency", "status-code", "xsd", "external-entity", "malformed"],
)
def test_a_bad_file_is_refused_with_line_and_reason_and_imports_nothing(
    portfolio, data, line, reason
) -> None:
    before = counts()
    with pytest.raises(IatiRefused) as refused:
        services.import_file(acting_user=SYSTEM, data=data, source="bad.xml")
    problem = refused.value.problems[0]
    assert (problem.line, reason in problem.reason) == (line, True), str(refused.value)
    assert counts() == before


def test_a_good_activity_next_to_a_bad_one_is_not_imported_either(portfolio) -> None:
    good = _activity('<recipient-country code="RO"/>')
    bad = good.replace(b"XX-OTHER-9", b"XX-OTHER-10").replace(b'code="RO"', b'code="ZZ"')
    both = good.replace(b"</iati-activities>", b"") + bad.split(b'generated-datetime="2026-01-01T00:00:00Z">', 1)[1]
    before = counts()
    with pytest.raises(IatiRefused, match="'ZZ' is not a code of the Country codelist"):
        services.import_file(acting_user=SYSTEM, data=both, source="mixed.xml")
    assert counts() == before


def test_another_publisher_cannot_overwrite_a_programme_action(portfolio) -> None:
    data = _activity('<recipient-country code="RO"/>').replace(b"XX-OTHER-9", b"XM-DAC-4-TEST-THB-1")
    with pytest.raises(IatiRefused, match="belongs to an action of the programme"):
        services.import_file(acting_user=SYSTEM, data=data, source="hijack.xml")
    assert Action.objects.get(iati_identifier="XM-DAC-4-TEST-THB-1").title_en == "Action XM-DAC-4-TEST-THB-1"


def test_the_commands_export_validate_and_import(portfolio, tmp_path: Path) -> None:
    output = tmp_path / "portfolio.xml"
    call_command("iati", "export", "--output", str(output), "--validate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert output.read_bytes().startswith(b"<?xml")
    bad = tmp_path / "bad.xml"
    bad.write_bytes(_activity('<recipient-country code="ZZ"/>'))
    with pytest.raises(CommandError, match=r"bad.xml refused, nothing imported:\nline 11, .*'ZZ'"):
        call_command("iati", "import", str(bad))


def test_a_french_export_tags_english_and_comes_back_the_same(portfolio) -> None:
    first = export.export_bytes(GENERATED, lang="fr")
    tree = safexml.parse(first)
    assert import_checks.schema_problems(tree) == []
    action = tree.getroot()[1]
    assert action.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert [(n.get("{http://www.w3.org/XML/1998/namespace}lang"), n.text) for n in action.find("title")] == [
        (None, "Action XM-DAC-4-TEST-THB-1 (fr)"), ("en", "Action XM-DAC-4-TEST-THB-1")]
    Action.objects.all().delete()
    services.import_file(acting_user=SYSTEM, data=first, source="palermo-fr.xml")
    assert export.export_bytes(GENERATED, lang="fr") == first
    assert Action.objects.get(iati_identifier="XM-DAC-4-TEST-THB-1").title_en == "Action XM-DAC-4-TEST-THB-1"
