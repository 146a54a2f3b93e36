"""Risk profiles and the campaigns that reach them: plain Python, no Django.

A *profile* is a country and one value on each chosen dimension (citizenship, sex, age band, recruitment method,
form of exploitation, form of THB). Its figures come from the case records of that country:

- ``recent``: victims identified in the ``window`` years ending with the reference year; ``previous``: in the
  ``window`` years before;
- ``score`` = recent + max(0, recent - previous): the recent victims, plus their rise. The ranking sorts by it
  (then by recent victims, then by the profile's values), every profile with fewer than ``k`` recent victims
  after the others, marked "too few to say";
- ``interval``: a 95 % interval of the recent count as a Poisson count (Byar's approximation);
- ``trend``: "rising" when the 95 % interval of recent / previous (conditional on their sum, Wilson) lies above 1,
  "falling" when below 1, else "unclear".

A case with several values on a multi-valued dimension (recruitment methods, forms of exploitation) counts once in
each of its profiles; a case with no value on a dimension counts under "unknown". A campaign *covers* a profile
when the profile's country is one of its countries, its dates meet the period looked at, and on every dimension
of the profile its targets are empty (anyone) or hold the profile's value.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

DIMENSIONS = ("citizenship", "sex", "age_band", "recruitment", "form", "thb_form")
DEFAULT_DIMENSIONS = ("sex", "age_band", "form")
MULTI_VALUED = frozenset({"recruitment", "form"})
AGE_BANDS = ("0-17", "18-24", "25-39", "40+")
UNKNOWN = "unknown"
Z95 = 1.959963984540054
HIGH_RISK_RANKS = 5  # the first profiles of a country's ranking (not "too few to say") are its high-risk ones
RISING, FALLING, UNCLEAR = "rising", "falling", "unclear"

# The CTDC age bands a case record keeps when its age is not known, to the bands of a profile (by their middle).
CTDC_BANDS = {"0-8": "0-17", "9-17": "0-17", "18-20": "18-24", "21-23": "18-24", "24-26": "25-39",
              "27-29": "25-39", "30-38": "25-39", "39-47": "40+", "48+": "40+"}


def age_band(age: int | None, ctdc_band: str = "") -> str:
    """The profile's age band of an age in years, else of a CTDC band, else unknown."""
    if age is None:
        return CTDC_BANDS.get(ctdc_band, UNKNOWN)
    if age < 18:
        return "0-17"
    if age < 25:
        return "18-24"
    return "25-39" if age < 40 else "40+"


@dataclass(frozen=True)
class CaseFacts:
    """What the ranking reads of one case record."""

    country: str
    year: int
    citizenship: str = UNKNOWN
    sex: str = UNKNOWN
    age_band: str = UNKNOWN
    recruitment: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    thb_form: str = UNKNOWN

    def values(self, dimension: str) -> tuple[str, ...]:
        value = getattr(self, dimension)
        if dimension in MULTI_VALUED:
            return tuple(sorted(set(value))) or (UNKNOWN,)
        return (value or UNKNOWN,)


@dataclass(frozen=True, order=True)
class Profile:
    country: str
    values: tuple[tuple[str, str], ...]  # (dimension, value) in the order of DIMENSIONS

    def value(self, dimension: str) -> str | None:
        return dict(self.values).get(dimension)

    @property
    def key(self) -> str:
        """A stable text form: ``RO|sex=female|age_band=0-17``."""
        return "|".join([self.country, *(f"{d}={v}" for d, v in self.values)])


@dataclass
class Ranked:
    profile: Profile
    recent: int
    previous: int
    rank: int = 0
    campaigns: list[int] = field(default_factory=list)

    @property
    def score(self) -> int:
        return self.recent + max(0, self.recent - self.previous)

    def too_few(self, k: int) -> bool:
        return self.recent < k

    @property
    def interval(self) -> tuple[float, float]:
        return poisson_interval(self.recent)

    @property
    def trend(self) -> str:
        return trend(self.recent, self.previous)

    @property
    def covered(self) -> bool:
        return bool(self.campaigns)


