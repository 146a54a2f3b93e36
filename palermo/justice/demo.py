"""Demo criminal proceedings tied to the demo cases (runs after ``palermo.cases.demo``): in each programme country
and year from 2015, a handful of defendants prosecuted for trafficking (some for related offences only, a few
companies), with their victims among the country's demo case records, first-instance decisions one to three years
later and appeals of some of them; testimony, protected witnesses and compensation ordered and partly paid.
Deterministic (seeded), idempotent (a country with demo proceedings is skipped). All through the services, as the
system running "demo"."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from palermo.accounts.access import SYSTEM, Actor
from palermo.cases.models import Case
from palermo.justice import services
from palermo.justice.models import Defendant, Proceeding
from palermo.partners.models import Organisation
from palermo.reference.models import Country

PREFIX = "DEMO-"
YEARS = range(2015, 2026)
CITIZENSHIPS = ("AL", "BG", "RO", "RS", "MD", "GR", "BA", "MK", "ME", "HR", "XK", "TR", "UA")


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def load(log: list[str], seed: int = 2026) -> None:
    actor = SYSTEM.running("demo")
    today = timezone.localdate()
    made = decided = 0
    for country in Country.objects.programme().order_by("code"):
        organisation = Organisation.objects.filter(short_name=f"NGO-{country.code}").first()
        if organisation is None or Proceeding.objects.filter(country=country, file_number__startswith=PREFIX).exists():
            continue
        rng = random.Random(f"{seed}-{country.code}")
        cases = list(Case.objects.filter(owner_country=country, organisation=organisation, erased_at__isnull=True)
                     .exclude(year_identified__isnull=True).order_by("pk").values_list("pk", "year_identified"))
        if not cases:
            continue
        number = 0
        for year in YEARS:
            pool = [pk for pk, identified in cases if identified is not None and identified <= year] or [cases[0][0]]
            for _ in range(rng.randint(2, 7)):
                number += 1
                made_here, decided_here = _defendant(actor, rng, country.code, organisation, year, number, pool,
                                                     today)
                made += made_here
                decided += decided_here
    measured = _results(actor)
    log.append(f"justice: {made} demo proceedings ({decided} court decisions), "
               f"{Defendant.objects.count()} defendants in all; {measured} demo actions measure persons convicted")


def _results(actor: Actor, actions: int = 3) -> int:
    """A few objective-3 demo actions of the programme get an outcome indicator measured by the justice feed
    (``justice.persons_convicted``), one period a year of their span: its actuals follow the court records."""
    from palermo.justice.feeds import CONVICTED
    from palermo.programme import services as programme
    from palermo.programme.models import Action, Indicator, Result
    from palermo.programme.services.money import action_span

    if Indicator.objects.filter(measured_by=CONVICTED).exists():
        return 0
    chosen = (Action.objects.filter(is_external=False, objective_shares__objective__number=3,
                                    country_shares__isnull=False, planned_start__year__lte=2025)
              .distinct().order_by("iati_identifier")[:actions])
    for action in chosen:
        result = programme.save_result(
            acting_user=actor, action=action, result_type=Result.Type.OUTCOME,
            title_en="Perpetrators of trafficking convicted in the action's countries",
            title_fr="Auteurs de traite condamnés dans les pays de l'action")
        indicator = programme.save_indicator(
            acting_user=actor, result=result, title_en="Persons convicted of trafficking (court records)",
            title_fr="Personnes condamnées pour traite (dossiers judiciaires)", measure=Indicator.Measure.UNIT,
            disaggregated_by_sex=True, disaggregated_by_age=True, measured_by=CONVICTED)
        begins, ends = action_span(action)  # a period lies within the action's dates
        begins, ends = max(begins or date(2015, 1, 1), date(2015, 1, 1)), min(ends or date(2025, 12, 31),
                                                                             date(2025, 12, 31))
        for year in range(begins.year, ends.year + 1):
            programme.save_period(acting_user=actor, indicator=indicator, period_start=max(date(year, 1, 1), begins),
                                  period_end=min(date(year, 12, 31), ends))
    return len(chosen)


def _defendant(actor: Actor, rng: random.Random, country: str, organisation: Organisation, year: int, number: int,
               pool: list[int], today: date) -> tuple[int, int]:
    company = rng.random() < 0.05
    sex = "unknown" if company else rng.choices(["male", "female", "unknown"], [70, 25, 5])[0]
    victims = list(Case.objects.filter(pk__in=rng.sample(pool, min(len(pool), rng.randint(1, 3)))))
    perpetrators = [p for case in victims for p in case.perpetrators.all()[:1]]
    defendant = services.record_defendant(
        acting_user=actor, country=country, organisation=organisation,
        person=services.Person(reference=f"{PREFIX}{country}-{year}-{number:03d}", is_legal_person=company, sex=sex,
                               birth_year=None if company else year - rng.randint(19, 60),
                               citizenship="" if company else rng.choice((country, country, *CITIZENSHIPS)),
                               perpetrators=perpetrators))
    made = decided = 0
    for index in range(1 if rng.random() < 0.85 else 2):
        opened = _day(rng, year - 1 if rng.random() < 0.4 else year)
        prosecuted = min(opened + timedelta(days=rng.randint(30, 300)), today)
        if prosecuted.year != year:
            prosecuted = _day(rng, year)
            opened = min(opened, prosecuted)
        related_only = rng.random() < 0.1
        charges = [services.ChargeSpec("smuggling" if related_only else rng.choice(["thb", "thb", "child_thb"]))]
        charges += [services.ChargeSpec(offence) for offence in rng.sample(
            ["organised_crime", "money_laundering", "documents", "prostitution"], rng.randint(0, 2))]
        charged = rng.random() < 0.9
        proceeding = services.open_proceeding(
            acting_user=actor, defendant=defendant,
            spec=services.ProceedingSpec(investigation_opened=opened, prosecuted_on=prosecuted if charged else None,
                                         file_number=f"{PREFIX}{country}/{year}/{number:03d}-{index + 1}",
                                         authority="Prosecution office (demo)", charges=charges))
        made += 1
        for case in victims:
            ordered = Decimal(rng.choice([0, 0, 2000, 5000, 10000, 25000]))
            services.set_victim(acting_user=actor, proceeding=proceeding, case=case,
                                part=services.Part(testified=rng.random() < 0.7,
                                                   protected_witness=rng.random() < 0.25,
                                                   compensation_ordered=ordered,
                                                   compensation_paid=(ordered * Decimal(rng.choice([0, 0, 1, 2, 4]))
                                                                      / 4).quantize(Decimal("0.01"))))
        if not charged:
            continue
        decided += _decisions(actor, rng, proceeding, prosecuted, related_only, today)
    return made, decided


def _decisions(actor: Actor, rng: random.Random, proceeding: Proceeding, prosecuted: date, related_only: bool,
               today: date) -> int:
    first = prosecuted + timedelta(days=rng.randint(120, 900))
    if first > today:
        return 0
    outcome = rng.choices(["convicted", "acquitted", "dismissed"], [72, 18, 10])[0]
    convicted = outcome == "convicted"
    months = rng.choice([30, 36, 48, 60, 84, 96, 120, 144]) if convicted else None
    suspended = bool(convicted and months and months <= 36 and rng.random() < 0.3)
    services.record_decision(acting_user=actor, proceeding=proceeding,
                             verdict=services.Verdict(
                                 instance="first_instance", decided_on=first, outcome=outcome,
                                 convicted_of_thb=convicted and not related_only, sentence_months=months,
                                 suspended=suspended, court="First-instance court (demo)",
                                 confiscation_ordered=Decimal(rng.choice([0, 0, 5000, 20000])) if convicted
                                 else Decimal(0)))
    appeal = first + timedelta(days=rng.randint(150, 500))
    if rng.random() > 0.4 or appeal > today or outcome == "dismissed":
        return 1
    upheld = rng.random() < 0.8
    appeal_outcome = outcome if upheld else ("acquitted" if convicted else "convicted")
    appeal_convicts = appeal_outcome == "convicted"
    appeal_months = (months if upheld else rng.choice([36, 48, 60])) if appeal_convicts else None
    services.record_decision(acting_user=actor, proceeding=proceeding,
                             verdict=services.Verdict(
                                 instance="appeal", decided_on=appeal, outcome=appeal_outcome,
                                 convicted_of_thb=appeal_convicts and not related_only,
                                 sentence_months=appeal_months, suspended=suspended and appeal_convicts and upheld,
                                 court="Court of appeal (demo)"))
    return 2
