"""What a parsed row is, and what a problem with a row is. Plain Python: the layouts produce these."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# A raw row: column name as written in the file -> cell text ("" when empty). The reader adds ROW_KEY.
RawRow = dict[str, str]
ROW_KEY = "__row__"
MISSING = frozenset({"", "-99", "-99.0", "null", "na", "n/a", "unknown", "none", "nan"})
SPLIT = re.compile(r"[;,\s]+")


def gettext_noop(message: str) -> str:
    """Marks a problem's reason for the French catalogue without importing Django; it is translated where shown."""
    return message


# The fields whose values identify a person: a problem with one of them never repeats the value (import reports
# are kept, shown and downloaded; they are not sealed like the case record).
IDENTIFYING_TEXT = (
    "salutation", "first_name", "middle_name", "second_name", "title", "email", "home_phone", "mobile_phone",
    "identity_number", "mailing_street", "mailing_city", "mailing_state", "mailing_postal_code", "mailing_country",
)


def masked(value: str) -> str:
    """An identifying value as a report may show it: its length only."""
    return f"[identifying value hidden, {len(value)} characters]" if value else value


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class ParsedCase:
    """A validated row, ready to be written: values use the model's field names and codes."""

    row: int
    record_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)
    recruitment_country: str = ""
    recruitment_place: str = ""
    recruitment_date: date | None = None
    transit_countries: list[str] = field(default_factory=list)
    exploitation_country: str = ""
    exploitation_place: str = ""
    exploitation_date: date | None = None
    perpetrator_roles: list[str] = field(default_factory=list)
    known_age_band: str = ""
    known_minor: bool | None = None
    known_year: int | None = None


@dataclass
class Countries:
    """Known country codes, to check and translate the codes of a file."""

    alpha2: frozenset[str]
    alpha3_to_alpha2: dict[str, str]

    def code(self, value: str) -> str | None:
        text = value.strip().upper()
        if len(text) == 2 and text in self.alpha2:
            return text
        if len(text) == 3 and text in self.alpha3_to_alpha2:
            return self.alpha3_to_alpha2[text]
        return None


def is_missing(value: str) -> bool:
    return value.strip().lower() in MISSING


def parse_date(value: str) -> date | None:
    """ISO dates (the reader writes spreadsheet dates as ISO), or DD/MM/YYYY and DD.MM.YYYY."""
    text = value.strip()
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def header_key(name: str) -> str:
    """Headers match whatever their case, underscores or spaces: ``prs_First_Name`` == ``prs_FirstName``."""
    return re.sub(r"[^a-z0-9]", "", name.lower())
