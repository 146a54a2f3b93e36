"""The CTDC layouts: the 2017 k-anonymised Global Dataset (62 variables) and the 2024 Global Synthetic
Dataset (27 variables). Headers match case-insensitively; missing-value codes (-99, NULL, Unknown, "") read as
unknown. CTDC files carry no record id: an ``id`` column is used when present, else the row number.

Pure: turns raw rows into ParsedCase objects or Problems.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from palermo.cases import codes
from palermo.cases.importing.records import (
    ROW_KEY,
    Countries,
    ParsedCase,
    Problem,
    gettext_noop,
    header_key,
    is_missing,
)
from palermo.cases.rules import normalise_age_band

CTDC2017 = "ctdc2017"
CTDC2024 = "ctdc2024"

MEANS_2017 = {
    "DebtBondage": "DebtBondage", "TakesEarnings": "TakesEarnings",
    "RestrictsFinancialAccess": "RestrictsFinancialAccess", "Threats": "PhysicalThreats",
    "PsychologicalAbuse": "PsychologicalAbuse", "PhysicalAbuse": "PhysicalAbuse", "SexualAbuse": "SexualAbuse",
    "FalsePromises": "FalsePromises", "PsychoactiveSubstances": "PsychoactiveSubstance",
    "RestrictsMovement": "RestrictsMovement", "RestrictsMedicalCare": "RestrictsMedicalCare",
    "ExcessiveWorkingHours": "ExcessiveWorkingHours", "UsesChildren": "ThreatensChildrenFamily",
    "ThreatOfLawEnforcement": "ThreatsLawEnforcement", "WithholdsNecessities": "WithholdsNecessities",
    "WithholdsDocuments": "WithholdsDocuments", "Other": "Other",
}
# 2024 merged groups (Stöckl et al. 2021) -> the HTCDS code that stands for the group (see docs/cases.md).
MEANS_2024 = {
    "meansDebtBondageEarnings": "DebtBondage", "meansThreats": "PhysicalThreats",
    "meansAbusePsyPhySex": "PhysicalAbuse", "meansFalsePromises": "FalsePromises",
    "meansDrugsAlcohol": "PsychoactiveSubstance", "meansDenyBasicNeeds": "WithholdsNecessities",
    "meansExcessiveWorkHours": "ExcessiveWorkingHours", "meansWithholdDocs": "WithholdsDocuments",
    "meansWithholdDocuments": "WithholdsDocuments",
}
FORMS = {
    "isForcedLabour": ["forced_labour"], "isSexualExploit": ["sexual_exploitation"],
    "isSexAndLabour": ["forced_labour", "sexual_exploitation"], "isForcedMarriage": ["forced_marriage"],
    "isForcedMilitary": ["forced_military"], "isOrganRemoval": ["organ_removal"],
    "typeOfLabourBegging": ["begging"], "typeOfLabourIllicitActivities": ["criminal_activities"],
}
INDUSTRY = {
    "typeOfLabourAgriculture": codes.Industry.A, "typeOfLabourAquafarming": codes.Industry.A,
    "typeOfLabourConstruction": codes.Industry.F, "typeOfLabourDomesticWork": codes.Industry.T,
    "typeOfLabourHospitality": codes.Industry.I, "typeOfLabourManufacturing": codes.Industry.C,
    "typeOfLabourMiningOrDrilling": codes.Industry.B, "typeOfLabourTransportation": codes.Industry.H,
    "typeOfLabourPeddling": codes.Industry.G,
}
SEX_TYPES = {
    "typeOfSexProstitution": "Prostitution", "typeOfSexPornography": "Pornography",
    "typeOfSexRemoteInteractiveServices": "RemoteInteractiveServices",
    "typeOfSexPrivateSexualServices": "PrivateSexualServices",
}
RELATIONS = {
    "recruiterRelationIntimatePartner": "IntimatePartner", "recruiterRelationFriend": "Friend",
    "recruiterRelationFamily": "Familial", "recruiterRelationOther": "Other",
}
GENDERS = {
    "female": codes.Gender.FEMININE, "woman": codes.Gender.FEMININE, "male": codes.Gender.MASCULINE,
    "man": codes.Gender.MASCULINE, "transgender/nonconforming": codes.Gender.NON_CONFORMING,
    "trans/transgender/nonconforming": codes.Gender.NON_CONFORMING,
}
UNKNOWN_COUNTRY = frozenset({"00", "ZZ", "ZZZ"})
FLAG_COLUMNS = (
    *(f"meansOfControl{name}" for name in (*MEANS_2017, "NotSpecified")), *MEANS_2024, *FORMS, "isOtherExploit",
    *INDUSTRY, "typeOfLabourOther", "typeOfLabourNotSpecified", *SEX_TYPES, *RELATIONS, "recruiterRelationUnknown",
    "isAbduction",
)
OTHER_COLUMNS = ("id", "yearOfRegistration", "gender", "ageBroad", "majorityStatusAtExploit", "majorityStatus",
                 "citizenship", "CountryOfExploitation")
_BY_KEY = {header_key(name): name for name in (*FLAG_COLUMNS, *OTHER_COLUMNS)}


def detect(names: list[str]) -> str | None:
    keys = {header_key(name) for name in names}
    if {"meansdebtbondageearnings", "traffickmonths"} & keys:
        return CTDC2024
    if {"meansofcontroldebtbondage", "majoritystatus", "majoritystatusatexploit"} & keys:
        return CTDC2017
    return None


def canonical_columns(names: list[str]) -> tuple[dict[str, str], list[str]]:
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for name in names:
        canonical = _BY_KEY.get(header_key(name))
        if canonical:
            mapping[name] = canonical
        elif not name.startswith("__"):
            ignored.append(name)
    return mapping, ignored


def _checks(number: int, values: dict[str, str], columns: dict[str, str], problems: list[Problem],
            flag_values: set[str], countries: Countries) -> tuple[Any, Any, Any]:
    def fail(column: str, reason: str, value: str | None = None) -> None:
        problems.append(Problem(number, columns.get(column, column),
                                values.get(column, "") if value is None else value, reason))

    def flag(column: str) -> bool:
        value = values.get(column, "")
        if is_missing(value) or value in ("0", "0.0"):
            return False
        if value.lower() in flag_values:
            return True
        fail(column, gettext_noop("a flag is 1, 0 or a missing-value code (-99, NULL, empty)"))
        return False

    def country(column: str) -> str:
        value = values.get(column, "")
        if is_missing(value) or value.upper() in UNKNOWN_COUNTRY:
            return ""
        code = countries.code(value)
        if code is None:
            fail(column, gettext_noop("not an ISO 3166 country code"))
        return code or ""

    return fail, flag, country


def parse_rows(rows: Any, mapping: dict[str, str], countries: Countries, layout: str,
               on_row: Callable[[], None] | None = None) -> tuple[list[ParsedCase], list[Problem]]:
    parsed: list[ParsedCase] = []
    problems: list[Problem] = []
    columns = {canonical: name for name, canonical in mapping.items()}
    seen: dict[str, int] = {}
    flag_values = {"1", "1.0", "true"} if layout == CTDC2024 else {"1", "1.0"}
    for raw in rows:
        if on_row:
            on_row()
        number = int(raw[ROW_KEY])
        values = {canonical: raw.get(name, "").strip() for name, canonical in mapping.items()}
        if not any(values.values()):
            continue

        fail, flag, country = _checks(number, values, columns, problems, flag_values, countries)
        record_id = values.get("id", "") or str(number)
        if record_id in seen:
            fail("id", f"the same record id is already on row {seen[record_id]}")
        seen[record_id] = number
        case = ParsedCase(row=number, record_id=record_id)
        fields = case.fields
        year = values.get("yearOfRegistration", "")
        if year and not is_missing(year):
            try:
                case.known_year = int(float(year))
                if not 1990 <= case.known_year <= 2100:
                    raise ValueError
            except ValueError:
                case.known_year = None
                fail("yearOfRegistration", gettext_noop("not a year (YYYY)"))
        gender = values.get("gender", "")
        fields["gender"] = "" if is_missing(gender) else GENDERS.get(gender.lower(), "")
        if gender and not is_missing(gender) and not fields["gender"]:
            fail("gender", gettext_noop("not a CTDC gender (Male, Female, Man, Woman, Transgender/NonConforming)"))
        band = values.get("ageBroad", "")
        if band and not is_missing(band):
            case.known_age_band = normalise_age_band(band) or ""
            if not case.known_age_band:
                fail("ageBroad", gettext_noop("not a CTDC age band (0-8, 9-17, 18-20, ... 48+)"))
        majority = values.get("majorityStatusAtExploit", "").lower()
        case.known_minor = True if majority == "minor" else False if majority == "adult" else None
        if majority and not is_missing(majority) and case.known_minor is None:
            fail("majorityStatusAtExploit", "write Minor, Adult or Unknown")
        fields["citizenship_id"] = country("citizenship") or None
        case.exploitation_country = country("CountryOfExploitation")
        means: list[str] = []
        for name, code in MEANS_2017.items():
            if flag(f"meansOfControl{name}") and code not in means:
                means.append(code)
        flag("meansOfControlNotSpecified")
        for name, code in MEANS_2024.items():
            if flag(name) and code not in means:
                means.append(code)
        fields["means_of_control"] = means
        forms: list[str] = []
        for name, targets in FORMS.items():
            if flag(name):
                forms.extend(target for target in targets if target not in forms)
        case.forms = forms
        fields["other_exploitation"] = flag("isOtherExploit")
        industries = [str(code) for name, code in INDUSTRY.items() if flag(name)]
        flag("typeOfLabourOther")
        flag("typeOfLabourNotSpecified")
        fields["forced_labour_industry"] = industries[0] if industries else ""
        fields["sex_exploitation_types"] = [code for name, code in SEX_TYPES.items() if flag(name)]
        relations = [code for name, code in RELATIONS.items() if flag(name)]
        flag("recruiterRelationUnknown")
        fields["recruiter_relation"] = relations[0] if relations else ""
        fields["recruitment_methods"] = ["Abduction"] if flag("isAbduction") else []
        # CTDC holds identified and assisted victims.
        fields["trafficking_status"] = codes.TraffickingStatus.ACTUAL
        fields["case_status"] = codes.CaseStatus.CLOSED
        parsed.append(case)
    return parsed, problems
