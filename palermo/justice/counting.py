"""The counting rules of criminal justice figures, on UNODC's definitions. Pure Python: no Django here.

UNODC's Global Report on Trafficking in Persons (GLOTIP) asks each country for "persons prosecuted" and "persons
convicted" of trafficking in persons, per year, on the definitions of the UN Survey of Crime Trends (UN-CTS):

- **persons prosecuted**: persons against whom a prosecution for a trafficking offence was formally started
  (charged, indicted) during the year. A person counts once per country and year, whatever the number of charges,
  victims or files opened against them that year (:func:`persons_prosecuted`);
- **persons convicted**: persons found guilty of a trafficking offence by a court during the year, whether or not
  the conviction was later upheld. A proceeding counts at its *first* finding of guilt of the trafficking
  charge, whatever the instance: an appeal that confirms it adds nothing, an appeal that quashes it removes
  nothing, and a conviction on appeal after an acquittal at first instance counts in the year of the appeal
  (:func:`conviction_day`). A person counts once per country and year (:func:`persons_convicted`).

Only natural persons charged with the trafficking article count; legal persons and persons charged with related
offences only (smuggling, pimping, document fraud...) are reported beside, as the reasons our figures may differ
from the official ones (:func:`exclusions`, :func:`explain`).

Durations run from the opening of the investigation to the first verdict (the first decision of a court on the
merits, whatever its outcome): median and 90th percentile, by linear interpolation between the closest ranks
(:func:`percentile`), shown only over ``k`` durations or more (:func:`summarise`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

FIRST_INSTANCE, APPEAL = "first_instance", "appeal"
CONVICTED, ACQUITTED, DISMISSED, PENDING = "convicted", "acquitted", "dismissed", "pending"
OUTCOMES = (CONVICTED, ACQUITTED, DISMISSED, PENDING)
INSTANCES = (FIRST_INSTANCE, APPEAL)
UNODC_SUPPRESSED = 5  # UNODC publishes a count of 1 to 4 as "<5"
SENTENCE_BANDS = ("suspended", "under_12", "12_35", "36_59", "60_119", "120_plus", "no_prison")
SEXES = ("female", "male", "other", "unknown")

Key = tuple[str, int]  # (country, year)


@dataclass(frozen=True)
class DecisionFacts:
    """One court decision of a proceeding: its instance, day and outcome; ``thb`` says the conviction is of the
    trafficking charge (False: of related offences only)."""

    instance: str
    decided_on: date
    outcome: str
    thb: bool = True
    sentence_months: int | None = None
    suspended: bool = False


@dataclass(frozen=True)
class ProceedingFacts:
    """One criminal proceeding against one person: who (``person``, an opaque key: the same person, the same key),
    where, whether the trafficking article is among the charges, and its dates and decisions."""

    person: str
    country: str
    investigation_opened: date | None
    prosecuted_on: date | None = None
    thb_charged: bool = True
    legal_person: bool = False
    sex: str = "unknown"
    decisions: tuple[DecisionFacts, ...] = ()
    pk: int = 0
    birth_year: int | None = None

    def ordered(self) -> list[DecisionFacts]:
        """Decisions by day, first instance before appeal on the same day."""
        return sorted(self.decisions, key=lambda d: (d.decided_on, INSTANCES.index(d.instance)
                                                     if d.instance in INSTANCES else 9))


def counts_as_person(proceeding: ProceedingFacts) -> bool:
    """A natural person charged with the trafficking article: whom UNODC's figures count."""
    return proceeding.thb_charged and not proceeding.legal_person


def conviction_day(proceeding: ProceedingFacts) -> date | None:
    """The day of the proceeding's first finding of guilt of the trafficking charge (any instance), or None."""
    for decision in proceeding.ordered():
        if decision.outcome == CONVICTED and decision.thb:
            return decision.decided_on
    return None


def first_verdict(proceeding: ProceedingFacts) -> DecisionFacts | None:
    """The first decision on the merits (convicted, acquitted or dismissed), whatever the instance."""
    for decision in proceeding.ordered():
        if decision.outcome != PENDING:
            return decision
    return None


