"""The CTDC layouts: the 2017 k-anonymised Global Dataset (62 variables) and the 2024 Global Synthetic
Dataset (27 variables), each read through one declarative table (``TABLE_2017``, ``TABLE_2024``: CTDC column ->
Palermo field and value, with what the codebook says), printed in docs/cases.md. Headers match case-insensitively;
missing-value codes (-99, NULL, Unknown, "") read as unknown. CTDC files carry no record id: an ``id`` column is
used when present, else the row number.

Read as CTDC means it: every flag of a multi-valued group is kept (industries, relations, means, forms);
``majorityStatus`` (minor or adult when registered) stands in when no age band is given; the status comes from
the data source (a hotline row is a *reported* possible victim, a case-management row an identified one); no case
status is invented (CTDC has none); illicit activities and begging are types of *labour* in CTDC's codebook, so
they count as forced labour there as well as forms of their own here.

``export_2024`` writes a record back in the 2024 layout (the owner export and the microdata release both use it);
what cannot come back unchanged is listed once, in ``LOSSY_2024``.

Pure: turns raw rows into ParsedCase objects or Problems.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
# The version of these tables that read a record (Case.mapping_version): raised whenever a rule changes.
MAPPING_VERSION = "1"


@dataclass(frozen=True)
class Rule:
    """One CTDC column: the Palermo field it fills and, for a flag (1 = yes), the value it adds to that field."""

    column: str
    field: str
    value: str = ""
    note: str = ""


def _flags(field: str, pairs: Mapping[str, str], note: str = "") -> tuple[Rule, ...]:
    return tuple(Rule(column, field, value, note) for column, value in pairs.items())


_COMMON = (
    Rule("yearOfRegistration", "year_identified", note="year of registration, the year counted; without a "
                                                       "data source (every 2024 row) the person is a possible victim"),
    Rule("gender", "gender", note="Female/Woman -> Feminine, Male/Man -> Masculine, Transgender -> NonConforming"),
    Rule("ageBroad", "age_band", note="the band as given (dashes normalised)"),
    Rule("citizenship", "citizenships", note="ISO code; SRB/RS means Serbia including Kosovo (CTDC convention)"),
    Rule("CountryOfExploitation", "country_of_exploitation", note="ISO code; 00/ZZ = unknown"),
)
TABLE_2017: tuple[Rule, ...] = (
    *_COMMON,
    Rule("Datasource", "data_source", note="Case management -> identified (actual victim); Hotline or missing -> "
                                          "reported (possible victim, not identified)"),
    Rule("majorityStatus", "majority_status", note="Minor/Adult when registered: a minor when no age band"),
    Rule("majorityStatusAtExploit", "is_minor", note="Minor/Adult when exploited"),
    Rule("majorityEntry", "is_minor", note="Minor/Adult when entering trafficking, when no majorityStatusAtExploit"),
    *_flags("means_of_control", {
        "meansOfControlDebtBondage": "DebtBondage", "meansOfControlTakesEarnings": "TakesEarnings",
        "meansOfControlRestrictsFinancialAccess": "RestrictsFinancialAccess",
        "meansOfControlThreats": "PhysicalThreats", "meansOfControlPsychologicalAbuse": "PsychologicalAbuse",
        "meansOfControlPhysicalAbuse": "PhysicalAbuse", "meansOfControlSexualAbuse": "SexualAbuse",
        "meansOfControlFalsePromises": "FalsePromises",
        "meansOfControlPsychoactiveSubstances": "PsychoactiveSubstance",
        "meansOfControlRestrictsMovement": "RestrictsMovement",
        "meansOfControlRestrictsMedicalCare": "RestrictsMedicalCare",
        "meansOfControlExcessiveWorkingHours": "ExcessiveWorkingHours",
        "meansOfControlUsesChildren": "ThreatensChildrenFamily",
        "meansOfControlThreatOfLawEnforcement": "ThreatsLawEnforcement",
        "meansOfControlWithholdsNecessities": "WithholdsNecessities",
        "meansOfControlWithholdsDocuments": "WithholdsDocuments", "meansOfControlOther": "Other",
    }),
    Rule("meansOfControlNotSpecified", "", note="checked, nothing stored: no means recorded"),
    *_flags("forms", {"isForcedLabour": "forced_labour", "isSexualExploit": "sexual_exploitation"}),
    Rule("isSexAndLabour", "forms", "forced_labour sexual_exploitation", "both forms"),
    *_flags("forms", {"isForcedMarriage": "forced_marriage", "isForcedMilitary": "forced_military",
                      "isOrganRemoval": "organ_removal"}),
    Rule("isOtherExploit", "other_exploitation", "true", "an other form of exploitation"),
    Rule("typeOfLabourBegging", "forms", "begging forced_labour", "a type of forced labour in CTDC: both"),
    Rule("typeOfLabourIllicitActivities", "forms", "criminal_activities forced_labour",
         "illicit activities are a type of forced labour in CTDC: both"),
    *_flags("forced_labour_industries", {
        "typeOfLabourAgriculture": codes.Industry.A, "typeOfLabourAquafarming": codes.Industry.A,
        "typeOfLabourConstruction": codes.Industry.F, "typeOfLabourDomesticWork": codes.Industry.T,
        "typeOfLabourHospitality": codes.Industry.I, "typeOfLabourManufacturing": codes.Industry.C,
        "typeOfLabourMiningOrDrilling": codes.Industry.B, "typeOfLabourTransportation": codes.Industry.H,
        "typeOfLabourPeddling": codes.Industry.G,
    }, "ISIC section"),
    Rule("typeOfLabourOther", "", note="checked, nothing stored: no ISIC section"),
    Rule("typeOfLabourNotSpecified", "", note="checked, nothing stored"),
    *_flags("sex_exploitation_types", {
        "typeOfSexProstitution": "Prostitution", "typeOfSexPornography": "Pornography",
        "typeOfSexRemoteInteractiveServices": "RemoteInteractiveServices",
        "typeOfSexPrivateSexualServices": "PrivateSexualServices",
    }),
    Rule("isAbduction", "recruitment_methods", "Abduction"),
    *_flags("recruiter_relations", {
        "recruiterRelationIntimatePartner": "IntimatePartner", "recruiterRelationFriend": "Friend",
        "recruiterRelationFamily": "Familial", "recruiterRelationOther": "Other",
    }),
    Rule("recruiterRelationUnknown", "", note="checked, nothing stored: relation unknown"),
)
TABLE_2024: tuple[Rule, ...] = (
    *_COMMON,
    Rule("traffickMonths", "trafficking_duration", note="0-12, 13-24, 25+"),
    *_flags("means_of_control", {
        "meansDebtBondageEarnings": "DebtBondage", "meansThreats": "PhysicalThreats",
        "meansAbusePsyPhySex": "PhysicalAbuse", "meansFalsePromises": "FalsePromises",
        "meansDrugsAlcohol": "PsychoactiveSubstance", "meansDenyBasicNeeds": "WithholdsNecessities",
        "meansExcessiveWorkHours": "ExcessiveWorkingHours", "meansWithholdDocs": "WithholdsDocuments",
        "meansWithholdDocuments": "WithholdsDocuments",
    }, "merged group (Stöckl et al. 2021): the HTCDS code that stands for it"),
    *_flags("forms", {"isForcedLabour": "forced_labour", "isSexualExploit": "sexual_exploitation"}),
    Rule("isOtherExploit", "other_exploitation", "true", "forced marriage, military, organ removal...: unnamed"),
    *_flags("forced_labour_industries", {
        "typeOfLabourAgriculture": codes.Industry.A, "typeOfLabourConstruction": codes.Industry.F,
        "typeOfLabourDomesticWork": codes.Industry.T, "typeOfLabourHospitality": codes.Industry.I,
    }, "ISIC section"),
    *_flags("sex_exploitation_types", {"typeOfSexProstitution": "Prostitution",
                                       "typeOfSexPornography": "Pornography"}),
    *_flags("recruiter_relations", {
        "recruiterRelationIntimatePartner": "IntimatePartner", "recruiterRelationFriend": "Friend",
        "recruiterRelationFamily": "Familial", "recruiterRelationOther": "Other",
    }),
)
# Columns a file may carry that only restate other columns: read, checked against nothing, stored nowhere.
DERIVED_2017 = ("meansOfControlConcatenated", "typeOfExploitConcatenated", "typeOfLabourConcatenated",
                "typeOfSexConcatenated", "RecruiterRelationship")
DIRECT = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation", "Datasource",
          "majorityStatus", "majorityStatusAtExploit", "majorityEntry", "traffickMonths")
TABLES = {CTDC2017: TABLE_2017, CTDC2024: TABLE_2024}
# Kept for the readers of the former names.
MEANS_2017 = {rule.column.removeprefix("meansOfControl"): rule.value for rule in TABLE_2017
              if rule.field == "means_of_control"}
MEANS_2024 = {rule.column: rule.value for rule in TABLE_2024 if rule.field == "means_of_control"}
GENDERS = {
    "female": codes.Gender.FEMININE, "woman": codes.Gender.FEMININE, "male": codes.Gender.MASCULINE,
    "man": codes.Gender.MASCULINE, "transgender/nonconforming": codes.Gender.NON_CONFORMING,
    "trans/transgender/nonconforming": codes.Gender.NON_CONFORMING,
}
DATA_SOURCES = {"casemanagement": codes.DataSource.CASE_MANAGEMENT, "hotline": codes.DataSource.HOTLINE}
DURATIONS = {"0-12": "0-12", "13-24": "13-24", "25+": "25+"}

# The 2024 layout written back (export_2024).
COLUMNS_2024 = (
    "yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation", "traffickMonths",
    "meansDebtBondageEarnings", "meansThreats", "meansAbusePsyPhySex", "meansFalsePromises", "meansDrugsAlcohol",
    "meansDenyBasicNeeds", "meansExcessiveWorkHours", "meansWithholdDocs",
    "isForcedLabour", "isSexualExploit", "isOtherExploit",
    "typeOfLabourAgriculture", "typeOfLabourConstruction", "typeOfLabourDomesticWork", "typeOfLabourHospitality",
    "typeOfSexProstitution", "typeOfSexPornography",
    "recruiterRelationIntimatePartner", "recruiterRelationFriend", "recruiterRelationFamily",
    "recruiterRelationOther",
)
# REFERENCE.md §1.8: HTCDS methods of control -> CTDC 2024 merged variables.
MEANS_TO_2024 = {
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
# Forms of exploitation (reference codes) -> the 2024 form flag. Begging and illicit activities are types of
# labour in CTDC's codebook (typeOfLabourBegging, typeOfLabourIllicitActivities): forced labour, not "other".
FORM_TO_2024 = {
    "forced_labour": "isForcedLabour", "begging": "isForcedLabour", "criminal_activities": "isForcedLabour",
    "sexual_exploitation": "isSexualExploit",
}
INDUSTRY_TO_2024 = {codes.Industry.A: "typeOfLabourAgriculture", codes.Industry.F: "typeOfLabourConstruction",
                    codes.Industry.T: "typeOfLabourDomesticWork", codes.Industry.I: "typeOfLabourHospitality"}
SEX_TO_2024 = {"Prostitution": "typeOfSexProstitution", "Pornography": "typeOfSexPornography"}
RELATION_TO_2024 = {
    "IntimatePartner": "recruiterRelationIntimatePartner", "Friend": "recruiterRelationFriend",
    "Familial": "recruiterRelationFamily", "Acquainted": "recruiterRelationOther",
    "Unacquainted": "recruiterRelationOther", "Other": "recruiterRelationOther",
}
GENDER_TO_2024 = {"female": "Woman", "male": "Man", "other": "Trans/Transgender/NonConforming"}

# What the 2024 layout cannot carry unchanged: (what, how it is written). Printed in docs/cases.md and in the
# note that accompanies every export and release in this layout.
LOSSY_2024: tuple[tuple[str, str], ...] = (
    ("Kosovo (XK)", "written as Serbia (SRB), CTDC's convention: it reads back as Serbia"),
    ("a second or further citizenship", "not written: the layout has one citizenship, the first is written"),
    ("methods of control", "merged into 8 groups (Stöckl et al. 2021); 'Other' is not written; a group reads back "
                           "as the one code that stands for it"),
    ("forms of exploitation other than forced labour and sexual exploitation",
     "written as isOtherExploit (begging and illicit activities as isForcedLabour, as CTDC's codebook says)"),
    ("forced labour industries other than A, F, I, T", "not written: the layout has four typeOfLabour columns"),
    ("sexual exploitation other than prostitution and pornography", "not written"),
    ("relations Acquainted and Unacquainted", "written as recruiterRelationOther"),
    ("gender", "written as the sex CTDC counts: Woman, Man, Trans/Transgender/NonConforming; unknown as empty"),
    ("age", "written as the CTDC age band only"),
    ("everything else (identity, route, recruitment, perpetrators, referral, case status)", "not in the layout"),
)


def export_2024(row: Mapping[str, Any], alpha3: Mapping[str, str],
                form_to: Mapping[str, str] = FORM_TO_2024) -> dict[str, str]:
    """One record in the 2024 layout. ``row``: ``year_identified``, ``sex`` (female/male/other/unknown),
    ``age_band``, ``citizenship`` and ``country_of_exploitation`` (ISO alpha-2), ``trafficking_duration``,
    ``means_of_control``, ``forms`` (reference codes), ``other_exploitation``, ``forced_labour_industries``,
    ``sex_exploitation_types``, ``recruiter_relations``. Flags are ``1`` or empty, as in CTDC's file."""
    out = dict.fromkeys(COLUMNS_2024, "")
    out["yearOfRegistration"] = str(row.get("year_identified") or "")
    out["gender"] = GENDER_TO_2024.get(row.get("sex") or "", "")
    out["ageBroad"] = row.get("age_band") or ""

    def country(code: str | None) -> str:
        if not code:
            return ""
        return "SRB" if code == "XK" else alpha3.get(code, "")

    out["citizenship"] = country(row.get("citizenship"))
    out["CountryOfExploitation"] = country(row.get("country_of_exploitation"))
    out["traffickMonths"] = row.get("trafficking_duration") or ""
    for means in row.get("means_of_control") or []:
        if means in MEANS_TO_2024:
            out[MEANS_TO_2024[means]] = "1"
    for form in row.get("forms") or []:
        out[form_to.get(form, "isOtherExploit")] = "1"
    if row.get("other_exploitation"):
        out["isOtherExploit"] = "1"
    for group, mapping in (("forced_labour_industries", INDUSTRY_TO_2024),
                           ("sex_exploitation_types", SEX_TO_2024), ("recruiter_relations", RELATION_TO_2024)):
        for value in row.get(group) or []:
            if value in mapping:
                out[mapping[value]] = "1"
    return out


