"""The export of the demo portfolio against the IATI Standard ruleset (``rulesets/standard.json``): no error or
warning the demo could avoid; the reporting identifier is a setting checked against the
OrganisationRegistrationAgency codelist; narratives are words, not codes; transactions name provider and receiver."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from lxml import etree

from palermo.iati import codes, export
from tests.conftest import shared_data
from tests.iati.rulesets import Ruleset, agencies

pytestmark = pytest.mark.django_db


def test_the_demo_export_raises_no_error_or_warning_of_the_iati_rulesets() -> None:
    rules = shared_data("iati/rulesets/standard.json")
    agency_list = shared_data("iati/codelists/non-embedded/OrganisationRegistrationAgency.xml")
    call_command("demo", "--only", "partners", "programme", stdout=open("/dev/null", "w"))  # noqa: SIM115
    document = etree.fromstring(export.export_bytes())
    ruleset = Ruleset(rules, agencies(agency_list), date.today())
    findings = ruleset.check(document.getroottree())
    assert findings == [], sorted({(f.rule, f.message) for f in findings})
    assert ruleset.skipped == set()
    # The same rules catch what the demo used to carry: FR-3 as reporting identifier, money after the action ended.
    action = document.find("iati-activity[@hierarchy='2']")
    action.find("reporting-org").set("ref", "FR-3")
    action.find("transaction/transaction-date").set("iso-date", "2999-01-01")
    found = {f.rule for f in ruleset.check(document.getroottree())}
    assert {"1.14.8", "1.1.21", "11.2.1"} <= found
    # Narratives in words: the channel, target group and form tags carry their labels in English and French.
    tags = {(t.get("vocabulary-uri", "").rsplit("#", 1)[-1], t.get("code")):
            [n.text for n in t.iter("narrative")] for t in document.iter("tag")}
    assert tags[("channel", "multilateral")] == ["multilateral", "multilatéral"]
    assert tags[("trafficking-form", "migration_route")] == ["trafficking along the migration route",
                                                             "traite le long de la route migratoire"]
    assert tags[("target-group", "minors")] == ["minors", "mineurs"]
    for transaction in document.iter("transaction"):
        assert transaction.find("provider-org") is not None and transaction.find("receiver-org") is not None


def test_the_reporting_identifier_is_a_setting_checked_against_the_agency_codelist(settings) -> None:
    lists = codes.long_codelists(settings.PALERMO_IATI_CODELIST_DIR)
    assert codes.organisation_identifier_problem("XM-DAC-4", lists.registration_agency) is None
    assert "1.14.8" in codes.organisation_identifier_problem("FR-3", lists.registration_agency)
    assert codes.organisation_identifier_problem("XM-DAC-", lists.registration_agency) is not None
    assert [m.id for m in run_checks() if m.id == "iati.W001"] == []
    settings.PALERMO_IATI_REPORTING_ORG_REF = "FR-3"
    assert [m.id for m in run_checks() if m.id == "iati.W001"] == ["iati.W001"]
