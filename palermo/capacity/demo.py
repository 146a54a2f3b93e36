"""Demo trainings (runs after ``palermo.programme.demo``, before the steering review's demo): in each programme
country, two to four trainings a year from 2021 to 2025, each funded by one of the programme's own actions running
in that country then (preferring objective 3), organised by the country's demo national coordinator, with 8 to 28
participants of mixed professions and sexes. About two trainings in three have pre- and post-test scores (a few
with fewer than five pairs, so the gain is withheld), most have reaction survey answers, and those that ended more
than six months before the demo's "today" have follow-ups. The "people trained" indicator of the funding actions
then takes its period actuals from the trainings (``capacity.people_trained``).

Deterministic (seeded), idempotent (nothing is added once demo trainings exist). Every name is invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.capacity import services
from palermo.capacity.choices import Mode, PracticeChange, Profession, Sex, Status
from palermo.capacity.models import FollowUp, Participant, SurveyResponse, Training
from palermo.programme.models import Action, ActivityStatus, Indicator
from palermo.programme.services.results import refresh_measured_periods
from palermo.reference.models import Country

AS_OF = date(2025, 12, 31)  # the programme demo's "today"
YEARS = range(2021, 2026)
DEMO = "(demo)"
TOPICS = [
    ("Identifying victims of trafficking for labour exploitation",
     "Identifier les victimes de traite aux fins d'exploitation par le travail",
     (Profession.LABOUR_INSPECTOR, Profession.POLICE, Profession.SOCIAL_WORKER, Profession.NGO_STAFF)),
    ("Financial investigations and confiscation in trafficking cases",
     "Enquêtes financières et confiscation dans les affaires de traite",
     (Profession.PROSECUTOR, Profession.POLICE, Profession.JUDGE)),
    ("Victim-centred prosecution and trial",
     "Poursuites et procès centrés sur la victime", (Profession.PROSECUTOR, Profession.JUDGE)),
    ("Identification at the border and in migration procedures",
     "Identification à la frontière et dans les procédures migratoires",
     (Profession.BORDER_POLICE, Profession.CONSULAR_STAFF, Profession.POLICE)),
    ("Child victims: identification and referral in schools and health services",
     "Enfants victimes : identification et orientation à l'école et dans les services de santé",
     (Profession.TEACHER, Profession.HEALTH_STAFF, Profession.SOCIAL_WORKER)),
    ("The national referral mechanism in practice",
     "Le mécanisme national d'orientation en pratique",
     (Profession.SOCIAL_WORKER, Profession.NGO_STAFF, Profession.POLICE, Profession.HEALTH_STAFF)),
]
GIVEN = {Sex.FEMALE: ["Ana", "Elena", "Marija", "Ivana", "Jelena", "Mirela", "Elira", "Teodora", "Sanja", "Dragana",
                      "Ioana", "Besa", "Katerina", "Nina", "Milica"],
         Sex.MALE: ["Ion", "Marko", "Nikola", "Petar", "Arben", "Dragan", "Stefan", "Milan", "Andrei", "Luka",
                    "Goran", "Ilir", "Bogdan", "Vasil", "Emir"]}
FAMILY = ["Popescu", "Ionescu", "Jovanović", "Petrović", "Hoxha", "Krasniqi", "Dimitrov", "Georgiev", "Kovačević",
          "Horvat", "Marić", "Nikolić", "Stojanovski", "Babić", "Papadopoulos", "Radu", "Shehu", "Ilić", "Tanev",
          "Berisha"]
PLACES = {"AL": "Tirana", "BA": "Sarajevo", "BG": "Sofia", "GR": "Thessaloniki", "HR": "Zagreb", "ME": "Podgorica",
          "MK": "Skopje", "RO": "Bucharest", "RS": "Belgrade", "SI": "Ljubljana", "XK": "Pristina", "MD": "Chișinău"}


def _funding_action(country: str, year: int) -> Action | None:
    running = (Action.objects.filter(is_external=False, country_shares__country_id=country,
                                     status__in=[ActivityStatus.IMPLEMENTATION, ActivityStatus.FINALISATION,
                                                 ActivityStatus.CLOSED], actual_start__lte=date(year, 10, 1))
               .exclude(actual_end__lt=date(year, 3, 1)).distinct().order_by("iati_identifier"))
    third = running.filter(objective_shares__objective__number=3).first()
    return third or running.first()


def load(log: list[str]) -> None:
    if Training.objects.filter(title_en__endswith=DEMO).exists():
        log.append(f"trainings: {Training.objects.count()} (already loaded)")
        return
    rng = random.Random(20240515)
    actor = SYSTEM.running("demo")
    coordinators = {u.username: u for u in User.objects.filter(username__startswith="coordinator-")}
    countries = list(Country.objects.programme().order_by("code"))
    actions_used: set[int] = set()
    trainings = 0
    for country in countries:
        for year in YEARS:
            action = _funding_action(country.code, year)
            if action is None:
                continue
            for number in range(rng.randint(2, 4)):
                start = date(year, rng.randint(2, 11), rng.randint(1, 25))
                end = start + timedelta(days=rng.randint(0, 3))
                title_en, title_fr, professions = TOPICS[rng.randrange(len(TOPICS))]
                held = end <= AS_OF and not (year == 2025 and number == 0 and start.month > 9)
                online = rng.random() < 0.2
                organiser = coordinators.get(f"coordinator-{country.code.lower()}")
                training = services.create_training(acting_user=actor, data=services.TrainingData(
                    title_en=f"{title_en} {DEMO}", title_fr=f"{title_fr} (démo)", country=country, action=action,
                    start_date=start, end_date=end, status=Status.HELD if held else Status.PLANNED,
                    mode=Mode.ONLINE if online else Mode.IN_PERSON,
                    place="" if online else PLACES.get(country.code, country.name_en),
                    hours=6 * (end - start).days + 6, trainers="Demo trainer (programme expert pool)",
                    curriculum="Indicators; legal framework; interviewing; cooperation (demo)",
                    organisers=(organiser,) if organiser else ()))
                trainings += 1
                actions_used.add(action.pk)
                if held:
                    _participants(rng, training, professions)
    _measure(actor, actions_used)
    log.append(f"trainings: {trainings}, participants: {Participant.objects.count()}, survey answers: "
               f"{SurveyResponse.objects.count()}, follow-ups: {FollowUp.objects.count()}; the 'people trained' "
               f"indicator of {len(actions_used)} actions measured from them")


def _participants(rng: random.Random, training: Training, professions: tuple[str, ...]) -> None:
    size = rng.randint(8, 28)
    scored = rng.random() < 0.66
    few_pairs = scored and rng.random() < 0.12
    people = []
    for index in range(size):
        sex = Sex.FEMALE if rng.random() < 0.58 else Sex.MALE
        profession = professions[rng.randrange(len(professions))] if rng.random() < 0.85 else \
            rng.choice(list(Profession.values))
        attended = rng.random() < 0.93
        pre = post = None
        if scored and attended and (not few_pairs or index < 3):
            pre = Decimal(rng.randint(25, 70))
            post = min(Decimal(100), pre + Decimal(rng.randint(-5, 30)))
        people.append(Participant(
            training=training, given_name=rng.choice(GIVEN[sex]), family_name=rng.choice(FAMILY), sex=sex,
            profession=profession, organisation=f"{dict(Profession.choices)[profession]} {DEMO}".capitalize(),
            attended=attended, pre_score=pre, post_score=post))
    Participant.objects.bulk_create(people)
    SurveyResponse.objects.bulk_create([
        SurveyResponse(training=training, overall=rng.choice([3, 4, 4, 5, 5]), relevance=rng.choice([3, 4, 5, 5]),
                       trainers=rng.choice([3, 4, 4, 5]), organisation=rng.choice([2, 3, 4, 4, 5]))
        for _ in range(int(size * rng.uniform(0.4, 0.9)))])
    if training.end_date + timedelta(days=186) <= AS_OF:
        answers = [PracticeChange.YES, PracticeChange.YES, PracticeChange.PARTLY, PracticeChange.NO]
        FollowUp.objects.bulk_create([
            FollowUp(participant=p, date=training.end_date + timedelta(days=rng.randint(95, 180)),
                     practice_changed=rng.choice(answers)) for p in people if p.attended and rng.random() < 0.45])
    record(actor=SYSTEM.running("demo"), action=AuditEvent.Action.IMPORT, object_type="capacity.training",
           object_id=training.pk, country=training.country_id, detail={"rows": size, "created": size, "updated": 0})


def _measure(actor: object, action_ids: set[int]) -> None:
    """The demo actions' "people trained" indicator now counts the trainings (``capacity.people_trained``)."""
    indicators = Indicator.objects.filter(result__action_id__in=action_ids, title_en="People trained or reached",
                                          measure=Indicator.Measure.UNIT)
    for indicator in indicators:
        record(actor=SYSTEM.running("demo"), action=AuditEvent.Action.UPDATE, object_type="programme.indicator",
               object_id=indicator.pk, detail={"fields": ["measured_by"], "measured_by": "capacity.people_trained"})
    indicators.update(measured_by="capacity.people_trained")
    refresh_measured_periods(acting_user=SYSTEM.running("demo"), action_ids=sorted(action_ids))