def final_decision(proceeding: ProceedingFacts) -> DecisionFacts | None:
    """The latest decision on the merits: what stands today (an appeal replaces the first instance)."""
    decided = [d for d in proceeding.ordered() if d.outcome != PENDING]
    return decided[-1] if decided else None


def outcome(proceeding: ProceedingFacts) -> str:
    """The proceeding's outcome as it stands: that of its latest decision on the merits, else pending."""
    last = final_decision(proceeding)
    return last.outcome if last is not None else PENDING


def _distinct(pairs: Iterable[tuple[Key, str]], countries: Iterable[str] | None = None) -> dict[Key, int]:
    persons: dict[Key, set[str]] = defaultdict(set)
    keep = None if countries is None else frozenset(countries)
    for key, person in pairs:
        if keep is None or key[0] in keep:
            persons[key].add(person)
    return {key: len(found) for key, found in sorted(persons.items())}


def persons_prosecuted(proceedings: Iterable[ProceedingFacts],
                       countries: Iterable[str] | None = None) -> dict[Key, int]:
    """Distinct persons whose prosecution for trafficking started in each (country, year)."""
    return _distinct((((p.country, p.prosecuted_on.year), p.person) for p in proceedings
                      if counts_as_person(p) and p.prosecuted_on is not None), countries)


def persons_convicted(proceedings: Iterable[ProceedingFacts],
                      countries: Iterable[str] | None = None) -> dict[Key, int]:
    """Distinct persons first found guilty of trafficking in each (country, year) (:func:`conviction_day`)."""
    pairs = []
    for proceeding in proceedings:
        day = conviction_day(proceeding) if counts_as_person(proceeding) else None
        if day is not None:
            pairs.append(((proceeding.country, day.year), proceeding.person))
    return _distinct(pairs, countries)


AGE_BANDS = (("0-17", 0, 17), ("18-24", 18, 24), ("25-39", 25, 39), ("40+", 40, 200))


def age_band(birth_year: int | None, year: int) -> str | None:
    """The band of the age reached in ``year`` (a year of birth is all we keep), or None when unknown."""
    if birth_year is None:
        return None
    age = year - birth_year
    return next((name for name, low, high in AGE_BANDS if low <= age <= high), None)


def persons_in_period(proceedings: Iterable[ProceedingFacts], start: date, end: date, countries: Iterable[str],
                      convicted: bool) -> dict[str, int]:
    """Distinct persons first convicted of (``convicted``) or prosecuted for trafficking between ``start`` and
    ``end`` (both included) in ``countries``: ``total``, by sex (``female``, ``male``, ``other``, ``unknown``) and
    by age band when the year of birth is known. A person in two proceedings of the period counts once."""
    keep = frozenset(countries)
    persons: dict[str, set[str]] = defaultdict(set)
    for proceeding in proceedings:
        if not counts_as_person(proceeding) or proceeding.country not in keep:
            continue
        day = conviction_day(proceeding) if convicted else proceeding.prosecuted_on
        if day is None or not start <= day <= end:
            continue
        key = f"{proceeding.country}/{proceeding.person}"
        persons["total"].add(key)
        persons[proceeding.sex if proceeding.sex in SEXES else "unknown"].add(key)
        band = age_band(proceeding.birth_year, day.year)
        if band is not None:
            persons[band].add(key)
    return {name: len(found) for name, found in persons.items()}


@dataclass
class Exclusions:
    """What our records hold that UNODC's definitions leave out, per (country, year)."""

    legal_persons: dict[Key, int] = field(default_factory=dict)
    related_only: dict[Key, int] = field(default_factory=dict)  # prosecuted for related offences only
    convicted_related_only: dict[Key, int] = field(default_factory=dict)  # found guilty of related offences only
    pending: dict[Key, int] = field(default_factory=dict)  # prosecuted that year, no verdict yet


def exclusions(proceedings: Iterable[ProceedingFacts]) -> Exclusions:
    out = Exclusions()
    legal: list[tuple[Key, str]] = []
    related: list[tuple[Key, str]] = []
    related_convicted: list[tuple[Key, str]] = []
    pending: list[tuple[Key, str]] = []
    for p in proceedings:
        if p.prosecuted_on is not None:
            key = (p.country, p.prosecuted_on.year)
            if p.legal_person:
                legal.append((key, p.person))
            elif not p.thb_charged:
                related.append((key, p.person))
            elif outcome(p) == PENDING:
                pending.append((key, p.person))
        if not p.legal_person:
            for decision in p.ordered():
                if decision.outcome == CONVICTED and not decision.thb and conviction_day(p) is None:
                    related_convicted.append(((p.country, decision.decided_on.year), p.person))
                    break
    out.legal_persons, out.related_only = _distinct(legal), _distinct(related)
    out.convicted_related_only, out.pending = _distinct(related_convicted), _distinct(pending)
    return out


