"""Synthetic raw rows in the HTCDS layout (the importer's input format), for the demo and the benchmarks.

Every identifying value is obviously fictitious ("Fictional", "Person 00042", "+000 ...").
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from palermo.cases.importing.records import ROW_KEY, RawRow

HTCDS_COLUMNS = [
    "plm_CaseId", "prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_Gender", "prs_Citizenship",
    "prs_MobilePhone", "con_Consent", "vic_TraffickingStatus", "vic_TraffickingStatusDecisionMakingOrg",
    "plm_StatusDecidedOn", "vic_MethodOfRecruitment", "vic_RelationshipToTrafficker", "plm_RecruiterRelation",
    "vic_MethodsOfControl", "vic_TypeOfExploitation", "vic_ForcedLabourIndustry", "vic_TypeOfSexExploitation",
    "cas_Status", "plm_IdentificationDate", "plm_RecruitmentCountry", "plm_TransitCountries",
    "plm_ExploitationCountry", "plm_ExploitationDate", "per_RoleInProcess",
]
SOURCE_EU = ["DE", "IT", "GR", "FR", "AT", "ES", "NL", "BE", "CY", "SI"]
MIGRANT_ORIGINS = ["AF", "SY", "PK", "BD", "MA", "IQ", "NG", "IR"]
BALKAN_ROUTE = ["TR", "GR", "MK", "RS", "BA", "HR", "SI"]
OTHER_FORMS = [("ForcedBegging", 40), ("ForcedCriminality", 25), ("ForcedMarriage", 20), ("Servitude", 10),
               ("IllegalAdoption", 3), ("Surrogacy", 2)]
MEANS = [("PsychologicalAbuse", 30), ("PhysicalAbuse", 22), ("FalsePromises", 25), ("TakesEarnings", 18),
         ("PhysicalThreats", 20), ("RestrictsMovement", 15), ("DebtBondage", 12), ("WithholdsDocuments", 10),
         ("SexualAbuse", 8), ("PsychoactiveSubstance", 5), ("ExcessiveWorkingHours", 8), ("ThreatsLawEnforcement", 4)]
RECRUITMENT = [("ThroughFriendsOrSocialEvents", 30), ("ThroughFamilyOrFamilyEvents", 20),
               ("ThroughOnlineSocialNetworks", 25), ("ThroughAnOnlineAdvertisement", 10), ("AtWork", 5),
               ("Abduction", 3), ("Other", 7)]
RELATIONS = [("IntimatePartner", 25), ("Friend", 25), ("Familial", 20), ("Acquainted", 15), ("Unacquainted", 10),
             ("", 5)]


@dataclass
class Profile:
    """Shares that shape one country's synthetic cases (from the committed demo_profiles.json)."""

    country: str
    sex_age: dict[str, float] = field(default_factory=lambda: {
        "female_adult": 0.55, "female_minor": 0.2, "male_adult": 0.18, "male_minor": 0.07})
    forms: dict[str, float] = field(default_factory=lambda: {
        "sexual_exploitation": 0.55, "forced_labour": 0.3, "other": 0.15})
    destination: bool = False  # a country where migrants are exploited along the route (GR, HR, ...)


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def synthetic_row(rng: random.Random, index: int, profile: Profile, year: int, row_number: int = 0) -> RawRow:
    """One case as the HTCDS layout writes it; the draw order is fixed, so a seeded rng gives the same row."""
    group = rng.choices(list(profile.sex_age), weights=list(profile.sex_age.values()))[0]
    female, minor = group.startswith("female"), group.endswith("minor")
    age = rng.randint(6, 17) if minor else min(70, 18 + int(rng.expovariate(1 / 11)))
    identified = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    birth = identified - timedelta(days=age * 365 + rng.randrange(300))
    exploited = identified - timedelta(days=rng.randrange(30, 700))
    if exploited < birth + timedelta(days=365 * 5):
        exploited = identified
    country = profile.country
    migrant = profile.destination and rng.random() < 0.3
    if migrant:
        citizenship = rng.choice(MIGRANT_ORIGINS)
        start = rng.randrange(2)
        stop = BALKAN_ROUTE.index(country) if country in BALKAN_ROUTE else len(BALKAN_ROUTE)
        exploitation = country if rng.random() < 0.6 else rng.choice(["AT", "DE", "SI", "IT"])
        # Along the route up to the identifying country, and through it when exploited further on.
        transit = BALKAN_ROUTE[start:max(start, stop + (exploitation != country))]
        transit = [c for c in transit if c not in (citizenship, exploitation)]
        recruitment = citizenship
    else:
        citizenship = country if not profile.destination or rng.random() < 0.5 else rng.choice(
            ["AL", "RO", "BG", "MD", "RS"])
        domestic = rng.random() < 0.45
        exploitation = country if domestic else rng.choice([c for c in SOURCE_EU if c != citizenship])
        transit = [] if domestic or rng.random() < 0.7 else [rng.choice(["RS", "MK", "HR", "HU"])]
        transit = [c for c in transit if c not in (citizenship, exploitation)]
        recruitment = citizenship
    form_group = rng.choices(list(profile.forms), weights=list(profile.forms.values()))[0]
    forms = ["SexualExploitation"] if form_group == "sexual_exploitation" else ["ForcedLabour"] \
        if form_group == "forced_labour" else [_pick(rng, OTHER_FORMS)]
    if rng.random() < 0.05:
        forms.append("ForcedLabour" if forms[0] != "ForcedLabour" else "SexualExploitation")
    means = sorted({_pick(rng, MEANS) for _ in range(rng.randint(0, 3))})
    status = rng.choices(["ActualVictimOfTrafficking", "PossibleVictimOfTrafficking", "NotAVictimOfTrafficking"],
                         weights=[70, 26, 4])[0]
    decided = "" if status == "PossibleVictimOfTrafficking" else rng.choice(["Police", "NGO", "CourtOrProsecution"])
    industry = rng.choice(["A_AgricultureForestryAndFishing", "F_Construction",
                           "I_AccommodationAndFoodServiceActivities", "T_ActivitiesOfHouseholdsAsEmployers"]) \
        if "ForcedLabour" in forms else ""
    return {
        ROW_KEY: str(row_number or index + 1),
        "plm_CaseId": f"{country}-{index:06d}",
        "prs_FirstName": "Fictional",
        "prs_SecondName": f"Person {index:06d}",
        "prs_Birthdate": birth.isoformat(),
        "prs_Gender": ("Feminine" if female else "Masculine") if rng.random() > 0.01 else "NonConforming",
        "prs_Citizenship": citizenship,
        "prs_MobilePhone": f"+000 {index:09d}",
        "con_Consent": "TRUE" if rng.random() < 0.9 else "FALSE",
        "vic_TraffickingStatus": status,
        "vic_TraffickingStatusDecisionMakingOrg": decided,
        "plm_StatusDecidedOn": identified.isoformat() if decided else "",
        "vic_MethodOfRecruitment": _pick(rng, RECRUITMENT),
        "vic_RelationshipToTrafficker": "",
        "plm_RecruiterRelation": _pick(rng, RELATIONS),
        "vic_MethodsOfControl": ";".join(means),
        "vic_TypeOfExploitation": ";".join(forms),
        "vic_ForcedLabourIndustry": industry,
        "vic_TypeOfSexExploitation": "Prostitution" if "SexualExploitation" in forms else "",
        "cas_Status": rng.choice(["Active", "FollowUp", "Closed", "Closed"]),
        "plm_IdentificationDate": identified.isoformat(),
        "plm_RecruitmentCountry": recruitment,
        "plm_TransitCountries": ";".join(transit),
        "plm_ExploitationCountry": exploitation,
        "plm_ExploitationDate": exploited.isoformat(),
        "per_RoleInProcess": rng.choice(["RecruiterOrIntermediary;Exploiter", "Exploiter", "Transporter", ""]),
    }
