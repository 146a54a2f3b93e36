"""Derived case values: CTDC age band, minor at exploitation, form of THB. Plain Python, no Django.

The form-of-THB rule (documented in docs/cases.md):

1. No known country of exploitation: unknown ("").
2. The person's origin is the citizenship, or, when the citizenship is unknown, the country of recruitment;
   no known origin: unknown ("").
3. Origin = country of exploitation: ``traditional`` (domestic trafficking).
4. ``migration_route`` when the origin is outside Europe and either the person was exploited in Europe or
   the route crosses a third country (a transit leg neither in the origin nor in the country of
   exploitation): a migrant exploited on the way or on arrival.
5. Otherwise ``traditional``: a European (programme, EU, neighbouring) citizen trafficked across borders, the
   classic pattern of exploiting people made vulnerable where they live.

The case worker may override the result; the override, its author, date and reason are stored beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 8, "0-8"),
    (9, 17, "9-17"),
    (18, 20, "18-20"),
    (21, 23, "21-23"),
    (24, 26, "24-26"),
    (27, 29, "27-29"),
    (30, 38, "30-38"),
    (39, 47, "39-47"),
    (48, None, "48+"),
)
MINOR_BANDS = frozenset({"0-8", "9-17"})
# Geographic Europe with its EU, EEA and Eastern Partnership neighbours (Kosovo as XK); Turkey is a transit
# country of the Balkan route, not an origin of this pattern, and stays outside.
EUROPE = frozenset(
    {
        "AD", "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES",
        "FI", "FR", "GB", "GE", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD",
        "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SK", "SM", "UA", "VA",
        "XK",
    }
)
TRADITIONAL = "traditional"
MIGRATION_ROUTE = "migration_route"


def age_band(age: int | None) -> str:
    """The CTDC age band of an age in whole years; "" when unknown or negative."""
    if age is None or age < 0:
        return ""
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return ""  # pragma: no cover - the last band is open


def normalise_age_band(text: str) -> str | None:
    """Read a band as CTDC files print it (``0--8``, ``0—8``, ``48 +``); None when it is not a band."""
    cleaned = text.strip().replace("—", "-").replace("–", "-").replace("--", "-").replace(" ", "")
    return cleaned if cleaned in {label for *_, label in AGE_BANDS} else None


def age_on(birth_date: date | None, on: date | None) -> int | None:
    if birth_date is None or on is None or on < birth_date:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def minor_at_exploitation(
    *, age_when_trafficked: int | None, age_at_exploitation: int | None, age_at_identification: int | None
) -> bool | None:
    """True/False when known. A minor when identified was a minor when exploited (exploitation comes first)."""
    for age in (age_when_trafficked, age_at_exploitation):
        if age is not None:
            return age < 18
    if age_at_identification is not None and age_at_identification < 18:
        return True
    return None


def minor_when_identified(age_at_identification: int | None, age_band: str) -> bool | None:
    """Under 18 when identified: from the age, else from the band (CTDC files carry bands); None when unknown."""
    if age_at_identification is not None:
        return age_at_identification < 18
    if age_band:
        return age_band in MINOR_BANDS
    return None


def thb_form(
    *, citizenship: str, recruitment_country: str, transit_countries: Sequence[str], exploitation_country: str
) -> str:
    """The form of THB by the rule in this module's docstring: "traditional", "migration_route" or ""."""
    origin = citizenship or recruitment_country
    if not exploitation_country or not origin:
        return ""
    if origin == exploitation_country:
        return TRADITIONAL
    if origin not in EUROPE:
        crosses_third_country = any(
            country and country not in (origin, exploitation_country) for country in transit_countries
        )
        if exploitation_country in EUROPE or crosses_third_country:
            return MIGRATION_ROUTE
    return TRADITIONAL


def derived_fields(
    *,
    birth_date: date | None,
    identification_date: date | None,
    age_at_identification: int | None,
    age_when_trafficked: int | None,
    exploitation_date: date | None,
    citizenship: str,
    recruitment_country: str,
    transit_countries: Sequence[str],
    exploitation_country: str,
    known_age_band: str = "",
    known_minor: bool | None = None,
    known_year: int | None = None,
    thb_form_override: str = "",
) -> dict[str, object]:
    """The stored derived values of a case, from what is known of it.

    Ages computed from the birth date win over ages given as numbers; a band given by the source (CTDC files
    carry bands, not ages) is kept when no age is known; a minor flag given by the source is kept when no age
    at exploitation is known.
    """
    age_identified = age_on(birth_date, identification_date)
    if age_identified is None:
        age_identified = age_at_identification
    minor = minor_at_exploitation(
        age_when_trafficked=age_when_trafficked,
        age_at_exploitation=age_on(birth_date, exploitation_date),
        age_at_identification=age_identified,
    )
    band = age_band(age_identified) or known_age_band
    if minor is None:
        minor = known_minor if known_minor is not None else (True if band in MINOR_BANDS else None)
    computed = thb_form(
        citizenship=citizenship, recruitment_country=recruitment_country, transit_countries=transit_countries,
        exploitation_country=exploitation_country,
    )
    return {
        "year_identified": identification_date.year if identification_date else known_year,
        "age_at_identification": age_identified,
        "age_band": band,
        "is_minor": minor,
        "country_of_exploitation_id": exploitation_country or None,
        "transit_countries": [c for c in transit_countries if c],
        "thb_form_computed": computed,
        "thb_form": thb_form_override or computed,
    }