def mapping_markdown(layout: str) -> str:
    """The table of a layout as docs/cases.md prints it (tested to match)."""
    lines = ["| CTDC column | Palermo field | value when 1 | note |", "|---|---|---|---|"]
    for rule in TABLES[layout]:
        lines.append(f"| `{rule.column}` | {f'`{rule.field}`' if rule.field else '—'} | "
                     f"{f'`{rule.value}`' if rule.value else ''} | {rule.note} |")
    return "\n".join(lines)


def lossy_markdown() -> str:
    lines = ["| what | written as |", "|---|---|"]
    lines.extend(f"| {what} | {how} |" for what, how in LOSSY_2024)
    return "\n".join(lines)


UNKNOWN_COUNTRY = frozenset({"00", "ZZ", "ZZZ"})
FLAG_COLUMNS = tuple(dict.fromkeys(rule.column for table in TABLES.values() for rule in table
                                   if rule.column not in DIRECT))
OTHER_COLUMNS = ("id", *DIRECT)
_BY_KEY = {header_key(name): name for name in (*FLAG_COLUMNS, *OTHER_COLUMNS, *DERIVED_2017)}


def detect(names: list[str]) -> str | None:
    keys = {header_key(name) for name in names}
    if {"meansdebtbondageearnings", "traffickmonths"} & keys:
        return CTDC2024
    if {"meansofcontroldebtbondage", "majoritystatus", "majoritystatusatexploit"} & keys:
        return CTDC2017
    return None


