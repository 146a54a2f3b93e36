"""The risk picture from the database: case records read through ``palermo.cases`` models, official figures
through ``palermo.diagnostics``, campaigns of this app; the arithmetic is ``risk.py``'s."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max

from palermo.awareness import risk
from palermo.awareness.models import Campaign
from palermo.cases import codes
from palermo.cases.models import Case
from palermo.diagnostics.disclosure import DEFAULT_K
from palermo.diagnostics.models import Indicator, OfficialStatistic

K = DEFAULT_K  # the platform's privacy resolution: fewer recent victims than this are "too few to say"
WINDOW = 2


def case_facts(countries: frozenset[str] | None, years: Sequence[int]) -> list[risk.CaseFacts]:
    """The case records of these owner countries and years (not those found not to be victims): one query."""
    cases = Case.objects.filter(year_identified__in=list(years)).exclude(
        trafficking_status=codes.TraffickingStatus.NOT_VICTIM)
    if countries is not None:
        cases = cases.filter(owner_country_id__in=countries)
    rows: dict[int, Any] = {}
    forms: dict[int, list[str]] = defaultdict(list)
    for row in cases.values_list(  # one row per case and form (a case without forms: one, form None)
            "pk", "owner_country_id", "year_identified", "citizenship_id", "gender", "age_when_trafficked",
            "age_at_identification", "age_band", "recruitment_methods", "thb_form", "forms"):
        rows[row[0]] = row
        if row[-1] is not None:
            forms[row[0]].append(row[-1])
    facts = []
    for (pk, country, year, citizenship, gender, age_trafficked, age_identified, band, methods, thb_form,
         _form) in rows.values():
        sex = codes.SEX_OF_GENDER.get(gender, risk.UNKNOWN) if gender else risk.UNKNOWN
        facts.append(risk.CaseFacts(
            country=country, year=year or 0, citizenship=citizenship or risk.UNKNOWN, sex=sex,
            age_band=risk.age_band(age_trafficked if age_trafficked is not None else age_identified, band),
            recruitment=tuple(methods or ()), form=tuple(forms.get(pk, ())), thb_form=thb_form or risk.UNKNOWN))
    return facts


def latest_year(countries: frozenset[str] | None, today: date) -> int:
    """The last year with identified victims in these countries (not after this year)."""
    cases = Case.objects.filter(year_identified__lte=today.year)
    if countries is not None:
        cases = cases.filter(owner_country_id__in=countries)
    return cases.aggregate(last=Max("year_identified"))["last"] or today.year


def campaign_facts(campaigns: Sequence[Campaign] | None = None) -> list[risk.CampaignFacts]:
    """Every campaign (or those given, their countries prefetched) as coverage reads it."""
    if campaigns is None:
        campaigns = list(Campaign.objects.prefetch_related("countries"))
    return [risk.CampaignFacts(c.pk, frozenset(country.code for country in c.countries.all()), c.start, c.end,
                               c.targets()) for c in campaigns]


def official_victims(countries: Sequence[str], years: Sequence[int]) -> dict[str, dict[int, int | None]]:
    """Detected victims as officially published (UNODC GLOTIP, imported in diagnostics): country → year → value
    (None where published as suppressed)."""
    found: dict[str, dict[int, int | None]] = defaultdict(dict)
    total = OfficialStatistic.TOTAL
    for country, year, value, suppressed in OfficialStatistic.objects.filter(
            indicator=Indicator.DETECTED_VICTIMS, country_id__in=list(countries), year__in=list(years),
            dimension=total, sex=total, age=total, form=total).values_list("country_id", "year", "value",
                                                                          "suppressed"):
        found[country][year] = None if suppressed else value
    return dict(found)


@dataclass
class RiskPicture:
    year: int
    window: int
    dimensions: tuple[str, ...]
    recent_years: range
    previous_years: range
    cover_start: date
    cover_end: date
    ranking: dict[str, list[risk.Ranked]]
    gaps: list[risk.Ranked]
    official: dict[str, dict[int, int | None]] = field(default_factory=dict)
    k: int = K


def picture(countries: frozenset[str] | None, *, year: int, dimensions: Sequence[str] = risk.DEFAULT_DIMENSIONS,
            window: int = WINDOW, cover_until: date | None = None, official: bool = True) -> RiskPicture:
    """The ranking of these countries' profiles for ``year``, each with the campaigns covering it: those running from
    the start of the recent window to ``cover_until`` (default: the end of the next year, the year being planned)."""
    recent, previous = risk.windows(year, window)
    ranking = risk.rank(case_facts(countries, [*previous, *recent]), dimensions=dimensions, year=year,
                        window=window, k=K)
    start = date(recent[0], 1, 1)
    end = cover_until or date(year + 1, 12, 31)
    risk.attach_campaigns(ranking, campaign_facts() if ranking else [], start, end)
    return RiskPicture(year=year, window=window, dimensions=tuple(d for d in risk.DIMENSIONS if d in dimensions),
                       recent_years=recent, previous_years=previous, cover_start=start, cover_end=end,
                       ranking=ranking, gaps=risk.gaps(ranking, k=K),
                       official=official_victims(list(ranking), [*previous, *recent]) if official else {})
