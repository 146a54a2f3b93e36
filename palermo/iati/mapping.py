"""How Palermo's organisations, channels and objectives map onto IATI codes, both ways: plain data."""

from __future__ import annotations

from palermo.numbers import whole_number

# Organisation.Kind -> IATI OrganisationType
ORGANISATION_TYPE = {
    "national_coordinator": "10",
    "ministry": "10",
    "police": "10",
    "prosecution": "10",
    "labour_inspection": "10",
    "social_services": "11",
    "embassy": "10",
    "permanent_representation": "10",
    "donor": "10",
    "international_organisation": "40",
    "ngo": "22",
    "victims_association": "22",
    "academia": "80",
}
# IATI OrganisationType -> Organisation.Kind, for organisations first met in an imported file
KIND_OF_TYPE = {
    "10": "ministry",
    "11": "social_services",
    "15": "ministry",
    "21": "ngo",
    "22": "ngo",
    "23": "ngo",
    "24": "ngo",
    "40": "international_organisation",
    "60": "ngo",
    "80": "academia",
}
DEFAULT_KIND = "ngo"

# Palermo's own vocabularies (tag/sector vocabulary 99), told apart by the vocabulary URI: the objectives
# use the programme's URI; channel and target groups the same URI with a fragment.
FALLBACK_VOCABULARY_URI = "urn:palermo:objectives"
CHANNEL_FRAGMENT = "#channel"
TARGET_GROUP_FRAGMENT = "#target-group"
TRAFFICKING_FORM_FRAGMENT = "#trafficking-form"
OBJECTIVE_CODE = "OBJ{number}"


def objective_code(number: int) -> str:
    return OBJECTIVE_CODE.format(number=number)


def objective_number(code: str) -> int | None:
    return whole_number(code[3:]) if code.startswith("OBJ") else None


def guess_channel(collaboration_type: str, reporting_type: str, countries: int, regions: int) -> str:
    """The channel of another donor's activity: multilateral when a multilateral reports it or the
    collaboration type says so; regional when it spans regions or several countries; else bilateral."""
    if reporting_type == "40" or collaboration_type in ("2", "4"):
        return "multilateral"
    if regions or countries > 1:
        return "regional"
    return "bilateral"
