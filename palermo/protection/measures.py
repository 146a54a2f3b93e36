"""The objective-3 dashboard's figures, computed from plain records. Pure Python: no Django here.

Four figures (docs/protection.md), each one table:

- ``durations``: days from first contact to referral and to formal identification, per country — how many
  persons, the median and the 90th percentile (linear interpolation between the closest ranks, as
  ``numpy.percentile``'s default and Excel's ``PERCENTILE.INC``). A median or percentile of fewer than ``k``
  durations is never shown, in exact figures too: it would describe a handful of people;
- ``guardians``: minors by the outcome of their guardian deadline (:func:`guardian_status`), and the share
  appointed within it among those whose outcome is known;
- ``assistance``: persons who received each type of support (HTCDS support plan types), per country;
- ``referrals``: persons in the referral mechanism per country, sex and age band (CTDC bands).

Counts are exact or released exactly as the diagnostics dashboard does it: released counts go through
:func:`palermo.diagnostics.disclosure.protect` (k-rounding with primary and complementary suppression, the
marginal totals included); a suppressed cell is ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from palermo.cases.rules import AGE_BANDS as CTDC_AGE_BANDS
from palermo.diagnostics import disclosure
from palermo.diagnostics.disclosure import TOTAL
from palermo.referral.workflow import local_day, zone

UNKNOWN = "unknown"
SEXES = ("female", "male", "other", UNKNOWN)
AGE_BANDS = (*(label for *_, label in CTDC_AGE_BANDS), UNKNOWN)
ON_TIME, LATE, OVERDUE, PENDING, NO_DEADLINE = "on_time", "late", "overdue", "pending", "no_deadline"
GUARDIAN_OUTCOMES = (ON_TIME, LATE, OVERDUE, PENDING, NO_DEADLINE)
DECIDED = (ON_TIME, LATE, OVERDUE)  # the outcomes the share is computed over
SECTIONS = ("durations", "guardians", "assistance", "referrals")

Key = tuple[str, ...]


@dataclass(frozen=True)
class ReferralRecord:
    """One person in the referral mechanism: nothing that names them.

    ``first_contact`` is the earliest of the case's date of identification, its screenings and the referral's
    opening (possible victim) (:func:`first_contact`);
    ``referred`` and ``identified`` the first time each step was recorded; moments are aware datetimes,
    read as days in ``time_zone`` (the country's).
    """

    country: str
    time_zone: str
    first_contact: datetime
    sex: str = UNKNOWN
    age_band: str = ""
    minor: bool | None = None
    referred: datetime | None = None
    identified: datetime | None = None
    guardian_due: datetime | None = None
    guardian_appointed: datetime | None = None

    @property
    def year(self) -> int:
        """The year of first contact, in the country's calendar: what the year filter selects."""
        return local_day(self.first_contact, self.time_zone).year


@dataclass(frozen=True)
class SupportRecord:
    """One service provided to a person (``person`` is an opaque key: the same person, the same key)."""

    country: str
    person: str
    support_type: str
    year: int | None


# --- pure rules ---------------------------------------------------------------------------------------------

def days_between(start: datetime, end: datetime, time_zone: str) -> int:
    """Calendar days from ``start``'s local day to ``end``'s, in the country's time zone (0: the same day)."""
    return (local_day(end, time_zone) - local_day(start, time_zone)).days


def first_contact(time_zone: str, moments: Iterable[datetime | None], day: date | None = None) -> datetime:
    """The earliest of ``moments`` and the start of ``day`` (a date only, such as the case's date of
    identification), that day read in the country's time zone."""
    candidates = [moment for moment in moments if moment is not None]
    if day is not None:
        candidates.append(datetime.combine(day, time(0), tzinfo=zone(time_zone)))
    if not candidates:
        raise ValueError("a first contact needs at least one moment or day")
    return min(candidates)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between the closest ranks of the sorted values."""
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
    """Durations of one group: how many, and the median and 90th percentile when at least ``k``."""

    count: int
    median: float | None
    p90: float | None


def summarise(days: Sequence[int], k: int) -> Summary:
    """The median and 90th percentile (one decimal) of ``days``; both ``None`` under ``k`` durations."""
    if len(days) < k or not days:
        return Summary(len(days), None, None)
    return Summary(len(days), round(percentile(days, 50), 1), round(percentile(days, 90), 1))


def guardian_status(minor: bool | None, due: datetime | None, appointed: datetime | None,
                    now: datetime) -> str | None:
    """The outcome of a minor's guardian deadline; ``None`` for an adult or a person of unknown age.

    ``on_time`` (appointed by the deadline, the deadline's moment included), ``late`` (appointed after it),
    ``overdue`` (none appointed and the deadline passed: now at or after it, as the worklist says),
    ``pending`` (none yet, the deadline still ahead), ``no_deadline`` (the country set none when the minor
    entered the mechanism).
    """
    if not minor:
        return None
    if due is None:
        return NO_DEADLINE
    if appointed is not None:
        return ON_TIME if appointed <= due else LATE
    return OVERDUE if now >= due else PENDING


def share_on_time(counts: Mapping[str, int | None]) -> float | None:
    """Minors with a guardian within the deadline among those whose outcome is known (on time, late, overdue);
    ``None`` when a count it needs is suppressed or there is nobody to count."""
    needed = [counts.get(outcome) for outcome in DECIDED]
    if any(value is None for value in needed):
        return None
    on_time, *_rest = needed
    denominator = sum(value for value in needed if value is not None)
    return None if not denominator or on_time is None else on_time / denominator


def band(age_band: str) -> str:
    """A CTDC age band as the dashboard shows it: ``unknown`` for a blank or unrecognised one."""
    return age_band if age_band in AGE_BANDS else UNKNOWN


def sex(value: str) -> str:
    return value if value in SEXES else UNKNOWN


# --- tables ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Options:
    """What the figures cover: the countries (rows, in order), exact or released, ``k``, the year, the moment."""

    countries: tuple[str, ...]
    exact: bool
    k: int
    now: datetime
    year: int | None = None
    support_types: tuple[str, ...] = ()


def counted(dims: Sequence[str], cells: Mapping[Key, int], categories: Sequence[Sequence[str]],
            options: Options) -> dict[Key, int | None]:
    """The table with its margins: exact, or released through the diagnostics' disclosure control.

    ``cells`` may hold margins (keys with ``TOTAL``) counted by the caller (distinct persons for a multi-valued
    dimension); missing margins are sums.
    """
    if not options.exact:
        return disclosure.protect(dims, cells, k=options.k, categories=categories).released
    inner = {key: count for key, count in cells.items() if TOTAL not in key}
    _cats, full = disclosure.complete_table(dims, inner, categories)
    full.update({key: count for key, count in cells.items() if TOTAL in key})
    return dict(full)


def _in_scope(records: Iterable[ReferralRecord], options: Options) -> list[ReferralRecord]:
    countries = set(options.countries)
    return [r for r in records if r.country in countries and (options.year is None or r.year == options.year)]


def durations(records: Iterable[ReferralRecord], options: Options) -> list[dict[str, Any]]:
    """Per country and in total: persons referred and formally identified, with the median and 90th percentile
    of the days since first contact. A median is shown only over ``k`` durations or more and, in released
    figures, only beside a released count."""
    chosen = _in_scope(records, options)
    rows = []
    measures = {"referral": "referred", "identification": "identified"}
    days: dict[str, dict[str, list[int]]] = {name: {c: [] for c in options.countries} for name in measures}
    for record in chosen:
        for name, attribute in measures.items():
            moment = getattr(record, attribute)
            if moment is not None:
                days[name][record.country].append(days_between(record.first_contact, moment, record.time_zone))
    released = {name: counted(("country",), {(c,): len(values) for c, values in by_country.items()},
                              [options.countries], options) for name, by_country in days.items()}
    for country in (*options.countries, TOTAL):
        row: dict[str, Any] = {"country": country}
        for name, attribute in measures.items():
            values = ([d for v in days[name].values() for d in v] if country == TOTAL else days[name][country])
            count = released[name][(country,)]
            summary = summarise(values, options.k) if count is not None else Summary(len(values), None, None)
            row[attribute] = count
            row[f"{name}_median"], row[f"{name}_p90"] = summary.median, summary.p90
        rows.append(row)
    return rows


def guardians(records: Iterable[ReferralRecord], options: Options) -> list[dict[str, Any]]:
    """Minors per country by outcome of the guardian deadline, with the share appointed within it."""
    cells: dict[Key, int] = {}
    for record in _in_scope(records, options):
        outcome = guardian_status(record.minor, record.guardian_due, record.guardian_appointed, options.now)
        if outcome is not None:
            cells[(record.country, outcome)] = cells.get((record.country, outcome), 0) + 1
    table = counted(("country", "outcome"), cells, [options.countries, GUARDIAN_OUTCOMES], options)
    rows = []
    for country in (*options.countries, TOTAL):
        row: dict[str, Any] = {"country": country}
        row.update({outcome: table[(country, outcome)] for outcome in GUARDIAN_OUTCOMES})
        row["minors"] = table[(country, TOTAL)]
        row["share_on_time"] = share_on_time(row)
        rows.append(row)
    return rows


def assistance(supports: Iterable[SupportRecord], options: Options) -> list[dict[str, Any]]:
    """Persons who received each type of support, per country; a person is counted once per type, and once in
    each margin (so a margin can be less than the sum of its cells)."""
    countries = set(options.countries)
    persons: dict[Key, set[str]] = {}
    for support in supports:
        if support.country not in countries or (options.year is not None and support.year != options.year):
            continue
        for key in ((support.support_type, support.country), (support.support_type, TOTAL),
                    (TOTAL, support.country), (TOTAL, TOTAL)):
            persons.setdefault(key, set()).add(f"{support.country}/{support.person}")
    types = options.support_types or tuple(sorted({key[0] for key in persons if key[0] != TOTAL}))
    cells: dict[Key, int] = {(t, c): len(persons.get((t, c), ())) for t in (*types, TOTAL)
                             for c in (*options.countries, TOTAL)}
    table = counted(("support_type", "country"), cells, [types, options.countries], options)
    return [{"support_type": t, "country": c, "persons": table[(t, c)]}
            for t in (*types, TOTAL) for c in (*options.countries, TOTAL)]


def referrals(records: Iterable[ReferralRecord], options: Options) -> list[dict[str, Any]]:
    """Persons in the referral mechanism per country, sex and age band: one table, protected as a whole, so
    that its two-way margins (country by sex, country by age band) are consistent with each other."""
    cells: dict[Key, int] = {}
    for record in _in_scope(records, options):
        key = (record.country, sex(record.sex), band(record.age_band))
        cells[key] = cells.get(key, 0) + 1
    table = counted(("country", "sex", "age_band"), cells, [options.countries, SEXES, AGE_BANDS], options)
    return [{"country": c, "sex": s, "age_band": a, "referrals": table[(c, s, a)]}
            for c in (*options.countries, TOTAL) for s in (*SEXES, TOTAL) for a in (*AGE_BANDS, TOTAL)]


@dataclass
class Dashboard:
    options: Options
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def dashboard(records: Sequence[ReferralRecord], supports: Sequence[SupportRecord], options: Options) -> Dashboard:
    """Every figure of the dashboard for one scope."""
    return Dashboard(options, {
        "durations": durations(records, options),
        "guardians": guardians(records, options),
        "assistance": assistance(supports, options),
        "referrals": referrals(records, options),
    })


def pivot(rows: Sequence[Mapping[str, Any]], row_key: str, column_key: str, value_key: str,
          fixed: Mapping[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """``{row: {column: value}}`` of the rows matching ``fixed`` (e.g. ``{"age_band": TOTAL}``)."""
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if fixed and any(row[name] != value for name, value in fixed.items()):
            continue
        out.setdefault(row[row_key], {})[row[column_key]] = row[value_key]
    return out


def long_rows(rows: Sequence[Mapping[str, Any]], row_key: str, column_key: str, columns: Sequence[str],
              value_key: str) -> list[dict[str, Any]]:
    """Wide rows (one column per category) as long ones: ``{row_key, column_key, value_key}``."""
    return [{row_key: row[row_key], column_key: column, value_key: row[column]} for row in rows for column in columns]


def public(value: Any) -> Any:
    """A key as the API and downloads write it: ``total`` for a margin."""
    return "total" if value == TOTAL else value


def as_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{name: public(value) for name, value in row.items()} for row in rows]
