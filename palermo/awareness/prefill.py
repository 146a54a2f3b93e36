"""A campaign pre-filled from a risk profile (the planning page): the profile's country and values as its aims,
and the populations, risks, channels and languages they suggest, for the planner to correct."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.awareness import risk
from palermo.awareness.choices import Channel, Language, Population, Risk
from palermo.awareness.labels import ProfileWords

LANGUAGES_OF_COUNTRY = {
    "AL": ["sq"], "BA": ["bs", "hr", "sr-Latn"], "BG": ["bg"], "HR": ["hr"], "GR": ["el"], "XK": ["sq", "sr-Latn"],
    "MD": ["ro"], "ME": ["cnr"], "MK": ["mk", "sq"], "RO": ["ro"], "RS": ["sr-Latn", "sr-Cyrl"],
}
RISKS_OF_FORM = {
    "sexual_exploitation": [Risk.LOVER_BOY, Risk.GROOMING], "forced_labour": [Risk.JOB_OFFERS, Risk.LABOUR_ABROAD],
    "begging": [Risk.BEGGING], "forced_marriage": [Risk.MARRIAGE], "forced_criminality": [Risk.JOB_OFFERS],
}
ONLINE = frozenset({"ThroughOnlineSocialNetworks", "ThroughAnOnlineAdvertisement"})
TARGET_FIELDS = {"citizenship": "target_citizenships", "sex": "target_sexes", "age_band": "target_age_bands",
                 "recruitment": "target_recruitment", "form": "target_forms", "thb_form": "target_thb_forms"}


def parse_key(key: str) -> risk.Profile | None:
    """The profile of ``RO|sex=female|age_band=0-17`` (``Profile.key``); None when malformed."""
    parts = key.split("|")
    if len(parts) < 2 or len(parts[0]) != 2 or not parts[0].isalpha() or not parts[0].isupper():
        return None
    values = []
    for part in parts[1:]:
        dimension, _sep, value = part.partition("=")
        if dimension not in risk.DIMENSIONS or not value or len(value) > 60:
            return None
        values.append((dimension, value))
    order = {d: i for i, d in enumerate(risk.DIMENSIONS)}
    if len({d for d, _v in values}) != len(values):
        return None
    return risk.Profile(parts[0], tuple(sorted(values, key=lambda pair: order[pair[0]])))


def initial_from_profile(profile: risk.Profile, line: risk.Ranked, words: ProfileWords,
                         today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    known = {d: v for d, v in profile.values if v != risk.UNKNOWN}
    populations: list[str] = []
    risks: list[str] = []
    channels: list[str] = [Channel.SOCIAL_MEDIA]
    band, sex, form = known.get("age_band"), known.get("sex"), known.get("form")
    if band == "0-17":
        populations += [Population.CHILDREN, Population.PARENTS_TEACHERS]
        channels.insert(0, Channel.SCHOOLS)
    elif band in ("18-24",):
        populations.append(Population.STUDENTS)
    if sex == "female" and band != "0-17":
        populations.append(Population.WOMEN)
    if form == "forced_labour":
        populations.append(Population.JOB_SEEKERS)
        channels.append(Channel.JOB_FAIRS)
    if known.get("thb_form") == "migration_route" or known.get("citizenship", profile.country) != profile.country:
        populations.append(Population.MIGRANTS)
        channels.append(Channel.BORDER)
        risks.append(Risk.ROUTE)
    if form is not None:
        risks += RISKS_OF_FORM.get(form, [])
    if known.get("recruitment") in ONLINE and Risk.GROOMING not in risks:
        risks.append(Risk.GROOMING)
    label = words.profile(profile)
    initial: dict[str, Any] = {
        "title": _("Awareness campaign: %(profile)s, %(country)s") % {
            "profile": label, "country": words.country(profile.country)},
        "objective": _("Warn the people of this profile (%(profile)s), ranked %(rank)s in %(country)s by the victims "
                       "identified recently, and measure what the campaign reached.") % {
            "profile": label, "rank": line.rank, "country": words.country(profile.country)},
        "countries": [profile.country], "populations": list(dict.fromkeys(populations)) or [Population.STUDENTS],
        "risks": list(dict.fromkeys(risks)), "channels": list(dict.fromkeys(channels)),
        "languages": [*LANGUAGES_OF_COUNTRY.get(profile.country, []), Language.ENGLISH][:3],
        "start": today, "end": date(today.year + 1, today.month, min(today.day, 28)),
    }
    for dimension, value in known.items():
        initial[TARGET_FIELDS[dimension]] = [value]
    return initial
