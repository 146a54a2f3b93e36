"""HTCDS v2.0 code lists (stored values are the standard's names) and Palermo's documented extensions.

Pure: no Django. Each list is an enum of stored values, each with its English label marked for the French
catalogue; ``palermo.cases.choices`` makes them Django choices, translated where they are shown.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from enum import EnumType, StrEnum

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_case_code(random_bytes: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """A pseudonymous code that says nothing about the person: ``PLM-`` and 10 random characters (50 bits;
    32 symbols, so each byte's low 5 bits pick one uniformly)."""
    return "PLM-" + "".join(CODE_ALPHABET[byte & 31] for byte in random_bytes(10))


def _(message: str) -> str:
    """Marks a label for the French catalogue (``makemessages`` reads ``_("...")``) without importing Django."""
    return message


class _CodeListType(EnumType):
    @property
    def values(cls) -> list[str]:
        """The stored values, in the order of the list."""
        members: list[StrEnum] = list(cls)
        return [member.value for member in members]


class CodeList(StrEnum, metaclass=_CodeListType):
    """One code list: members are the stored values (strings); ``label`` is the English label."""

    label: str

    def __new__(cls, value: str, label: str = "") -> CodeList:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class TraffickingStatus(CodeList):
    POSSIBLE = "possible", _("possible victim of trafficking")
    ACTUAL = "actual", _("actual victim of trafficking")
    NOT_VICTIM = "not_victim", _("not a victim of trafficking")


HTCDS_TRAFFICKING_STATUS = {
    "PossibleVictimOfTrafficking": TraffickingStatus.POSSIBLE,
    "ActualVictimOfTrafficking": TraffickingStatus.ACTUAL,
    "NotAVictimOfTrafficking": TraffickingStatus.NOT_VICTIM,
}


class DecisionMaker(CodeList):
    POLICE = "Police", _("police")
    NGO = "NGO", _("NGO")
    COURT_OR_PROSECUTION = "CourtOrProsecution", _("court or prosecution")
    NON_POLICE_GOVERNMENTAL = "NonPoliceGovernmentalOrganization", _("non-police governmental organisation")
    OTHER = "Other", _("other")


class Gender(CodeList):
    FEMININE = "Feminine", _("feminine")
    MASCULINE = "Masculine", _("masculine")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("transgender feminine")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("transgender masculine")
    NON_CONFORMING = "NonConforming", _("non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("not specified / unknown")


# Sex as counted in statistics (GLOTIP, CTDC): the flat export's "sex" column.
SEX_OF_GENDER = {
    Gender.FEMININE: "female",
    Gender.MASCULINE: "male",
    Gender.TRANSGENDER_FEMININE: "other",
    Gender.TRANSGENDER_MASCULINE: "other",
    Gender.NON_CONFORMING: "other",
    Gender.UNKNOWN: "unknown",
    "": "unknown",
}


class MaritalStatus(CodeList):
    SINGLE = "Single", _("single")
    MARRIED = "Married", _("married")
    WIDOWED = "Widowed", _("widowed")
    DIVORCED = "Divorced", _("divorced")
    SEPARATED = "Separated", _("separated")
    REGISTERED_PARTNERSHIP = "RegisteredPartnership", _("registered partnership")


class Education(CodeList):
    EARLY_CHILDHOOD = "EarlyChildhoodEducation", _("early childhood education")
    PRIMARY = "PrimaryEducation", _("primary education")
    LOWER_SECONDARY = "LowerSecondaryEducation", _("lower secondary education")
    UPPER_SECONDARY = "UpperSecondaryEducation", _("upper secondary education")
    POST_SECONDARY = "PostSecondaryNonTertiaryEducation", _("post-secondary non-tertiary education")
    SHORT_CYCLE_TERTIARY = "ShortCycleTertiaryEducation", _("short-cycle tertiary education")
    BACHELOR = "BachelorsOrEquivalentLevel", _("bachelor's or equivalent level")
    MASTER = "MastersOrEquivalentLevel", _("master's or equivalent level")
    DOCTORAL = "DoctoralOrEquivalentLevel", _("doctoral or equivalent level")


class RecruitmentMethod(CodeList):
    PLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("at a place of business")
    EDUCATIONAL_INSTITUTION = "AtAnEducationalInstitution", _("at an educational institution")
    AT_WORK = "AtWork", _("at work")
    ONLINE_SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("through online social networks")
    ONLINE_ADVERTISEMENT = "ThroughAnOnlineAdvertisement", _("through an online advertisement")
    TELEVISION_ADVERT = "ThroughATelevisionAdvert", _("through a television advert")
    NEWSPAPER_ADVERT = "ThroughANewspaperAdvert", _("through a newspaper advert")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("through family or family events")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("through friends or social events")
    ABDUCTION = "Abduction", _("abduction")  # a Palermo extension of HTCDS, CTDC isAbduction (docs/cases.md)
    OTHER = "Other", _("other")


class RecruiterRelation(CodeList):
    """HTCDS vic_RelationshipToTrafficker, refined with CTDC's recruiterRelation values."""

    FAMILIAL = "Familial", _("family member")
    INTIMATE_PARTNER = "IntimatePartner", _("intimate partner")
    FRIEND = "Friend", _("friend")
    ACQUAINTED = "Acquainted", _("acquaintance")
    UNACQUAINTED = "Unacquainted", _("not acquainted")
    OTHER = "Other", _("other")


class MeansOfControl(CodeList):
    PHYSICAL_THREATS = "PhysicalThreats", _("physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("threats of law enforcement")
    THREATENS_CHILDREN_FAMILY = "ThreatensChildrenFamily", _("threatens children or family")
    DEBT_BONDAGE = "DebtBondage", _("debt bondage")
    FALSE_PROMISES = "FalsePromises", _("false promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("restricts financial access")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("psychoactive substances")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("withholds documents")
    RESTRICTS_MOVEMENT = "RestrictsMovement", _("restricts movement")  # a Palermo extension of HTCDS, from CTDC
    OTHER = "Other", _("other")


class Industry(CodeList):
    A = "A_AgricultureForestryAndFishing", _("A agriculture, forestry and fishing")
    B = "B_MiningAndQuarrying", _("B mining and quarrying")
    C = "C_Manufacturing", _("C manufacturing")
    D = "D_ElectricityGasSteamAndAirConditioningSupply", _("D electricity, gas, steam and air conditioning supply")
    E = "E_WaterSupplySewerageWasteManagement", _("E water supply, sewerage, waste management")
    F = "F_Construction", _("F construction")
    G = "G_WholesaleAndRetailTradeRepairOfMotorVehicles", _("G wholesale and retail trade, repair of motor vehicles")
    H = "H_TransportationAndStorage", _("H transportation and storage")
    I = "I_AccommodationAndFoodServiceActivities", _("I accommodation and food service activities")  # noqa: E741
    J = "J_InformationAndCommunication", _("J information and communication")
    K = "K_FinancialAndInsuranceActivities", _("K financial and insurance activities")
    L = "L_RealEstateActivities", _("L real estate activities")
    M = "M_ProfessionalScientificAndTechnicalActivities", _("M professional, scientific and technical activities")
    N = "N_AdministrativeAndSupportServiceActivities", _("N administrative and support service activities")
    O = "O_PublicAdministrationAndDefence", _("O public administration and defence")  # noqa: E741
    P = "P_Education", _("P education")
    Q = "Q_HumanHealthAndSocialWorkActivities", _("Q human health and social work activities")
    R = "R_ArtsEntertainmentAndRecreation", _("R arts, entertainment and recreation")
    S = "S_OtherServiceActivities", _("S other service activities")
    T = "T_ActivitiesOfHouseholdsAsEmployers", _("T activities of households as employers")
    U = "U_ActivitiesOfExtraterritorialOrganizations", _("U activities of extraterritorial organisations")


class SexExploitationType(CodeList):
    PROSTITUTION = "Prostitution", _("prostitution")
    PORNOGRAPHY = "Pornography", _("pornography")
    REMOTE_INTERACTIVE = "RemoteInteractiveServices", _("remote interactive services")
    PRIVATE_SEXUAL = "PrivateSexualServices", _("private sexual services")


class CaseStatus(CodeList):
    ACTIVE = "Active", _("active")
    FOLLOW_UP = "FollowUp", _("follow-up")
    CLOSED = "Closed", _("closed")
    CLOSED_REFERRED = "ClosedReferred", _("closed, referred")


# The statuses of a closed case: its identity is purged once the owning country's retention period has passed.
CLOSED_CASE_STATUSES = frozenset({CaseStatus.CLOSED.value, CaseStatus.CLOSED_REFERRED.value})
# The statuses of an open case: the caseload of the case worker's home page.
OPEN_CASE_STATUSES = (CaseStatus.ACTIVE.value, CaseStatus.FOLLOW_UP.value)


class ErasureReason(CodeList):
    """Why a case was erased on request: the grounds of GDPR (Regulation (EU) 2016/679) art. 17(1), points
    (a) to (e), which the programme countries' data protection laws follow; point (f) (information society
    services offered to a child) does not arise here."""

    NO_LONGER_NECESSARY = "no_longer_necessary", _("no longer necessary for the purpose (art. 17(1)(a))")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn (art. 17(1)(b))")
    OBJECTION = "objection", _("the person objects to the processing (art. 17(1)(c))")
    UNLAWFUL = "unlawful", _("processed unlawfully (art. 17(1)(d))")
    LEGAL_OBLIGATION = "legal_obligation", _("erasure required by law or a court (art. 17(1)(e))")


class EventType(CodeList):
    RECRUITMENT = "Recruitment", _("recruitment")
    TRANSIT = "Transit", _("transit")
    EXPLOITATION = "Exploitation", _("exploitation")


class PerpetratorRole(CodeList):
    TRAVELLING_PARTNER = "TravellingPartner", _("travelling partner")
    TRANSPORTER = "Transporter", _("transporter")
    RECRUITER = "RecruiterOrIntermediary", _("recruiter or intermediary")
    BROKER = "BrokerTravelAgent", _("broker, travel agent")
    TRANSFERRED = "TransferredIndividual", _("transferred the individual")
    HARBOURED = "HarbouredIndividual", _("harboured the individual")
    SOLD = "SoldIndividual", _("sold the individual")
    BOUGHT = "BoughtIndividual", _("bought the individual")
    RECEIVED = "ReceivedIndividual", _("received the individual")
    CONTROLLED = "ControlledIndividual", _("controlled the individual")
    SMUGGLER = "Smuggler", _("smuggler")
    ABUSER = "Abuser", _("abuser")
    KIDNAPPER = "Kidnapper", _("kidnapper")
    EXPLOITER = "Exploiter", _("exploiter")
    OTHER = "Other", _("other")


class SupportPlanType(CodeList):
    """HTCDS v2.0 ``spl_Type``, the type of a support plan (Field Standards 2.0, "Support Plan" section)."""

    EDUCATION = "Education", _("education")
    FINANCIAL = "Financial", _("financial")
    HEALTH = "Health", _("health")
    LABOUR_REHABILITATION = "LabourExploitationRehabilitation", _("labour exploitation rehabilitation")
    LEGAL = "Legal", _("legal")
    LIVELIHOOD = "Livelihood", _("livelihood")
    RIGHTS_TRAINING = "RightsBasedTraining", _("rights-based training")
    SEXUAL_REHABILITATION = "SexualExploitationRehabilitation", _("sexual exploitation rehabilitation")
    SOCIAL_CARE = "SocialCare", _("social care")


class ThbFormCode(CodeList):
    TRADITIONAL = "traditional", _("traditional trafficking")
    MIGRATION_ROUTE = "migration_route", _("exploitation along the migration route")


# HTCDS vic_TypeOfExploitation names, plus Palermo's extensions (DESIGN.md §2), to reference.ExploitationForm codes.
# "Other" has no reference form: it sets Case.other_exploitation.
EXPLOITATION_FORM_OF_HTCDS = {
    "ForcedLabour": "forced_labour",
    "ChildLabour": "forced_labour",
    "SexualExploitation": "sexual_exploitation",
    "ForcedMarriage": "forced_marriage",
    "Servitude": "servitude",
    "ForcedMilitaryByNonStateActors": "forced_military",
    "OrganRemoval": "organ_removal",
    "ForcedBegging": "begging",
    "ForcedAdoption": "illegal_adoption",
    "IllegalAdoption": "illegal_adoption",
    "Surrogacy": "surrogacy",
    "ExploitationOfSurrogacy": "surrogacy",
    "ForcedCriminality": "criminal_activities",
    "CriminalActivities": "criminal_activities",
    "Slavery": "slavery",
}
OTHER_EXPLOITATION = "Other"

CTDC_AGE_BANDS = ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+")


class WebsiteOrApp(CodeList):
    """HTCDS v2.0 ``vic_RecruitmentWebsitesAndApps`` / ``vic_ExploitationWebsitesAndApps`` (multi-select)."""

    FACEBOOK = "Facebook", _("Facebook")
    INSTAGRAM = "Instagram", _("Instagram")
    WHATSAPP = "WhatsApp", _("WhatsApp")
    TELEGRAM = "Telegram", _("Telegram")
    FACEBOOK_MESSENGER = "FacebookMessenger", _("Facebook Messenger")
    VIBER = "Viber", _("Viber")
    SNAPCHAT = "SnapChat", _("SnapChat")
    LINE = "Line", _("Line")
    FOUR_SALE = "4Sale", _("4Sale")
    WECHAT = "WeChat", _("WeChat")
    QQ = "QQ", _("QQ")
    QZONE = "QZone", _("QZone")
    TIKTOK = "TikTok", _("TikTok")
    TWITTER = "Twitter", _("Twitter")
    OTHER = "Other", _("other")


class ReferralReason(CodeList):
    """HTCDS v2.0 ``cas_ReasonForIncomingReferral`` / ``cas_ReasonForOutgoingReferral``."""

    ADDITIONAL_SERVICES = "AdditionalServicesRequired", _("additional services required")
    MIGRATION = "MigrationOrChangeOfLocation", _("migration or change of location")
    OTHER = "Other", _("other")


class Vulnerability(CodeList):
    """HTCDS ``vic_Vulnerabilities``: deprecated in v2.0, kept so that older files import without loss."""

    ADDICTION = "Addiction", _("addiction")
    SOCIAL_GROUP = "SocialGroup", _("social group")
    DISCRIMINATION = "Discrimination", _("discrimination")
    POVERTY = "Poverty", _("poverty")
    DISABILITY = "DisabilityAndPhysicalHealth", _("disability and physical health")
    MENTAL_HEALTH = "MentalHealth", _("mental health")
    MIGRATION = "Migration", _("migration")
    HOMELESSNESS = "Homelessness", _("homelessness")
    ABUSE_SOCIAL_MEDIA = "AbuseSocialMedia", _("abuse - social media")
    ABUSE_PHYSICAL = "AbusePhysical", _("abuse - physical")
    EDUCATION = "Education", _("education")
    WORK_ENVIRONMENT = "WorkEnvironment", _("work environment")


class MigrationStatus(CodeList):
    """HTCDS Guidance 7 (Migration and International Protection): migrant types, international protection, other
    situations. Multi-select: a person can be an irregular labour migrant and an asylum seeker at once."""

    FAMILY = "FamilyMigrant", _("family migrant")
    VISITOR = "VisitorTouristMigrant", _("visitor / tourist migrant")
    LABOUR = "LabourMigrant", _("labour migrant")
    STUDENT = "StudentMigrant", _("student migrant")
    IRREGULAR = "IrregularMigrant", _("irregular migrant")
    ASYLUM_SEEKER = "AsylumSeeker", _("asylum seeker")
    REFUGEE = "Refugee", _("refugee")
    COMPLEMENTARY_PROTECTION = "RecipientOfComplementaryProtection", _("recipient of complementary protection")
    STATELESS = "StatelessPerson", _("stateless person")
    ENVIRONMENTAL = "EnvironmentalMigrant", _("environmental migrant")
    VULNERABLE = "VulnerableMigrant", _("vulnerable migrant")
    STRANDED = "StrandedMigrant", _("stranded migrant")
    FORCED = "ForcedMigrant", _("forced migrant")
    DEPORTEE = "Deportee", _("deportee")
    EX_COMBATANT = "ExCombatant", _("ex-combatant")
    IDP = "InternallyDisplacedPerson", _("internally displaced person")
    SEPARATED_CHILD = "SeparatedOrUnaccompaniedChild", _("separated or unaccompanied child")
    RETURNEE = "Returnee", _("returnee")


class DataSource(CodeList):
    """How a record came to be known (CTDC ``Datasource``): a case managed in person, or a report to a hotline.
    A hotline report is a *reported* possible victim, never an identified one (CTDC codebook v6, variable 2)."""

    CASE_MANAGEMENT = "CaseManagement", _("case management")
    HOTLINE = "Hotline", _("hotline report")


class MajorityStatus(CodeList):
    """CTDC ``majorityStatus``: under 18 (Minor) or 18 and older (Adult) when registered, for a record without age."""

    MINOR = "Minor", _("minor")
    ADULT = "Adult", _("adult")


class TraffickingDuration(CodeList):
    """CTDC 2024 ``traffickMonths``: the reported duration of trafficking, in months, as a band."""

    UP_TO_12 = "0-12", _("up to 12 months")
    FROM_13_TO_24 = "13-24", _("13 to 24 months")
    OVER_24 = "25+", _("25 months or more")