def poisson_interval(count: int, z: float = Z95) -> tuple[float, float]:
    """Byar's approximation of the exact Poisson interval of a count (lower bound 0 for 0)."""
    if count < 0:
        raise ValueError("a count is never negative")
    lower = 0.0 if count == 0 else count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return round(max(lower, 0.0), 1), round(upper, 1)


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion."""
    if trials <= 0:
        raise ValueError("no trial")
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def trend(recent: int, previous: int) -> str:
    """Rising or falling only when the 95 % interval of the ratio recent / previous excludes 1."""
    total = recent + previous
    if total == 0:
        return UNCLEAR
    low, high = wilson(recent, total)
    if low > 0.5:
        return RISING
    if high < 0.5:
        return FALLING
    return UNCLEAR


def windows(year: int, window: int) -> tuple[range, range]:
    """The recent years (ending with ``year``) and the previous ones, ``window`` years each."""
    if window < 1:
        raise ValueError("a window is at least one year")
    return range(year - window + 1, year + 1), range(year - 2 * window + 1, year - window + 1)


def profiles_of(case: CaseFacts, dimensions: Sequence[str]) -> list[Profile]:
    ordered = [d for d in DIMENSIONS if d in dimensions]
    unknown = set(dimensions) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    return [Profile(case.country, tuple(zip(ordered, combination, strict=True)))
            for combination in itertools.product(*(case.values(d) for d in ordered))]


def rank(cases: Iterable[CaseFacts], *, dimensions: Sequence[str] = DEFAULT_DIMENSIONS, year: int, window: int = 2,
         k: int = 10) -> dict[str, list[Ranked]]:
    """Every profile with a victim in the two windows, ranked per country (see the module's rules)."""
    recent_years, previous_years = windows(year, window)
    recent: Counter[Profile] = Counter()
    previous: Counter[Profile] = Counter()
    for case in cases:
        if case.year in recent_years:
            target = recent
        elif case.year in previous_years:
            target = previous
        else:
            continue
        for profile in profiles_of(case, dimensions):
            target[profile] += 1
    by_country: dict[str, list[Ranked]] = defaultdict(list)
    for profile in sorted(set(recent) | set(previous)):
        by_country[profile.country].append(Ranked(profile, recent[profile], previous[profile]))
    for ranked in by_country.values():
        ranked.sort(key=lambda r: (r.too_few(k), -r.score, -r.recent, r.profile))
        for position, line in enumerate(ranked, start=1):
            line.rank = position
    return dict(sorted(by_country.items()))


@dataclass(frozen=True)
class CampaignFacts:
    """What coverage reads of a campaign; an empty target means anyone on that dimension."""

    id: int
    countries: frozenset[str]
    start: date
    end: date
    targets: Mapping[str, frozenset[str]] = field(default_factory=dict)


def covers(campaign: CampaignFacts, profile: Profile, start: date, end: date) -> bool:
    if profile.country not in campaign.countries or campaign.start > end or campaign.end < start:
        return False
    return all(not campaign.targets.get(d) or v in campaign.targets[d] for d, v in profile.values)


def attach_campaigns(ranking: Mapping[str, list[Ranked]], campaigns: Sequence[CampaignFacts], start: date,
                     end: date) -> None:
    """Fill each ranked profile's ``campaigns`` with the ids of those covering it between ``start`` and ``end``."""
    for lines in ranking.values():
        for line in lines:
            line.campaigns = [c.id for c in campaigns if covers(c, line.profile, start, end)]


def gaps(ranking: Mapping[str, list[Ranked]], *, k: int = 10, top: int = HIGH_RISK_RANKS) -> list[Ranked]:
    """The high-risk profiles (the first ``top`` of a country, enough victims to say) no campaign covers;
    ``attach_campaigns`` first."""
    return [line for lines in ranking.values() for line in lines
            if line.rank <= top and not line.too_few(k) and not line.covered]
