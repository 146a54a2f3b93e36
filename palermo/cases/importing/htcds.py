"""The HTCDS v2.0 layout: one row per case, columns named as the standard (or its XLSForm, or its Excel
template, typos included), plus Palermo's ``plm_`` columns for what the standard keeps in other tables.

Pure: turns the cells of a file into parsed cases (frames.CASE_SCHEMA) or Problems; knows nothing of the
database.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from palermo.cases import codes
from palermo.cases.importing import frames
from palermo.cases.importing.columns import ROW, ColumnChecks, Failures, missing_to_empty
from palermo.cases.importing.records import ROW_KEY, Countries, Problem, gettext_noop, header_key

# Canonical column names understood by this layout.
IDENTIFYING_COLUMNS = {
    "prs_Salutation": "salutation",
    "prs_FirstName": "first_name",
    "prs_MiddleName": "middle_name",
    "prs_SecondName": "second_name",
    "prs_Title": "title",
    "prs_Email": "email",
    "prs_HomePhone": "home_phone",
    "prs_MobilePhone": "mobile_phone",
    "prs_IdentityNumber": "identity_number",
    "prs_MailingStreet": "mailing_street",
    "prs_MailingCity": "mailing_city",
    "prs_MailingState": "mailing_state",
    "prs_MailingPostalCode": "mailing_postal_code",
    "prs_MailingCountry": "mailing_country",
}
REFERRAL_COLUMNS = (
    "cas_ReferringOrganisation", "cas_ReferringPrimaryCaseWorker", "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails", "cas_ReferredOrganisation", "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral", "cas_OutgoingReferralDate", "cas_OutgoingReferralDetails",
)  # with cas_IncomingReferralDate, the ten referral fields
# One historic trafficking event (HTCDS hte_*) per case row: column -> frame column (frames.HTE_TEXT and date,
# latitude, longitude).
HTE_COLUMNS = {
    "hte_Type": "hte_kind", "hte_Country": "hte_country", "hte_City": "hte_city", "hte_State": "hte_state",
    "hte_Street": "hte_street", "hte_PostalCode": "hte_postal_code", "hte_Description": "hte_description",
    "hte_Date": "hte_date", "hte_Latitude": "hte_latitude", "hte_Longitude": "hte_longitude",
}
HTE_COLUMNS_ORDER = ("hte_Type", "hte_Date", "hte_Country", "hte_State", "hte_City", "hte_Street",
                     "hte_PostalCode", "hte_Latitude", "hte_Longitude", "hte_Description")
# HTCDS v2.0 columns a case row may carry that Palermo does not hold, by prefix or name, with the reason. A filled
# cell of one refuses the file (docs/cases.md, "Imports"); an empty one is listed in the report.
REFUSED_PREFIXES = {
    "org_": "an organisation's own fields: the owning organisation is chosen on the import page and kept in the "
            "partner directory",
    "spl_": "support plans are kept by the assistance app (one entry per plan, with its provider and start date): "
            "record them on the case's support page",
    "cco_": "case comments are notes, not data: add them on the case page",
}
REFUSED_NAMES = {
    "prs_MailingLongitude": "the geolocation of the person's address is not kept (data minimisation)",
    "prs_MailingLatitude": "the geolocation of the person's address is not kept (data minimisation)",
}
# The version of this mapping that read a record (Case.mapping_version): raised whenever a rule changes.
MAPPING_VERSION = "2"
ID_COLUMNS = ("plm_CaseId", "cas_CaseNumber", "cas_CaseId", "id", "__first_column")
COLUMNS = (
    *IDENTIFYING_COLUMNS,
    *ID_COLUMNS[:-1],
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_MaritalStatus",
    "prs_HighestLevelOfEducation",
    "con_Consent",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_RelationshipToTrafficker",
    "vic_AgeWhenTrafficked",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "cas_Status",
    "cas_IncomingReferralDate",
    "per_RoleInProcess",
    "plm_IdentificationDate",
    "plm_StatusDecidedOn",
    "plm_AgeAtIdentification",
    "plm_RecruiterRelation",
    "plm_RecruitmentCountry",
    "plm_RecruitmentDate",
    "plm_TransitCountries",
    "plm_ExploitationCountry",
    "plm_ExploitationDate",
    # Every other HTCDS v2.0 field a case row can hold.
    "cas_CaseOwner", "prs_Deceased", "prs_NumberOfChildren", "prs_PrimaryLanguage", "prs_SecondaryLanguage",
    "vic_AgreementToManagePersonalData", "vic_RecruitmentWebsitesAndApps", "vic_ExploitationWebsitesAndApps",
    "vic_Vulnerabilities", "vic_DetailsOfVulnerabilities", "per_RoleDetails", "cas_ReasonForCaseClosure",
    *REFERRAL_COLUMNS, *HTE_COLUMNS, "plm_MigrationStatus", "plm_TraffickingDuration",
)
# Spellings met in the HTCDS toolkit itself (template typo, XLSForm names), by header key.
ALIASES = {
    "victraffickinstatusdecisionmakingorg": "vic_TraffickingStatusDecisionMakingOrg",
    "vicmethodofcontrol": "vic_MethodsOfControl",
}
_BY_KEY = {header_key(name): name for name in COLUMNS} | ALIASES

# The columns an export writes, in this order: the Excel template's first (its order), then every other field of
# HTCDS v2.0 a case holds, then Palermo's plm_ columns (docs/cases.md, "Exports").
TEMPLATE_COLUMNS = (
    "cas_CaseOwner", "prs_Salutation", "prs_FirstName", "prs_SecondName", "con_Consent", "prs_Birthdate",
    "prs_Gender", "prs_Citizenship", "prs_Title", "prs_Email", "prs_HomePhone", "prs_MobilePhone",
    "prs_MailingCity", "prs_MailingCountry", "prs_MailingState", "prs_MailingStreet", "prs_MailingPostalCode",
    "vic_TraffickingStatus", "vic_TraffickingStatusDecisionMakingOrg", "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment", "vic_MethodsOfControl", "vic_TypeOfExploitation", "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation", "vic_LocationOfExploitation", "cas_Status", "cas_ReferringOrganisation",
    "cas_IncomingReferralDate", "cas_ReferringPrimaryCaseWorker", "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails", "cas_ReferredOrganisation", "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral", "cas_OutgoingReferralDate", "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
)
EXPORT_COLUMNS = (
    "plm_CaseId", *TEMPLATE_COLUMNS,
    "prs_MiddleName", "prs_IdentityNumber", "prs_Deceased", "prs_MaritalStatus", "prs_NumberOfChildren",
    "prs_PrimaryLanguage", "prs_SecondaryLanguage", "prs_HighestLevelOfEducation", "vic_RelationshipToTrafficker",
    "vic_AgeWhenTrafficked", "vic_RecruitmentWebsitesAndApps", "vic_ExploitationWebsitesAndApps",
    "vic_Vulnerabilities", "vic_DetailsOfVulnerabilities", "per_RoleInProcess", "per_RoleDetails",
    *HTE_COLUMNS_ORDER,
    "plm_IdentificationDate", "plm_StatusDecidedOn", "plm_AgeAtIdentification", "plm_RecruiterRelation",
    "plm_RecruitmentCountry", "plm_RecruitmentDate", "plm_TransitCountries", "plm_ExploitationCountry",
    "plm_ExploitationDate", "plm_MigrationStatus", "plm_TraffickingDuration",
)
_RELATION_OF_HTCDS = {
    "Familial": "Familial",
    "Acquainted": "Acquainted",
    "Unaquainted": "Unacquainted",
    "Unacquainted": "Unacquainted",
    "Family": "Familial",
}
_TRUE = {"true", "yes", "1", "y", "oui"}
_FALSE = {"false", "no", "0", "n", "non"}


def refusal(name: str) -> str | None:
    """Why a standard column is not imported, or None when it is imported (or is no standard column)."""
    key = header_key(name)
    for refused, reason in REFUSED_NAMES.items():
        if header_key(refused) == key:
            return reason
    for prefix, reason in REFUSED_PREFIXES.items():
        if name.lower().startswith(prefix):
            return reason
    return None


_BY_LABEL = {header_key(name.split("_", 1)[1]): name for name in COLUMNS if "_" in name}


def name_unnamed_columns(names: list[str], frame: pl.DataFrame) -> tuple[list[str], pl.DataFrame]:
    """A column without a header whose first row is a field's label takes that field's name: the Excel template
    leaves ``cas_ReasonForOutgoingReferral`` without its header, its label row says "Reason for Outgoing
    Referral". Other unnamed columns keep their names (a filled one is refused, see services.imports)."""
    if frame.is_empty():
        return names, frame
    present = {_BY_KEY.get(header_key(name)) for name in names}
    renamed: dict[str, str] = {}
    first = frame.sort(ROW_KEY).row(0, named=True)
    for name in names:
        if not name.startswith("__column_"):
            continue
        canonical = _BY_LABEL.get(header_key(str(first.get(name) or "")))
        if canonical and canonical not in present:
            renamed[name] = canonical
            present.add(canonical)
    if not renamed:
        return names, frame
    return [renamed.get(name, name) for name in names], frame.rename(renamed)


