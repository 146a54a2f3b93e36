"""The case facts of a review read from the database: a handful of aggregate queries, no case named.

Case records count possible and actual victims (as the diagnostics count them), by the country whose services
recorded them and the year they were identified; a child victim is a case the record marks minor at exploitation;
"towards France" means France is the country of exploitation. UNODC's figures are those imported from its GLOTIP file
(``palermo import glotip``): detected victims aged 0-17 reported by each programme country, and victims detected in
France by citizenship of a programme country. Guardianship comes from the referral records of minors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Q

from palermo.cases.models import Case
from palermo.diagnostics.models import Indicator, OfficialStatistic
from palermo.diagnostics.official import combined
from palermo.programme.portfolio import VICTIM_STATUSES
from palermo.referral.models import Referral
from palermo.steering.casefacts import YEARS_SHOWN, CaseFacts, Cell, Guardianship

FRANCE = "FR"


def _official(rows: Iterable[tuple[str, int, int | None, bool]]) -> dict[tuple[str, int], Cell]:
    parts: dict[tuple[str, int], list[tuple[int | None, bool]]] = defaultdict(list)
    for country, year, value, suppressed in rows:
        parts[(country, year)].append((value, suppressed))
    return {key: combined(values) for key, values in parts.items()}


def case_facts(year: int, countries: Iterable[str]) -> CaseFacts:
    """The case facts of the review of ``year`` for the programme's ``countries``."""
    codes = sorted(set(countries))
    years = tuple(range(year - YEARS_SHOWN + 1, year + 1))
    cases = Case.objects.filter(trafficking_status__in=VICTIM_STATUSES, owner_country_id__in=codes,
                                year_identified__in=years)
    minors: dict[tuple[str, int], int] = {}
    victims: dict[tuple[str, int], int] = {}
    to_france: dict[tuple[str, int], int] = {}
    to_france_minors: dict[tuple[str, int], int] = {}
    in_france = Q(country_of_exploitation_id=FRANCE)
    for country, in_year, all_, children, towards, towards_children in (
        cases.values_list("owner_country_id", "year_identified")
        .annotate(all_=Count("pk"), children=Count("pk", filter=Q(is_minor=True)),
                  towards=Count("pk", filter=in_france),
                  towards_children=Count("pk", filter=in_france & Q(is_minor=True)))
        .order_by()
    ):
        key = (country, in_year)
        victims[key] = all_
        for found, count in ((minors, children), (to_france, towards), (to_france_minors, towards_children)):
            if count:
                found[key] = count
    forms = {
        (form, country): count
        for form, country, count in cases.filter(year_identified=year).exclude(thb_form="")
        .values_list("thb_form", "owner_country_id").annotate(n=Count("pk")).order_by()
    }
    detected = OfficialStatistic.objects.filter(indicator=Indicator.DETECTED_VICTIMS, year__in=years)
    children = list(detected.filter(country_id__in=codes, dimension=OfficialStatistic.TOTAL, age="0-17",
                                    sex__in=(OfficialStatistic.TOTAL, "female", "male", "other"))
                    .values_list("country_id", "year", "value", "suppressed", "sex"))
    unodc_minors = {  # girls and boys added up where UNODC gives no total
        **_official(row[:4] for row in children if row[4] != OfficialStatistic.TOTAL),
        **_official(row[:4] for row in children if row[4] == OfficialStatistic.TOTAL),
    }
    unodc_france = _official(
        detected.filter(country_id=FRANCE, dimension="citizenship", citizenship_id__in=codes,
                        sex=OfficialStatistic.TOTAL, age=OfficialStatistic.TOTAL)
        .values_list("citizenship_id", "year", "value", "suppressed"))
    return CaseFacts(
        years=years, minors=minors, victims=victims, unodc_minors=unodc_minors, forms=forms, to_france=to_france,
        to_france_minors=to_france_minors, unodc_france=unodc_france, guardianship=guardianship(year, codes),
        guardianship_known=True,
    )


def guardianship(year: int, countries: list[str]) -> dict[str, Guardianship]:
    """Per country: the minors whose guardian was due in ``year``, appointed by the deadline, late, or not yet."""
    found: dict[str, Guardianship] = {}
    rows = (
        Referral.objects.filter(minor=True, guardian_due__year=year, country_id__in=countries)
        .values_list("country_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(guardian_appointed_at__lte=F("guardian_due"))),
            late=Count("pk", filter=Q(guardian_appointed_at__gt=F("guardian_due"))),
            missing=Count("pk", filter=Q(guardian_appointed_at__isnull=True)),
        )
        .order_by()
    )
    for country, due, on_time, late, missing in rows:
        found[country] = Guardianship(due=due, on_time=on_time, late=late, missing=missing)
    return found