# --- beside the official figures -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Official:
    """An official figure as UNODC published it: a number, or suppressed (``<5``: 1 to 4), or no row."""

    value: int | None = None
    suppressed: bool = False
    label: str = ""  # as published when not a plain number: "<5", or "12+" where a suppressed part adds up

    @property
    def published(self) -> bool:
        return self.value is not None or self.suppressed


@dataclass(frozen=True)
class Comparison:
    country: str
    year: int
    ours: int
    official: Official
    reasons: tuple[str, ...]

    @property
    def difference(self) -> int | None:
        """Ours minus UNODC's, when both are numbers."""
        return None if self.official.value is None else self.ours - self.official.value


# Reasons, as codes the pages translate (views/labels).
NO_OFFICIAL = "no_official"  # UNODC published nothing for this country and year (yet)
OFFICIAL_SUPPRESSED = "official_suppressed"  # published as <5
WITHIN_SUPPRESSED = "within_suppressed"  # <5 and ours is 1-4: consistent
EQUAL = "equal"
COVERAGE = "coverage"  # fewer: our records hold only the proceedings partners follow
MORE = "more"  # more: a definition or a date differs (national statistics count at final decision, or by offence)
LEGAL_PERSONS = "legal_persons"
RELATED_ONLY = "related_only"
PENDING_CASES = "pending"


def compare(ours: Mapping[Key, int], official: Mapping[Key, Official], keys: Iterable[Key],
            excluded: Mapping[str, Mapping[Key, int]] | None = None) -> list[Comparison]:
    """Ours beside UNODC's for each (country, year) of ``keys``, with the reasons they differ: the codes above,
    those of ``excluded`` (name -> counts left out of ours) where its count is not zero."""
    rows = []
    for key in keys:
        mine = ours.get(key, 0)
        theirs = official.get(key, Official())
        reasons: list[str] = []
        if not theirs.published:
            reasons.append(NO_OFFICIAL)
        elif theirs.suppressed:
            reasons.append(WITHIN_SUPPRESSED if 1 <= mine < UNODC_SUPPRESSED else OFFICIAL_SUPPRESSED)
        elif theirs.value == mine:
            reasons.append(EQUAL)
        elif theirs.value is not None and mine < theirs.value:
            reasons.append(COVERAGE)
        else:
            reasons.append(MORE)
        for name, counts in (excluded or {}).items():
            if counts.get(key):
                reasons.append(name)
        rows.append(Comparison(key[0], key[1], mine, theirs, tuple(reasons)))
    return rows


def shown(count: int | None, exact: bool) -> int | str | None:
    """A count of persons as a reader outside the country sees it: UNODC's own rule, 1 to 4 as "<5"."""
    if count is None or exact or count == 0 or count >= UNODC_SUPPRESSED:
        return count
    return "<5"


