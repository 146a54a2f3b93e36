"""Demo campaigns (runs after the programme, the cases and the referral directory): twelve campaigns across the
countries and the years 2021-2026, each funded by a demo action with a share in its countries, aimed at the
first-ranked risk profile of its country for the recent ones, so the second to fifth profiles stay deliberately
uncovered (the gap list is not empty); materials in the countries' languages (Serbian in both scripts, Romani),
reach periods, and an indicator of each funding action measured from them. Help lines are directory entries of
the referral app, marked demo, with no number invented. Deterministic (seeded), idempotent (skipped when a
campaign exists)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from palermo.accounts.access import SYSTEM, SystemActor
from palermo.awareness import planning, reach, services
from palermo.awareness.choices import ReviewStatus
from palermo.awareness.models import Campaign
from palermo.awareness.prefill import LANGUAGES_OF_COUNTRY
from palermo.partners.models import Organisation
from palermo.programme import services as programme
from palermo.programme.models import Action, Indicator, Result
from palermo.referral import services as referral
from palermo.referral.models import Service

SEED = 13
# (country, start, months, populations, channels, risks)
SPECS = [
    ("RO", date(2021, 3, 1), 9, ["job_seekers", "women_precarious"], ["social_media", "job_fairs"], ["job_offers"]),
    ("ME", date(2022, 2, 1), 10, ["children", "parents_teachers"], ["schools", "social_media"], ["online_grooming"]),
    ("AL", date(2022, 9, 1), 8, ["women_precarious"], ["broadcast", "street"], ["lover_boy"]),
    ("BG", date(2023, 4, 1), 9, ["minorities"], ["street", "broadcast"], ["forced_begging", "labour_abroad"]),
    ("MD", date(2023, 6, 1), 12, ["job_seekers"], ["job_fairs", "social_media", "hotline"], ["job_offers"]),
    ("RO", date(2024, 2, 1), 12, ["children", "students"], ["schools", "social_media"],
     ["lover_boy", "online_grooming"]),
    ("RS", date(2024, 5, 1), 14, ["migrants"], ["border", "street"], ["migration_route"]),
    ("BA", date(2024, 9, 1), 10, ["students", "children"], ["schools"], ["online_grooming"]),
    ("MK", date(2025, 1, 15), 10, ["minorities", "women_precarious"], ["street", "broadcast"], ["forced_marriage"]),
    ("GR", date(2025, 3, 1), 9, ["migrants"], ["border", "hotline"], ["migration_route", "labour_abroad"]),
    ("HR", date(2025, 6, 1), 12, ["job_seekers", "students"], ["social_media", "job_fairs"], ["labour_abroad"]),
    ("XK", date(2026, 2, 1), 10, ["children", "parents_teachers"], ["schools", "social_media"], ["online_grooming"]),
]
# A key message in each language (demo wording, written for the demo; not a published campaign's text).
MESSAGES = {
    "ro": "Un loc de muncă în străinătate prea bun ca să fie adevărat? Verifică oferta înainte de plecare.",
    "sr-Latn": "Posao u inostranstvu koji zvuči predobro? Proveri ponudu pre polaska.",
    "sr-Cyrl": "Посао у иностранству који звучи предобро? Провери понуду пре поласка.",
    "sq": "Një punë jashtë vendit që duket shumë e mirë? Kontrolloje ofertën para se të nisesh.",
    "bg": "Работа в чужбина, която звучи твърде добре? Проверете предложението, преди да тръгнете.",
    "el": "Δουλειά στο εξωτερικό που ακούγεται πολύ καλή για να είναι αληθινή; Έλεγξε την προσφορά πριν φύγεις.",
    "hr": "Posao u inozemstvu koji zvuči predobro? Provjeri ponudu prije odlaska.",
    "bs": "Posao u inostranstvu koji zvuči predobro? Provjeri ponudu prije odlaska.",
    "cnr": "Posao u inostranstvu koji zvuči predobro? Provjeri ponudu prije odlaska.",
    "mk": "Работа во странство што звучи премногу добро? Проверете ја понудата пред да заминете.",
    "en": "A job abroad that sounds too good to be true? Check the offer before you leave.",
    "fr": "Une offre d'emploi à l'étranger trop belle pour être vraie ? Vérifiez-la avant de partir.",
    "rom": "(DEMO) Romani version to be written by the partner's Romani-speaking staff.",
}
HELPLINE_CONTACT = ("DEMO entry: the national help line of this country is to be entered and verified by the "
                    "national coordinator (no number is invented).")


def load(log: list[str]) -> None:
    if Campaign.objects.exists():
        log.append(f"awareness: {Campaign.objects.count()} campaigns already there")
        return
    actor = SYSTEM.running("demo")
    rng = random.Random(SEED)
    today = timezone.localdate()
    latest = planning.latest_year(None, today)
    picture = planning.picture(None, year=latest)
    materials = periods = 0
    funded: set[int] = set()
    for number, (country, start, months, populations, channels, risks) in enumerate(SPECS, start=1):
        action = _funding_action(country, start)
        if action is None:
            continue
        end = start + timedelta(days=30 * months)
        if action.end is not None and action.end < end:
            end = max(action.end, start + timedelta(days=60))
        targets: dict[str, list[str]] = {}
        first = next(iter(picture.ranking.get(country, [])), None)
        if first is not None and end.year >= latest - 1:  # recent campaigns aim at the first-ranked profile only
            targets = {dimension: [value] for dimension, value in first.profile.values if value != "unknown"}
        languages = [*LANGUAGES_OF_COUNTRY.get(country, ["en"])[:2], "en"]
        if "minorities" in populations or country in ("RS", "BG", "MK"):
            languages.append("rom")
        if country == "RS" and "sr-Cyrl" not in languages:
            languages.insert(1, "sr-Cyrl")
        campaign = services.create_campaign(acting_user=actor, data=services.CampaignData(
            title=f"DEMO campaign {number} ({country} {start.year})",
            objective="DEMO: warn the people most at risk in this country and measure what the campaign reaches.",
            action=action, countries=[country], populations=populations, languages=list(dict.fromkeys(languages)),
            channels=channels, risks=risks, start=start, end=end, regions="(demo)",
            partners=list(Organisation.objects.filter(short_name=f"NGO-{country}")),
            contact_points=[_helpline(actor, country, rng)], targets=targets))
        materials += _materials(actor, campaign, rng)
        if action.pk not in funded:
            _measured_indicator(actor, action)
            funded.add(action.pk)
        periods += _reach(actor, campaign, rng, today)
    log.append(f"awareness: {Campaign.objects.count()} demo campaigns, {materials} materials, {periods} reach "
               f"periods; {len(picture.gaps)} high-risk profiles left uncovered at first")


def _funding_action(country: str, start: date) -> Action | None:
    own = Action.objects.filter(is_external=False, country_shares__country_id=country).distinct()
    running = own.filter(Q(planned_start__lte=start) | Q(planned_start__isnull=True),
                         Q(planned_end__gte=start) | Q(planned_end__isnull=True))
    return (running.filter(objective_shares__objective__number=2).order_by("iati_identifier").first()
            or running.order_by("iati_identifier").first() or own.order_by("iati_identifier").first())


def _helpline(actor: SystemActor, country: str, rng: random.Random) -> Service:
    found = Service.objects.filter(country_id=country, service_types__icontains='"helpline"').first()
    if found is not None:
        return found
    organisation = Organisation.objects.filter(short_name=f"NGO-{country}").first() or Organisation.objects.filter(
        country_id=country).order_by("pk").first() or Organisation.objects.order_by("pk").first()
    assert organisation is not None
    return referral.add_service(acting_user=actor, organisation=organisation, country=country,
                                service_types=["helpline", "contact_point"], area="national (demo)",
                                languages="(demo)", contact=HELPLINE_CONTACT,
                                last_verified=timezone.localdate() - timedelta(days=rng.choice([20, 90, 400])))


def _materials(actor: SystemActor, campaign: Campaign, rng: random.Random) -> int:
    made = 0
    for language in campaign.languages:
        version = services.add_material(
            acting_user=actor, campaign=campaign, title=f"Key message ({language})", kind="message",
            language=language, risk_addressed=campaign.risks[0], text=f"{MESSAGES.get(language, MESSAGES['en'])}")
        services.review_version(acting_user=actor, version=version, status=ReviewStatus.IN_REVIEW)
        if rng.random() < 0.7:
            services.review_version(acting_user=actor, version=version, status=ReviewStatus.APPROVED)
            if rng.random() < 0.3:
                services.add_version(acting_user=actor, material=version.material,
                                     text=version.text + " (DEMO: second version)", note="shorter wording")
        made += 1
    return made


def _measured_indicator(actor: SystemActor, action: Action) -> None:
    result = programme.save_result(acting_user=actor, action=action, result_type=Result.Type.OUTPUT,
                                   title_en="People warned by awareness campaigns",
                                   title_fr="Personnes averties par les campagnes de sensibilisation")
    indicator = programme.save_indicator(
        acting_user=actor, result=result, title_en="People reached by the campaigns",
        title_fr="Personnes touchées par les campagnes", measure=Indicator.Measure.UNIT,
        disaggregated_by_sex=True, disaggregated_by_age=True, measured_by=reach.FEED_KEY)
    years = {c.start.year for c in action.campaigns.all()} | {c.end.year for c in action.campaigns.all()}
    for year in sorted(years):
        first, last = date(year, 1, 1), date(year, 12, 31)
        if action.start is not None:
            first = max(first, action.start)
        if action.end is not None:
            last = min(last, action.end)
        if first <= last:
            programme.save_period(acting_user=actor, indicator=indicator, period_start=first, period_end=last,
                                  target=Decimal(20000))


def _reach(actor: SystemActor, campaign: Campaign, rng: random.Random, today: date) -> int:
    made = 0
    start = campaign.start
    while start < min(campaign.end, today):
        end = min(start + timedelta(days=120), campaign.end)
        counts = [(channel, sex, band, rng.randint(50, 3000) if band != "40+" else rng.randint(0, 300))
                  for channel in campaign.channels for sex in ("female", "male") for band in
                  ("0-17", "18-24", "25-39", "40+")]
        counts.append((campaign.channels[0], "other", "18-24", rng.randint(0, 20)))
        before = rng.randint(20, 90)
        answers = rng.choice([0, 25, 150, 300])
        services.record_reach(acting_user=actor, campaign=campaign, data=services.ReachData(
            start=start, end=end, counts=counts, target=rng.choice([10000, 20000, 30000]),
            hotline_before=before, hotline_during=before + rng.randint(-5, 40),
            hotline_after=before + rng.randint(-5, 20),
            survey_before_answers=answers or None, survey_before_right=int(answers * 0.42) if answers else None,
            survey_after_answers=answers or None, survey_after_right=int(answers * 0.61) if answers else None,
            referrals=rng.randint(0, 6), note="DEMO figures"))
        made += 1
        start = end + timedelta(days=1)
    return made
