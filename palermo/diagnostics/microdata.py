"""The CTDC 2024 Global Synthetic Dataset layout (27 variables), made k-anonymous. No Django.

Quasi-identifiers are what the threat model (docs/diagnostics.md) says someone who knows the person may know: year
of registration, gender, age band, citizenship, country of exploitation, and the form of exploitation (forced
labour, sexual, other). A record whose combination of quasi-identifiers is shared by fewer than ``k`` records is
generalised step by step — citizenship, then country of exploitation, then age band, then year are blanked (NULL,
CTDC's missing value) — and dropped if it is still rarer than ``k`` with all of them blank (the form flags are never
blanked: an empty flag means "no" in CTDC, so blanking one would falsify the record). Binary variables are ``1``
or empty, as in CTDC's file. Kosovo (XK) is exported as Serbia (SRB), the CTDC convention; that step is lossy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

CTDC_2024_COLUMNS = (
    "yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation", "traffickMonths",
    "meansDebtBondageEarnings", "meansThreats", "meansAbusePsyPhySex", "meansFalsePromises", "meansDrugsAlcohol",
    "meansDenyBasicNeeds", "meansExcessiveWorkHours", "meansWithholdDocs",
    "isForcedLabour", "isSexualExploit", "isOtherExploit",
    "typeOfLabourAgriculture", "typeOfLabourConstruction", "typeOfLabourDomesticWork", "typeOfLabourHospitality",
    "typeOfSexProstitution", "typeOfSexPornography",
    "recruiterRelationIntimatePartner", "recruiterRelationFriend", "recruiterRelationFamily",
    "recruiterRelationOther",
)
QUASI_IDENTIFIERS = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation",
                     "isForcedLabour", "isSexualExploit", "isOtherExploit")
GENERALISATION_ORDER = ("citizenship", "CountryOfExploitation", "ageBroad", "yearOfRegistration")

# REFERENCE.md §1.8: HTCDS methods of control -> CTDC 2024 merged variables.
MEANS_2024 = {
    "DebtBondage": "meansDebtBondageEarnings", "TakesEarnings": "meansDebtBondageEarnings",
    "PhysicalThreats": "meansThreats", "ThreatensChildrenFamily": "meansThreats",
    "ThreatsLawEnforcement": "meansThreats",
    "PsychologicalAbuse": "meansAbusePsyPhySex", "PhysicalAbuse": "meansAbusePsyPhySex",
    "SexualAbuse": "meansAbusePsyPhySex", "FalsePromises": "meansFalsePromises",
    "PsychoactiveSubstance": "meansDrugsAlcohol", "RestrictsFinancialAccess": "meansDenyBasicNeeds",
    "RestrictsMovement": "meansDenyBasicNeeds", "RestrictsMedicalCare": "meansDenyBasicNeeds",
    "WithholdsNecessities": "meansDenyBasicNeeds", "ExcessiveWorkingHours": "meansExcessiveWorkHours",
    "WithholdsDocuments": "meansWithholdDocs",
}
RELATION_2024 = {
    "IntimatePartner": "recruiterRelationIntimatePartner", "Friend": "recruiterRelationFriend",
    "Familial": "recruiterRelationFamily", "Acquainted": "recruiterRelationOther",
    "Unacquainted": "recruiterRelationOther", "Other": "recruiterRelationOther",
}
GENDER_2024 = {"female": "Woman", "male": "Man", "other": "Trans/Transgender/NonConforming"}


def ctdc_row(row: Mapping[str, Any], alpha3: Mapping[str, str], form_variable: Mapping[str, str]) -> dict[str, str]:
    """One flat case row in CTDC 2024 columns; ``form_variable`` maps exploitation form codes to
    ``isForcedLabour`` / ``isSexualExploit`` / ``isOtherExploit``."""
    out = dict.fromkeys(CTDC_2024_COLUMNS, "")
    out["yearOfRegistration"] = str(row.get("year_identified") or "")
    out["gender"] = GENDER_2024.get(row.get("sex") or "", "")
    out["ageBroad"] = row.get("age_band") or ""

    def country(code: str | None) -> str:
        if not code:
            return ""
        return "SRB" if code == "XK" else alpha3.get(code, "")

    out["citizenship"] = country(row.get("citizenship"))
    out["CountryOfExploitation"] = country(row.get("country_of_exploitation"))
    for means in row.get("means_of_control") or []:
        if means in MEANS_2024:
            out[MEANS_2024[means]] = "1"
    for form in row.get("forms") or []:
        if form in form_variable:
            out[form_variable[form]] = "1"
    relation = RELATION_2024.get(row.get("recruiter_relation") or "")
    if relation:
        out[relation] = "1"
    return out


def k_anonymous_microdata(rows: Iterable[Mapping[str, Any]], k: int, alpha3: Mapping[str, str],
                          form_variable: Mapping[str, str]) -> tuple[list[dict[str, str]], dict[str, int]]:
    """CTDC 2024 rows in which every combination of quasi-identifiers occurs at least ``k`` times.

    Returns the rows (shuffled out of case order: sorted by their values) and counts of what was done.
    """
    if k < 2:
        raise ValueError("k-anonymity needs k of at least 2")
    records = [ctdc_row(row, alpha3, form_variable) for row in rows]
    stats = {"input": len(records), "generalised": 0, "dropped": 0}
    generalised: set[int] = set()
    for column in GENERALISATION_ORDER:
        groups = Counter(_key(record) for record in records)
        for index, record in enumerate(records):
            if groups[_key(record)] < k and record[column]:
                record[column] = ""
                generalised.add(index)
    groups = Counter(_key(record) for record in records)
    kept = [record for record in records if groups[_key(record)] >= k]
    stats["generalised"] = len(generalised)
    stats["dropped"] = len(records) - len(kept)
    kept.sort(key=lambda record: tuple(record[c] for c in CTDC_2024_COLUMNS))
    return kept, stats


def _key(record: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(record[column] for column in QUASI_IDENTIFIERS)


def smallest_group(records: Iterable[Mapping[str, str]]) -> int:
    groups = Counter(_key(record) for record in records)
    return min(groups.values()) if groups else 0