# --- durations and sentences ---------------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), linear between the closest ranks (numpy's default, Excel's PERCENTILE.INC)."""
    if not values:
        raise ValueError("a percentile needs at least one value")
    if not 0 <= q <= 100:
        raise ValueError("q lies between 0 and 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Summary:
    count: int
    median: float | None
    p90: float | None


def summarise(days: Sequence[int], k: int) -> Summary:
    """Median and 90th percentile (one decimal) of ``days``; both None under ``k`` values."""
    if not days or len(days) < k:
        return Summary(len(days), None, None)
    return Summary(len(days), round(percentile(days, 50), 1), round(percentile(days, 90), 1))


def days_to_first_verdict(proceeding: ProceedingFacts) -> int | None:
    verdict = first_verdict(proceeding)
    if verdict is None or proceeding.investigation_opened is None:
        return None
    return (verdict.decided_on - proceeding.investigation_opened).days


def durations(proceedings: Iterable[ProceedingFacts], k: int) -> dict[str, Summary]:
    """Days from investigation to first verdict per country (and ``total``), of proceedings with both dates."""
    days: dict[str, list[int]] = defaultdict(list)
    for proceeding in proceedings:
        value = days_to_first_verdict(proceeding)
        if value is not None and value >= 0:
            days[proceeding.country].append(value)
            days["total"].append(value)
    return {country: summarise(values, k) for country, values in sorted(days.items())}


def sentence_band(months: int | None, suspended: bool) -> str:
    if suspended:
        return "suspended"
    if not months:
        return "no_prison"
    if months < 12:
        return "under_12"
    if months < 36:
        return "12_35"
    if months < 60:
        return "36_59"
    if months < 120:
        return "60_119"
    return "120_plus"


def sentences(proceedings: Iterable[ProceedingFacts]) -> dict[tuple[str, str], int]:
    """Convicted persons by (country, sentence band) of the conviction that stands (the latest decision on the
    merits, when it convicts of trafficking); a person convicted in two proceedings counts once, at the longer."""
    best: dict[tuple[str, str], tuple[int, str]] = {}
    for proceeding in proceedings:
        last = final_decision(proceeding)
        if not counts_as_person(proceeding) or last is None or last.outcome != CONVICTED or not last.thb:
            continue
        band = sentence_band(last.sentence_months, last.suspended)
        key = (proceeding.country, proceeding.person)
        months = 0 if band in ("suspended", "no_prison") else (last.sentence_months or 0)
        if key not in best or months > best[key][0]:
            best[key] = (months, band)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (country, _person), (_months, band) in best.items():
        counts[(country, band)] += 1
    return dict(counts)


@dataclass(frozen=True)
class VictimFacts:
    """One victim's part in one proceeding."""

    country: str
    victim: str  # opaque key of the case record
    testified: bool = False
    protected_witness: bool = False
    compensation_ordered: Decimal = Decimal(0)
    compensation_paid: Decimal = Decimal(0)


PARTICIPATION = ("victims", "testified", "protected_witness", "compensation_ordered", "compensation_paid")


def participation(victims: Iterable[VictimFacts]) -> dict[tuple[str, str], int]:
    """Distinct victims per (country, measure): in a proceeding at all, who testified, were protected witnesses,
    were awarded compensation, received some of it. A victim in two proceedings counts once per measure."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for v in victims:
        flags = {"victims": True, "testified": v.testified, "protected_witness": v.protected_witness,
                 "compensation_ordered": v.compensation_ordered > 0, "compensation_paid": v.compensation_paid > 0}
        for measure, on in flags.items():
            if on:
                found[(v.country, measure)].add(v.victim)
    return {key: len(people) for key, people in found.items()}


def compensation_amounts(victims: Iterable[VictimFacts]) -> dict[str, tuple[Decimal, Decimal]]:
    """Compensation ordered and paid per country (euros)."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for v in victims:
        sums[v.country][0] += v.compensation_ordered
        sums[v.country][1] += v.compensation_paid
    return {country: (ordered, paid) for country, (ordered, paid) in sums.items()}


# --- beside the trainings ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupYear:
    """One year of one group of countries: how many countries, and the persons convicted they hold (ours, and
    UNODC's numbers where published, with how many of the group's countries published one)."""

    year: int
    countries: int
    ours: int
    official: int | None
    official_countries: int


def trend_by_group(ours: Mapping[Key, int], official: Mapping[Key, Official], groups: Mapping[str, bool],
                   years: Iterable[int]) -> dict[bool, list[GroupYear]]:
    """Persons convicted per year in the countries of each group (True: with trainings of judges or prosecutors;
    False: without). A description of two sets of countries side by side, not a comparison of like with like."""
    out: dict[bool, list[GroupYear]] = {True: [], False: []}
    for group in (True, False):
        members = sorted(c for c, trained in groups.items() if trained == group)
        for year in years:
            published = [official[(c, year)].value for c in members
                         if (c, year) in official and official[(c, year)].value is not None]
            out[group].append(GroupYear(year, len(members), sum(ours.get((c, year), 0) for c in members),
                                        sum(v for v in published if v is not None) if published else None,
                                        len(published)))
    return out
