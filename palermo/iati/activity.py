"""A plain picture of an IATI 2.03 activity: what Palermo writes and reads, without Django.

Texts are ``{language: narrative}``; money is ``Decimal``; ``line`` is where the element sat in the
file it was read from (``None`` when built from the database), for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

Text = dict[str, str]
Day = date  # ``Transaction`` has a field named ``date``


@dataclass
class Organisation:
    ref: str
    type: str
    name: Text
    role: str = ""
    crs_channel_code: str = ""
    activity_id: str = ""
    line: int | None = None


@dataclass
class Share:
    """A recipient country or region, a sector or a tag, with its percentage when it has one."""

    code: str
    percentage: Decimal | None = None
    vocabulary: str = ""
    vocabulary_uri: str = ""
    name: Text = field(default_factory=dict)
    line: int | None = None


@dataclass
class Budget:
    type: str
    status: str
    period_start: date
    period_end: date
    value: Decimal
    currency: str
    value_date: date
    line: int | None = None


@dataclass
class Transaction:
    type: str
    date: Day
    value: Decimal
    currency: str
    value_date: Day
    description: Text = field(default_factory=dict)
    ref: str = ""
    provider: Organisation | None = None
    receiver: Organisation | None = None
    recipient_countries: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class Breakdown:
    """A period's target and actual for one sex or one age band: IATI ``dimension`` elements."""

    dimension: str  # "sex" or "age"
    value: str
    target: Decimal | None = None
    actual: Decimal | None = None
    line: int | None = None


@dataclass
class Period:
    start: date
    end: date
    target: Decimal | None = None
    actual: Decimal | None = None
    target_comment: Text = field(default_factory=dict)
    actual_comment: Text = field(default_factory=dict)
    breakdowns: list[Breakdown] = field(default_factory=list)  # sorted by dimension, then value


@dataclass
class Indicator:
    measure: str
    title: Text
    description: Text = field(default_factory=dict)
    ascending: bool = True
    references: list[tuple[str, str]] = field(default_factory=list)  # (IndicatorVocabulary, code)
    baseline_year: int | None = None
    baseline_date: date | None = None
    baseline_value: Decimal | None = None
    baseline_comment: Text = field(default_factory=dict)
    periods: list[Period] = field(default_factory=list)


@dataclass
class Result:
    type: str
    title: Text
    description: Text = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Document:
    url: str
    format: str
    title: Text
    category: str
    language: str = ""
    date: date | None = None


@dataclass
class PolicyMarker:
    code: str
    significance: str
    vocabulary: str = "1"


@dataclass
class Activity:
    identifier: str
    reporting_org: Organisation
    title: Text
    lang: str = "en"
    default_currency: str = "EUR"
    hierarchy: int = 1
    last_updated: datetime | None = None
    descriptions: dict[str, Text] = field(default_factory=dict)  # IATI DescriptionType -> text
    participating_orgs: list[Organisation] = field(default_factory=list)
    status: str = "1"
    dates: dict[str, date] = field(default_factory=dict)  # ActivityDateType -> date
    scope: str = ""
    recipient_countries: list[Share] = field(default_factory=list)
    recipient_regions: list[Share] = field(default_factory=list)
    sectors: list[Share] = field(default_factory=list)
    tags: list[Share] = field(default_factory=list)
    policy_markers: list[PolicyMarker] = field(default_factory=list)
    collaboration_type: str = ""
    budgets: list[Budget] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)  # (IATI identifier, RelatedActivityType)
    results: list[Result] = field(default_factory=list)
    line: int | None = None
