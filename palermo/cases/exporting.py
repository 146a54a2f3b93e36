"""Case records written back in the standards' layouts: HTCDS v2.0 (every field Palermo holds, read back by the
HTCDS import unchanged) and CTDC 2024 (``ctdc.export_2024``, with its listed lossy mappings).

A row is built from one case and its children (forms, route legs, perpetrators, prefetched); the identifying
columns are written only when asked (the service decides who may see them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from palermo.cases import codes
from palermo.cases.importing import ctdc, htcds
from palermo.cases.models import Case, Perpetrator, TraffickingEvent

SEPARATOR = ";"  # between the values of a multi-select cell, as the HTCDS multi-select template writes them
# Written only for the roles that read identities: the direct identifiers, and the free texts and names that may
# carry them (details of referrals and closure, role details, an event's street and description, staff names).
IDENTIFYING_COLUMNS = frozenset({
    *htcds.IDENTIFYING_COLUMNS, "prs_Birthdate", "cas_CaseOwner", "cas_ReferringPrimaryCaseWorker",
    "cas_ReferredPrimaryCaseWorker", "cas_IncomingReferralDetails", "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure", "vic_DetailsOfVulnerabilities", "per_RoleDetails", "hte_Street", "hte_Description",
})
_STATUS_TO_HTCDS = {str(status): name for name, status in codes.HTCDS_TRAFFICKING_STATUS.items()}
_FORM_TO_HTCDS = {
    "forced_labour": "ForcedLabour", "sexual_exploitation": "SexualExploitation", "forced_marriage": "ForcedMarriage",
    "servitude": "Servitude", "forced_military": "ForcedMilitaryByNonStateActors", "organ_removal": "OrganRemoval",
    "begging": "ForcedBegging", "illegal_adoption": "IllegalAdoption", "surrogacy": "Surrogacy",
    "criminal_activities": "ForcedCriminality", "slavery": "Slavery",
}
# vic_RelationshipToTrafficker holds three values (the standard's spelling, "Unaquainted" sic); plm_ holds all.
_RELATION_TO_HTCDS = {"Familial": "Familial", "Acquainted": "Acquainted", "Unacquainted": "Unaquainted"}


def htcds_columns(*, identifying: bool) -> list[str]:
    return [c for c in htcds.EXPORT_COLUMNS if identifying or c not in IDENTIFYING_COLUMNS]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return SEPARATOR.join(str(item) for item in value)
    return str(value)


@dataclass
class Children:
    """What an export reads of a case's children: its form codes, route legs and perpetrators (read per chunk of
    cases by the service, or from the case's relations)."""

    forms: list[str] = field(default_factory=list)
    events: list[TraffickingEvent] = field(default_factory=list)
    perpetrators: list[Perpetrator] = field(default_factory=list)

    @classmethod
    def of(cls, case: Case) -> Children:
        return cls(sorted(form.pk for form in case.forms.all()), list(case.events.all()),
                   list(case.perpetrators.all()))