def canonical_columns(names: list[str], layout: str = CTDC2017) -> tuple[dict[str, str], list[str]]:
    """The file's columns of the layout -> their canonical names, and the columns the layout does not read."""
    known = {rule.column for rule in TABLES[layout]} | {"id"} | (
        {*DIRECT, *DERIVED_2017} if layout == CTDC2017 else set())
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for name in names:
        canonical = _BY_KEY.get(header_key(name))
        if canonical in known:
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
    flag_rules = [rule for rule in TABLES[layout] if rule.column not in DIRECT]
    for raw in rows:
        if on_row:
            on_row()
        number = int(raw[ROW_KEY])
        values = {canonical: (raw.get(name) or "").strip() for name, canonical in mapping.items()}
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
        case.known_minor = _majority(values, "majorityStatusAtExploit", fail)
        if case.known_minor is None:
            case.known_minor = _majority(values, "majorityEntry", fail)
        registered = _majority(values, "majorityStatus", fail)
        fields["majority_status"] = "" if registered is None else (
            codes.MajorityStatus.MINOR if registered else codes.MajorityStatus.ADULT)
        if registered and case.known_minor is None:
            case.known_minor = True  # a minor when registered was a minor when exploited
        duration = values.get("traffickMonths", "")
        if duration and not is_missing(duration):
            key = duration.replace("—", "-").replace("–", "-").replace("--", "-").split("(")[0].replace(" ", "")
            fields["trafficking_duration"] = DURATIONS.get(key, "")
            if not fields["trafficking_duration"]:
                fail("traffickMonths", gettext_noop("not a CTDC duration (0-12, 13-24, 25+)"))
        citizenship = country("citizenship")
        fields["citizenship_id"] = citizenship or None
        fields["citizenships"] = [citizenship] if citizenship else []
        case.exploitation_country = country("CountryOfExploitation")
        groups: dict[str, list[str]] = {"means_of_control": [], "forms": [], "forced_labour_industries": [],
                                        "sex_exploitation_types": [], "recruiter_relations": [],
                                        "recruitment_methods": []}
        fields["other_exploitation"] = False
        for rule in flag_rules:
            if not flag(rule.column) or not rule.field:
                continue
            if rule.field == "other_exploitation":
                fields["other_exploitation"] = True
                continue
            for value in rule.value.split():
                if value not in groups[rule.field]:
                    groups[rule.field].append(value)
        case.forms = groups.pop("forms")
        fields.update(groups)
        fields["forced_labour_industry"] = groups["forced_labour_industries"][0] if groups[
            "forced_labour_industries"] else ""
        fields["recruiter_relation"] = groups["recruiter_relations"][0] if groups["recruiter_relations"] else ""
        source = values.get("Datasource", "")
        fields["data_source"] = "" if is_missing(source) else DATA_SOURCES.get(header_key(source), "")
        if source and not is_missing(source) and not fields["data_source"]:
            fail("Datasource", gettext_noop("not a CTDC data source (Case management, Hotline)"))
        # A hotline row is a report: a possible victim, never an identified one. A case-management row is an
        # identified (actual) victim. A row without a data source (every 2024 row: the layout mixes assisted,
        # identified, referred and reported persons) cannot be said identified: possible. CTDC has no case status.
        fields["trafficking_status"] = (codes.TraffickingStatus.ACTUAL
                                        if fields["data_source"] == codes.DataSource.CASE_MANAGEMENT
                                        else codes.TraffickingStatus.POSSIBLE)
        fields["case_status"] = ""
        parsed.append(case)
    return parsed, problems


def _majority(values: dict[str, str], column: str, fail: Callable[..., None]) -> bool | None:
    text = values.get(column, "")
    lowered = text.lower()
    if lowered == "minor":
        return True
    if lowered == "adult":
        return False
    if text and not is_missing(text):
        fail(column, "write Minor, Adult or Unknown")
    return None