def canonical_columns(names: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map each file column to its canonical name; return the mapping and the ignored columns."""
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for name in names:
        canonical = _BY_KEY.get(header_key(name)) if name != "__first_column" else "__first_column"
        if canonical and canonical not in mapping.values():
            mapping[name] = canonical
        elif not name.startswith("__column_"):
            ignored.append(name)
    return mapping, ignored


_LOOKUPS: dict[type[codes.CodeList], Callable[[str], str | None]] = {}


def _in(choices: type[codes.CodeList]) -> Callable[[str], str | None]:
    lookup = _LOOKUPS.get(choices)
    if lookup is None:
        by_key = {header_key(value): value for value in choices.values}
        exact = {value: value for value in choices.values}

        def lookup(text: str) -> str | None:
            return exact.get(text) or by_key.get(header_key(text))

        _LOOKUPS[choices] = lookup
    return lookup


def _status(text: str) -> str | None:
    if text in codes.HTCDS_TRAFFICKING_STATUS:
        return str(codes.HTCDS_TRAFFICKING_STATUS[text])
    return text if text in codes.TraffickingStatus.values else None


def _form(text: str) -> str | None:
    if text == codes.OTHER_EXPLOITATION:
        return text
    return codes.EXPLOITATION_FORM_OF_HTCDS.get(text)


def parse_frame(
    frame: pl.DataFrame, mapping: dict[str, str], countries: Countries
) -> tuple[pl.DataFrame, list[Problem]]:
    """Validate the rows of a file (file column names and ROW_KEY, the file's row numbers) column by column.

    Returns the parsed cases (frames.CASE_SCHEMA) and every problem; the checks are those of the standard's
    columns, applied once per distinct value (see columns.py).
    """
    problems: list[Problem] = []
    cells = frame.select(
        *(
            # An apostrophe before a formula's first character is the export's guard against CSV injection
            # (palermo.tabular): read the text it guards.
            pl.col(name).cast(pl.String).fill_null("").str.strip_chars().str.replace(r"^'([=+\-@])", "$1")
            .alias(canonical)
            for name, canonical in mapping.items()
        ),
        pl.col(ROW_KEY).cast(pl.Int64).alias(ROW),
    )
    if "prs_FirstName" in cells.columns:  # the Excel template's second row repeats the labels
        cells = cells.filter(pl.col("prs_FirstName").str.to_lowercase() != "first name")
    filled = [missing_to_empty(pl.col(c)) != "" for c in cells.columns if c not in (ROW, "__first_column")]
    cells = cells.filter(pl.any_horizontal(filled)) if filled else cells.clear()  # skip the template's empty rows
    file_names = {canonical: name for name, canonical in mapping.items()}
    checks = ColumnChecks(cells, file_names, problems, identifying=frozenset({*IDENTIFYING_COLUMNS, "prs_Birthdate"}))
    rows = checks.rows

    record_id, id_column = checks.first_filled(ID_COLUMNS)
    record_id = record_id.zip_with(record_id != "", rows.cast(pl.String)).rename("record_id")
    _report_duplicates(checks, record_id, id_column)

    def country(text: str) -> str | None:
        return countries.code(text)

    bad_country = gettext_noop("not an ISO 3166 country code (alpha-2 or alpha-3)")
    out: dict[str, pl.Series] = {ROW: rows, "record_id": record_id}
    for column, name in IDENTIFYING_COLUMNS.items():
        out[name] = checks.text(column).str.slice(0, 500)
    out["birth_date"] = checks.date("prs_Birthdate")
    out["gender"] = checks.choice("prs_Gender", _in(codes.Gender), gettext_noop("not an HTCDS gender code"))
    citizenships = checks.many("prs_Citizenship", country, bad_country)
    out["citizenships"] = citizenships
    out["citizenship_id"] = citizenships.list.first()
    out["deceased"] = checks.check("prs_Deceased", _consent, pl.Boolean)
    out["number_of_children"] = checks.number("prs_NumberOfChildren", 0, 40)
    out["primary_language"] = checks.choice("prs_PrimaryLanguage", _language,
                                            gettext_noop("not an ISO 639-2 language code"))
    out["secondary_language"] = checks.choice("prs_SecondaryLanguage", _language,
                                              gettext_noop("not an ISO 639-2 language code"))
    out["migration_statuses"] = checks.many("plm_MigrationStatus", _in(codes.MigrationStatus),
                                            gettext_noop("not a migration status of HTCDS Guidance 7"))
    out["trafficking_duration"] = checks.choice("plm_TraffickingDuration", _in(codes.TraffickingDuration),
                                                gettext_noop("not a duration band (0-12, 13-24, 25+)"))
    out["recruitment_websites"] = checks.many("vic_RecruitmentWebsitesAndApps", _in(codes.WebsiteOrApp),
                                              gettext_noop("not an HTCDS website or app"))
    out["exploitation_websites"] = checks.many("vic_ExploitationWebsitesAndApps", _in(codes.WebsiteOrApp),
                                               gettext_noop("not an HTCDS website or app"))
    out["vulnerabilities"] = checks.many("vic_Vulnerabilities", _in(codes.Vulnerability),
                                         gettext_noop("not an HTCDS vulnerability"))
    out["vulnerability_details"] = checks.text("vic_DetailsOfVulnerabilities")
    out["perpetrator_role_details"] = checks.text("per_RoleDetails")
    out["reason_for_closure"] = checks.text("cas_ReasonForCaseClosure")
    out["case_owner_name"] = checks.text("cas_CaseOwner").str.slice(0, 200)
    for column, name in (("cas_ReferringOrganisation", "referring_organisation"),
                         ("cas_ReferringPrimaryCaseWorker", "referring_case_worker"),
                         ("cas_IncomingReferralDetails", "incoming_referral_details"),
                         ("cas_ReferredOrganisation", "referred_organisation"),
                         ("cas_ReferredPrimaryCaseWorker", "referred_case_worker"),
                         ("cas_OutgoingReferralDetails", "outgoing_referral_details")):
        out[name] = checks.text(column)
    out["incoming_referral_reason"] = checks.choice("cas_ReasonForIncomingReferral", _in(codes.ReferralReason),
                                                    gettext_noop("not an HTCDS reason for referral"))
    out["outgoing_referral_reason"] = checks.choice("cas_ReasonForOutgoingReferral", _in(codes.ReferralReason),
                                                    gettext_noop("not an HTCDS reason for referral"))
    out["outgoing_referral_date"] = checks.date("cas_OutgoingReferralDate")
    out["hte_kind"] = checks.choice("hte_Type", _in(codes.EventType), gettext_noop("not an HTCDS event type"))
    out["hte_country"] = checks.choice("hte_Country", country, bad_country)
    for column in ("hte_City", "hte_State", "hte_Street", "hte_PostalCode", "hte_Description"):
        out[HTE_COLUMNS[column]] = checks.text(column)
    out["hte_date"] = checks.date("hte_Date")
    out["hte_latitude"] = checks.check("hte_Latitude", _coordinate(90), pl.Float64)
    out["hte_longitude"] = checks.check("hte_Longitude", _coordinate(180), pl.Float64)
    hte_filled = pl.DataFrame([checks.text(column) != "" for column in HTE_COLUMNS if column != "hte_Type"]) \
        .select(pl.any_horizontal(pl.all()).alias("filled"))["filled"] if checks.frame.height else None
    if hte_filled is not None:
        for row in rows.filter(hte_filled & (out["hte_kind"] == "")).to_list():
            checks.fail(row, "hte_Type", "", "a historic trafficking event needs its type (Recruitment, Transit, "
                                             "Exploitation)")
    out["marital_status"] = checks.choice(
        "prs_MaritalStatus", _in(codes.MaritalStatus), gettext_noop("not an HTCDS marital status")
    )
    out["highest_education"] = checks.choice(
        "prs_HighestLevelOfEducation", _in(codes.Education), gettext_noop("not an HTCDS education level")
    )
    consent = checks.check("con_Consent", _consent, pl.Boolean)
    agreement = checks.check("vic_AgreementToManagePersonalData", _consent, pl.Boolean)  # deprecated: con_Consent
    out["consent"] = consent.fill_null(agreement)
    out["trafficking_status"] = _or(
        checks.choice("vic_TraffickingStatus", _status, gettext_noop("not an HTCDS trafficking status")),
        str(codes.TraffickingStatus.POSSIBLE),
    )
    out["status_decided_by"] = checks.choice(
        "vic_TraffickingStatusDecisionMakingOrg",
        _in(codes.DecisionMaker),
        gettext_noop("not an HTCDS decision-making organisation"),
    )
    out["status_decided_on"] = checks.date("plm_StatusDecidedOn")
    relations = checks.many(
        "plm_RecruiterRelation", _in(codes.RecruiterRelation), gettext_noop("not a recruiter relation code")
    )
    relation = relations.list.first().fill_null("")
    htcds_relation = checks.choice(
        "vic_RelationshipToTrafficker",
        _RELATION_OF_HTCDS.get,
        gettext_noop("not an HTCDS relationship to the trafficker"),
        only=relation == "",
    )
    out["recruiter_relation"] = relation.zip_with(relation != "", htcds_relation)
    out["recruiter_relations"] = pl.DataFrame({"many": relations, "one": out["recruiter_relation"]}).select(
        pl.when(pl.col("many").list.len() > 0).then(pl.col("many"))
        .when(pl.col("one") != "").then(pl.concat_list("one"))
        .otherwise(pl.lit([], pl.List(pl.String))).alias("r"))["r"]
    out["age_when_trafficked"] = checks.number("vic_AgeWhenTrafficked", 0, 120)
    out["age_at_identification"] = checks.number("plm_AgeAtIdentification", 0, 120)
    out["recruitment_methods"] = checks.many(
        "vic_MethodOfRecruitment", _in(codes.RecruitmentMethod), gettext_noop("not an HTCDS method of recruitment")
    )
    out["means_of_control"] = checks.many(
        "vic_MethodsOfControl", _in(codes.MeansOfControl), gettext_noop("not an HTCDS method of control")
    )
    forms = checks.many("vic_TypeOfExploitation", _form, gettext_noop("not an HTCDS type of exploitation"))
    out["other_exploitation"] = forms.list.contains(codes.OTHER_EXPLOITATION)
    out["forms"] = forms.list.filter(pl.element() != codes.OTHER_EXPLOITATION)
    industries = checks.many("vic_ForcedLabourIndustry", _in(codes.Industry),
                             gettext_noop("not an ISIC section code of HTCDS"))
    out["forced_labour_industries"] = industries
    out["forced_labour_industry"] = industries.list.first().fill_null("")
    out["sex_exploitation_types"] = checks.many(
        "vic_TypeOfSexExploitation",
        _in(codes.SexExploitationType),
        gettext_noop("not an HTCDS type of sexual exploitation"),
    )
    out["case_status"] = _or(
        checks.choice("cas_Status", _in(codes.CaseStatus), gettext_noop("not an HTCDS case status")),
        str(codes.CaseStatus.ACTIVE),
    )
    identified = checks.date("plm_IdentificationDate")
    referred = checks.date("cas_IncomingReferralDate")
    out["incoming_referral_date"] = referred
    out["identification_date"] = identified.fill_null(referred)
    out["recruitment_place"] = checks.text("vic_LocationOfRecruitment").str.slice(0, 200)
    out["exploitation_place"] = checks.text("vic_LocationOfExploitation").str.slice(0, 200)
    out["recruitment_country"] = checks.choice("plm_RecruitmentCountry", country, bad_country)
    out["recruitment_date"] = checks.date("plm_RecruitmentDate")
    out["transit_countries"] = checks.many("plm_TransitCountries", country, bad_country)
    out["exploitation_country"] = checks.choice("plm_ExploitationCountry", country, bad_country)
    out["exploitation_date"] = checks.date("plm_ExploitationDate")
    out["perpetrator_roles"] = checks.many(
        "per_RoleInProcess", _in(codes.PerpetratorRole), gettext_noop("not an HTCDS perpetrator role")
    )
    late = (out["birth_date"] > out["identification_date"]).fill_null(False)
    if late.any():
        for row, raw in pl.DataFrame({ROW: rows, "raw": checks.raw("prs_Birthdate")}).filter(late).iter_rows():
            checks.fail(row, "prs_Birthdate", raw, "the birth date is after the date of identification")
    parsed = pl.DataFrame([series.rename(name) for name, series in out.items()])
    return frames.conform(parsed), problems


def _language(text: str) -> str | None:
    """An ISO 639-2 code (three letters; the two-letter ISO 639-1 code is accepted too, as HTCDS allows), lower
    case. The letters are checked, not the register of codes."""
    lowered = text.strip().lower()
    return lowered if lowered.isascii() and lowered.isalpha() and len(lowered) in (2, 3) else None


def _coordinate(limit: int) -> Callable[[str], tuple[float | None, Failures]]:
    def check(text: str) -> tuple[float | None, Failures]:
        if not text:
            return None, []
        try:
            value = float(text)
        except ValueError:
            return None, [(None, gettext_noop("not a number"))]
        if not -limit <= value <= limit:
            return None, [(None, f"out of range -{limit} to {limit}")]
        return value, []

    return check


def _or(values: pl.Series, default: str) -> pl.Series:
    return values.zip_with(values != "", pl.Series([default] * len(values), dtype=pl.String))


def _consent(text: str) -> tuple[bool | None, Failures]:
    lowered = text.lower()
    if lowered in _TRUE:
        return True, []
    if lowered in _FALSE:
        return False, []
    return None, [(None, "write TRUE or FALSE")] if lowered else []


def _report_duplicates(checks: ColumnChecks, record_id: pl.Series, id_column: pl.Series) -> None:
    """A record id met again names the row it was last seen on (only duplicated rows are visited)."""
    duplicated = record_id.is_duplicated()
    if not duplicated.any():
        return
    seen: dict[str, int] = {}
    table = pl.DataFrame({ROW: checks.rows, "id": record_id, "column": id_column}).filter(duplicated)
    for row, value, column in table.iter_rows():
        if value in seen:
            name = column or "row"
            checks.fail(row, name, _raw_at(checks, column, row), f"the same record id is already on row {seen[value]}")
        seen[value] = row


def _raw_at(checks: ColumnChecks, column: str, row: int) -> str:
    if not column or not checks.has(column):
        return ""
    return str(checks.frame.filter(pl.col(ROW) == row)[column][0])