def htcds_row(case: Case, *, identifying: bool, children: Children | None = None) -> dict[str, str]:
    """One case as the HTCDS export writes it (every column of ``htcds.EXPORT_COLUMNS``)."""
    children = children or Children.of(case)
    events = children.events
    plain = [event for event in events if not event.from_hte]
    recruitment = next((e for e in plain if e.kind == codes.EventType.RECRUITMENT), None)
    exploitation = next((e for e in plain if e.kind == codes.EventType.EXPLOITATION), None)
    hte = next((e for e in events if e.from_hte), None)
    perpetrators = children.perpetrators
    roles: list[str] = []
    for perpetrator in perpetrators:
        roles.extend(role for role in perpetrator.roles if role not in roles)
    forms = [_FORM_TO_HTCDS.get(code, code) for code in children.forms]
    if case.other_exploitation:
        forms.append(codes.OTHER_EXPLOITATION)
    row: dict[str, Any] = {
        "plm_CaseId": case.source_record_id or case.case_code,
        "cas_CaseOwner": case.case_owner_name,
        "con_Consent": case.consent,
        "prs_Gender": case.gender,
        "prs_Citizenship": case.citizenship_codes(),
        "vic_TraffickingStatus": _STATUS_TO_HTCDS.get(case.trafficking_status, ""),
        "vic_TraffickingStatusDecisionMakingOrg": case.status_decided_by,
        "vic_MethodOfRecruitment": case.recruitment_methods,
        "vic_LocationOfRecruitment": recruitment.place if recruitment else "",
        "vic_MethodsOfControl": case.means_of_control,
        "vic_TypeOfExploitation": forms,
        "vic_ForcedLabourIndustry": case.industry_codes(),
        "vic_TypeOfSexExploitation": case.sex_exploitation_types,
        "vic_LocationOfExploitation": exploitation.place if exploitation else "",
        "cas_Status": case.case_status,
        "cas_ReferringOrganisation": case.referring_organisation,
        "cas_IncomingReferralDate": case.incoming_referral_date,
        "cas_ReferringPrimaryCaseWorker": case.referring_case_worker,
        "cas_ReasonForIncomingReferral": case.incoming_referral_reason,
        "cas_IncomingReferralDetails": case.incoming_referral_details,
        "cas_ReferredOrganisation": case.referred_organisation,
        "cas_ReferredPrimaryCaseWorker": case.referred_case_worker,
        "cas_ReasonForOutgoingReferral": case.outgoing_referral_reason,
        "cas_OutgoingReferralDate": case.outgoing_referral_date,
        "cas_OutgoingReferralDetails": case.outgoing_referral_details,
        "cas_ReasonForCaseClosure": case.reason_for_closure,
        "prs_Deceased": case.deceased,
        "prs_MaritalStatus": case.marital_status,
        "prs_NumberOfChildren": case.number_of_children,
        "prs_PrimaryLanguage": case.primary_language,
        "prs_SecondaryLanguage": case.secondary_language,
        "prs_HighestLevelOfEducation": case.highest_education,
        "vic_RelationshipToTrafficker": _RELATION_TO_HTCDS.get(case.recruiter_relation, ""),
        "vic_AgeWhenTrafficked": case.age_when_trafficked,
        "vic_RecruitmentWebsitesAndApps": case.recruitment_websites,
        "vic_ExploitationWebsitesAndApps": case.exploitation_websites,
        "vic_Vulnerabilities": case.vulnerabilities,
        "vic_DetailsOfVulnerabilities": case.vulnerability_details,
        "per_RoleInProcess": roles,
        "per_RoleDetails": "\n".join(p.role_details for p in perpetrators if p.role_details),
        "hte_Type": hte.kind if hte else "",
        "hte_Date": hte.date_from if hte else None,
        "hte_Country": hte.country_id if hte else "",
        "hte_State": hte.state if hte else "",
        "hte_City": hte.city if hte else "",
        "hte_Street": hte.street if hte else "",
        "hte_PostalCode": hte.postal_code if hte else "",
        "hte_Latitude": hte.latitude if hte else None,
        "hte_Longitude": hte.longitude if hte else None,
        "hte_Description": hte.description if hte else "",
        "plm_IdentificationDate": case.identification_date,
        "plm_StatusDecidedOn": case.status_decided_on,
        "plm_AgeAtIdentification": case.age_at_identification,
        "plm_RecruiterRelation": case.relation_codes(),
        "plm_RecruitmentCountry": recruitment.country_id if recruitment else "",
        "plm_RecruitmentDate": recruitment.date_from if recruitment else None,
        "plm_TransitCountries": [e.country_id for e in plain if e.kind == codes.EventType.TRANSIT and e.country_id],
        "plm_ExploitationCountry": exploitation.country_id if exploitation else "",
        "plm_ExploitationDate": exploitation.date_from if exploitation else None,
        "plm_MigrationStatus": case.migration_statuses,
        "plm_TraffickingDuration": case.trafficking_duration,
    }
    for column, name in htcds.IDENTIFYING_COLUMNS.items():
        row[column] = getattr(case, name) if identifying else ""
    row["prs_Birthdate"] = case.birth_date if identifying else None
    return {column: _text(row.get(column)) for column in htcds_columns(identifying=identifying)}


def ctdc_row(case: Case, alpha3: Mapping[str, str], children: Children | None = None) -> dict[str, str]:
    """One case in the CTDC 2024 layout (``ctdc.export_2024``; ``ctdc.LOSSY_2024`` lists what changes)."""
    children = children or Children.of(case)
    citizenships = case.citizenship_codes()
    return ctdc.export_2024({
        "year_identified": case.year_identified, "sex": case.sex, "age_band": case.age_band,
        "citizenship": citizenships[0] if citizenships else "",
        "country_of_exploitation": case.country_of_exploitation_id or "",
        "trafficking_duration": case.trafficking_duration, "means_of_control": case.means_of_control,
        "forms": children.forms, "other_exploitation": case.other_exploitation,
        "forced_labour_industries": case.industry_codes(), "sex_exploitation_types": case.sex_exploitation_types,
        "recruiter_relations": case.relation_codes(),
    }, alpha3)


def lossy_note(layout: str) -> str:
    """The note that accompanies an export: what the layout cannot carry unchanged."""
    if layout == "htcds":
        return ("HTCDS v2.0 export from Palermo. Multi-select cells separate their values with ';'. Columns that "
                "begin with plm_ are Palermo's (route, dates, relations, HTCDS Guidance 7 migration status). A text "
                "that a spreadsheet would run as a formula begins with an apostrophe; the import reads it back.\n")
    lines = ["CTDC Global Synthetic Dataset 2024 layout (27 variables), exported from Palermo.",
             "Lossy mappings (what reads back differently):"]
    lines.extend(f"- {what}: {how}" for what, how in ctdc.LOSSY_2024)
    return "\n".join(lines) + "\n"


def rows(cases: Iterable[tuple[Case, Children]], layout: str, *, identifying: bool,
         alpha3: Mapping[str, str]) -> Iterable[list[str]]:
    columns = htcds_columns(identifying=identifying) if layout == "htcds" else list(ctdc.COLUMNS_2024)
    for case, children in cases:
        row = (htcds_row(case, identifying=identifying, children=children) if layout == "htcds"
               else ctdc_row(case, alpha3, children))
        yield [row[column] for column in columns]
