"""The IATI 2.03 codes Palermo emits and accepts.

The small, version-locked code sets are written here, copied from the IATI-Codelists repository
(branch version-2.03, commit 75e827ba, CC BY 4.0, "IATI Standard (http://iatistandard.org/)")
for the embedded lists and from IATI-Codelists-NonEmbedded (commit 7aeece77) for the others.
The long lists (countries, sectors, currencies, CRS channels, regions, SDG targets) are read
from the codelist XML files in the directory named by ``PALERMO_IATI_CODELIST_DIR``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

# Embedded codelists (version-locked to 2.03).
ORGANISATION_ROLE = {"1": "Funding", "2": "Accountable", "3": "Extending", "4": "Implementing"}
ACTIVITY_STATUS = {
    "1": "Pipeline/identification",
    "2": "Implementation",
    "3": "Finalisation",
    "4": "Closed",
    "5": "Cancelled",
    "6": "Suspended",
}
ACTIVITY_DATE_TYPE = {"1": "Planned start", "2": "Actual start", "3": "Planned End", "4": "Actual end"}
BUDGET_TYPE = {"1": "Original", "2": "Revised"}
BUDGET_STATUS = {"1": "Indicative", "2": "Committed"}
TRANSACTION_TYPE = {
    str(code): name
    for code, name in enumerate(
        [
            "Incoming Funds",
            "Outgoing Commitment",
            "Disbursement",
            "Expenditure",
            "Interest Payment",
            "Loan Repayment",
            "Reimbursement",
            "Purchase of Equity",
            "Sale of Equity",
            "Credit Guarantee",
            "Incoming Commitment",
            "Outgoing Pledge",
            "Incoming Pledge",
        ],
        start=1,
    )
}
RELATED_ACTIVITY_TYPE = {"1": "Parent", "2": "Child", "3": "Sibling", "4": "Co-funded", "5": "Third Party"}
DOCUMENT_CATEGORY = {f"A{n:02d}" for n in range(1, 13)} | {f"B{n:02d}" for n in range(1, 19)}

# Non-embedded, small and stable.
RESULT_TYPE = {"1": "Output", "2": "Outcome", "3": "Impact", "9": "Other"}
INDICATOR_MEASURE = {"1": "Unit", "2": "Percentage", "3": "Nominal", "4": "Ordinal", "5": "Qualitative"}
TAG_VOCABULARY = {"1", "2", "3", "4", "5", "99"}
SECTOR_VOCABULARY = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "98", "99"}
REGION_VOCABULARY = {"1", "2", "99"}
DESCRIPTION_TYPE = {"1", "2", "3", "4"}
COLLABORATION_TYPE = {"1", "2", "3", "4", "6", "7", "8"}
ACTIVITY_SCOPE = {str(code) for code in range(1, 9)}
ORGANISATION_TYPE = {"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"}

# What Palermo writes about itself (REFERENCE.md §4.3-4.4).
DAC_SECTORS = ("15190", "15180", "15160", "15130", "16070")
SDG_TARGETS = ("5.2", "8.7", "16.2")
GENDER_EQUALITY_MARKER = "1"


@dataclass(frozen=True)
class LongCodelists:
    """Codes of the non-embedded lists read from files; an absent list is not checked."""

    country: frozenset[str] | None = None
    sector: frozenset[str] | None = None
    sector_category: frozenset[str] | None = None
    currency: frozenset[str] | None = None
    crs_channel: frozenset[str] | None = None
    region: frozenset[str] | None = None
    sdg_goal: frozenset[str] | None = None
    sdg_target: frozenset[str] | None = None
    registration_agency: frozenset[str] | None = None
    missing: tuple[str, ...] = field(default=())


FILES = {
    "country": "Country.xml",
    "sector": "Sector.xml",
    "sector_category": "SectorCategory.xml",
    "currency": "Currency.xml",
    "crs_channel": "CRSChannelCode.xml",
    "region": "Region.xml",
    "sdg_goal": "UNSDG-Goals.xml",
    "sdg_target": "UNSDG-Targets.xml",
    "registration_agency": "OrganisationRegistrationAgency.xml",
}


def organisation_identifier_problem(ref: str, agencies: frozenset[str] | None) -> str | None:
    """Why an organisation identifier does not begin with an approved agency code of the
    OrganisationRegistrationAgency codelist followed by "-" and the identifier in that register (IATI rule 1.14.8
    for an identifier the IATI Registry does not hold), or None. Not checked without the codelist."""
    if agencies is None:
        return None
    agency = next((code for code in sorted(agencies, key=len, reverse=True) if ref.startswith(code + "-")), None)
    if agency is None or len(ref) == len(agency) + 1:
        return (f"{ref!r} does not begin with an approved agency code of the OrganisationRegistrationAgency codelist "
                f"followed by '-' (IATI rule 1.14.8), e.g. 'XM-DAC-4' (France in the OECD DAC donor list)")
    return None


def read_codelist(path: Path) -> frozenset[str]:
    """The codes of one codelist file, withdrawn codes included (old data may carry them)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser=parser).getroot()
    return frozenset((code.text or "").strip() for code in root.iterfind("codelist-items/codelist-item/code"))


@lru_cache(maxsize=4)
def long_codelists(directory: str | None) -> LongCodelists:
    if not directory:
        return LongCodelists(missing=tuple(FILES.values()))
    base = Path(directory)
    found: dict[str, frozenset[str]] = {}
    missing = []
    for name, filename in FILES.items():
        candidates = [base / "non-embedded" / filename, base / filename]
        path = next((candidate for candidate in candidates if candidate.is_file()), None)
        if path is None:
            missing.append(filename)
        else:
            found[name] = read_codelist(path)
    return LongCodelists(**found, missing=tuple(missing))
