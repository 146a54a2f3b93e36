"""Demo referral mechanism, consistent with the demo cases (runs after ``palermo.cases.demo`` and
``palermo.screening.demo``):

- the **service directory**: in every programme country, the services of demo partner organisations (the demo
  NGO, the demo victims' association, the coordinator's office, IOM), each contact marked as fictitious demo data;
- **national settings**: where a country has none, the Warsaw minimum of 30 days and an illustrative guardian
  deadline, its source saying it is demo data and not the country's rule;
- **referrals** of the demo NGO's most recent cases: decided cases carried to the decision their record holds
  (formally identified, or not), some through a refusal and a second referral; undecided cases left open since
  their identification (overdue); and the cases opened today from the demo screenings, just referred (a child's
  guardian due within days). Minors follow the case record; some have no guardian.

Deterministic (fixed choices, dates from the case records or the load time), idempotent (what exists is kept).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from palermo.accounts.access import SYSTEM, SystemActor
from palermo.cases import codes
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.reference.models import Country
from palermo.referral import services, workflow
from palermo.referral.models import COUNTRY_ZONES, CountryNrm, Referral, Service

DEMO_CONTACT = "DEMO — fictitious contact, not a real service: {email}"
DEMO_SETTINGS_SOURCE = ("DEMO data: 30 days is the Warsaw Convention minimum (Art. 13); the guardian deadline is "
                        "illustrative, not this country's rule — a programme manager sets the real one")
DEMO_GUARDIAN_DAYS = 3
# The official languages of each country, then English (ISO 639-1; Montenegrin as ISO 639-3 "cnr").
LANGUAGES = {"AL": "sq", "BA": "bs, hr, sr", "BG": "bg", "HR": "hr", "GR": "el", "XK": "sq, sr", "MD": "ro",
             "ME": "cnr, sr", "MK": "mk, sq", "RO": "ro", "RS": "sr"}
# (organisation short name, {country} filled in, service types, days since last verified)
DIRECTORY = [
    ("NGO-{country}", ["shelter", "medical", "psychological"], 40),
    ("VA-{country}", ["legal_aid", "interpretation"], 420),  # not verified for over a year: shown as stale
    ("NC-{country}", ["guardianship"], 90),
    ("IOM", ["return_reintegration"], 150),
]
DECIDED, UNDECIDED = 9, 3  # recent cases referred per country


def load(log: list[str], now: datetime | None = None) -> None:
    """``now``: the moment the demo is loaded (tests fix it)."""
    actor = SYSTEM.running("demo")
    now = now or timezone.now()
    counts = {"services": 0, "settings": 0, "referrals": 0}
    for country in Country.objects.programme().order_by("code"):
        counts["services"] += _directory(actor, country, now)
        counts["settings"] += _settings(country)
        ngo = Organisation.objects.filter(short_name=f"NGO-{country.code}").first()
        if ngo is not None:
            counts["referrals"] += _referrals(actor, country, ngo, now)
    log.append(f"referral: {counts['services']} demo services, {counts['settings']} demo country settings, "
               f"{counts['referrals']} referrals")


def _directory(actor: SystemActor, country: Country, now: datetime) -> int:
    added = 0
    for short, types, age in DIRECTORY:
        organisation = Organisation.objects.filter(short_name=short.format(country=country.code)).first()
        if organisation is None or Service.objects.filter(organisation=organisation, country=country).exists():
            continue
        email = f"{organisation.short_name.lower()}-{country.code.lower()}@example.org"
        services.add_service(acting_user=actor, organisation=organisation, country=country.code, service_types=types,
                             area=f"{country.name_en} (demo)", languages=f"{LANGUAGES.get(country.code, '')}, en",
                             contact=DEMO_CONTACT.format(email=email),
                             last_verified=timezone.localdate(now) - timedelta(days=age))
        added += 1
    return added


def _settings(country: Country) -> int:
    if country.code not in COUNTRY_ZONES or CountryNrm.objects.filter(country=country).exists():
        return 0
    CountryNrm.objects.create(country=country, time_zone=COUNTRY_ZONES[country.code],
                              reflection_days=workflow.MIN_REFLECTION_DAYS, guardian_days=DEMO_GUARDIAN_DAYS,
                              source=DEMO_SETTINGS_SOURCE)
    return 1


def _at(case: Case, days: int, hour: int, zone: str) -> datetime:
    """A local time ``days`` after the case's identification, in the country's zone."""
    assert case.identification_date is not None
    day = case.identification_date + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone))


def _minor(case: Case) -> bool | None:
    """Under 18 when identified, as the case record says (else minor at exploitation, if known)."""
    if case.age_at_identification is not None:
        return case.age_at_identification < 18
    return case.is_minor


def _referrals(actor: SystemActor, country: Country, ngo: Organisation, now: datetime) -> int:
    zone = services.deadlines_for(country.code).time_zone
    shelter = Service.objects.filter(organisation=ngo, country=country).first()
    mine = Case.objects.filter(organisation=ngo, owner_country=country, referral__isnull=True).only(
        "pk", "case_code", "organisation", "owner_country", "identification_date", "age_at_identification", "is_minor",
        "trafficking_status", "status_decided_by")
    if Referral.objects.filter(organisation=ngo, country=country).exists():
        return 0
    recent = mine.exclude(identification_date__isnull=True).order_by("-identification_date", "case_code")
    decided = list(recent.exclude(trafficking_status=codes.TraffickingStatus.POSSIBLE)[:DECIDED])
    undecided = list(recent.filter(trafficking_status=codes.TraffickingStatus.POSSIBLE)[:UNDECIDED])
    for position, case in enumerate(decided):
        _decided(actor, case, position, shelter, zone, now)
    for position, case in enumerate(undecided):
        referral = services.open_referral(acting_user=actor, case=case, minor=_minor(case),
                                          at=_at(case, 0, 10, zone))
        # left at "possible victim", "referred" and "accepted": each reflection period long over
        for index, step in enumerate((workflow.REFERRED, workflow.ACCEPTED)[:position]):
            services.record_step(acting_user=actor, referral=referral, step=step,
                                 service=shelter if step == workflow.REFERRED else None,
                                 at=_at(case, 1 + 3 * index, 11, zone))
    screened = list(mine.filter(source="", screenings__isnull=False).order_by("pk"))
    for case in screened:
        minor = case.screenings.filter(indicator_list__population="child").exists()
        referral = services.open_referral(acting_user=actor, case=case, minor=minor, at=now)
        services.record_step(acting_user=actor, referral=referral, step=workflow.REFERRED, service=shelter, at=now)
    return len(decided) + len(undecided) + len(screened)


def _decided(actor: SystemActor, case: Case, position: int, shelter: Service | None, zone: str,
             now: datetime) -> None:
    """Referred the day after identification, accepted three days later (every fourth case first refused, then
    referred again), decided as the case record says some weeks later; a minor's guardian appointed the next day,
    or late for every third minor."""
    referral = services.open_referral(acting_user=actor, case=case, minor=_minor(case), at=_at(case, 0, 10, zone))
    if referral.minor:
        late = position % 3 == 2
        services.appoint_guardian(acting_user=actor, referral=referral, at=_at(case, 6 if late else 1, 15, zone))
    services.record_step(acting_user=actor, referral=referral, step=workflow.REFERRED, service=shelter,
                         at=_at(case, 1, 11, zone))
    if position % 4 == 3:
        services.record_step(acting_user=actor, referral=referral, step=workflow.REFUSED, at=_at(case, 2, 9, zone),
                             reason="DEMO: no place left in the shelter")
        services.record_step(acting_user=actor, referral=referral, step=workflow.REFERRED, service=shelter,
                             at=_at(case, 3, 9, zone), reason="DEMO: a place became free")
    services.record_step(acting_user=actor, referral=referral, step=workflow.ACCEPTED, at=_at(case, 4, 14, zone))
    final = workflow.IDENTIFIED if case.trafficking_status == codes.TraffickingStatus.ACTUAL else \
        workflow.NOT_IDENTIFIED
    decided_at = min(_at(case, 21 + 7 * (position % 6), 12, zone), now - timedelta(hours=1))
    services.record_step(acting_user=actor, referral=referral, step=final, at=decided_at,
                         decided_by=case.status_decided_by or codes.DecisionMaker.POLICE.value)
