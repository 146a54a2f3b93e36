"""Demo portfolio: about 150 actions 2014-2026 across the 11 countries, with money, results and GRETA links.

Deterministic (seeded) and idempotent (actions keyed by IATI identifier, their details rebuilt).
Everything here is invented for demonstration; GRETA texts are marked "[DEMO - not GRETA text]".

Planted on purpose, so the complementarity pages have something to show:
- overlaps: three pairs of actions that do the same thing at the same time in the same place
  (``-OVL1a/b`` child-friendly interviews in Romania, ``-OVL2a/b`` warning job seekers abroad in
  Albania, ``-OVL3a/b`` training labour inspectors in Serbia);
- gaps: no action at all for Kosovo under objective 1 and Montenegro under objective 4; no action
  aimed at minors in Greece; the "urges" recommendations of Bosnia and Herzegovina are answered by
  no action.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from palermo.accounts.access import SYSTEM
from palermo.partners.models import Organisation
from palermo.programme import complementarity as logic
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionParticipation,
    ActionSector,
    ActionTag,
    ActionTargetGroup,
    ActivityStatus,
    Budget,
    Channel,
    GretaRecommendation,
    Indicator,
    Period,
    PeriodDisaggregation,
    Programme,
    Result,
    TargetGroup,
    Transaction,
)
from palermo.programme.services.greta import import_recommendations
from palermo.reference.models import Country, ExploitationForm, Objective

PREFIX = f"{settings.PALERMO_IATI_REPORTING_ORG_REF}-THB-SEE"  # an identifier begins with the reporter's (rule 1.1.21)
AS_OF = date(2025, 12, 31)  # the demo's "today": actual dates and money never go past it
GRETA_CSV = Path(__file__).resolve().parent / "data" / "greta_demo.csv"
NO_ACTION = {("XK", 1), ("ME", 4)}  # planted gaps
NO_MINORS = {"GR"}

CHILD = "child-friendly interview rooms and training of police investigators to hear child victims of trafficking"
JOB = "warning young job seekers about deceptive job offers abroad through social media and employment offices"
LABOUR = "training labour inspectors to detect trafficking for labour exploitation in construction and agriculture"

TOPICS = {
    1: ["a national study of trafficking flows", "a baseline survey of labour exploitation in agriculture",
        "data collection on identified victims", "mapping of recruitment agencies and online advertisements",
        "research on forced criminality and begging networks", "an assessment of the referral mechanism"],
    2: ["an awareness campaign in schools", "outreach to Roma communities", "a radio and social media campaign",
        "a helpline for people at risk", "pre-departure information for seasonal workers",
        "prevention work in reception centres for migrants"],
    3: ["training of prosecutors and judges", "specialised shelters for victims", "joint investigation teams",
        "psychosocial support and reintegration", "financial investigations into trafficking proceeds",
        "legal aid and compensation claims for victims"],
    4: ["a regional network of national coordinators", "twinning between labour inspectorates",
        "cross-border case conferences", "exchange visits between police liaison officers",
        "a memorandum on transnational referral", "peer reviews of national action plans"],
}
TOPICS_FR = {
    "a national study of trafficking flows": "une étude nationale des flux de traite",
    "a baseline survey of labour exploitation in agriculture":
        "une enquête de référence sur l'exploitation par le travail dans l'agriculture",
    "data collection on identified victims": "la collecte de données sur les victimes identifiées",
    "mapping of recruitment agencies and online advertisements":
        "la cartographie des agences de recrutement et des annonces en ligne",
    "research on forced criminality and begging networks":
        "une recherche sur la criminalité forcée et les réseaux de mendicité",
    "an assessment of the referral mechanism": "une évaluation du mécanisme d'orientation",
    "an awareness campaign in schools": "une campagne de sensibilisation dans les écoles",
    "outreach to Roma communities": "un travail de proximité auprès des communautés roms",
    "a radio and social media campaign": "une campagne à la radio et sur les réseaux sociaux",
    "a helpline for people at risk": "une ligne d'écoute pour les personnes à risque",
    "pre-departure information for seasonal workers": "l'information avant le départ des travailleurs saisonniers",
    "prevention work in reception centres for migrants": "la prévention dans les centres d'accueil de migrants",
    "training of prosecutors and judges": "la formation des procureurs et des juges",
    "specialised shelters for victims": "des foyers spécialisés pour les victimes",
    "joint investigation teams": "des équipes communes d'enquête",
    "psychosocial support and reintegration": "le soutien psychosocial et la réinsertion",
    "financial investigations into trafficking proceeds": "les enquêtes financières sur les produits de la traite",
    "legal aid and compensation claims for victims": "l'aide juridique et l'indemnisation des victimes",
    "a regional network of national coordinators": "un réseau régional des coordinateurs nationaux",
    "twinning between labour inspectorates": "un jumelage entre inspections du travail",
    "cross-border case conferences": "des réunions transfrontalières de suivi de cas",
    "exchange visits between police liaison officers": "des visites d'échange entre officiers de liaison de police",
    "a memorandum on transnational referral": "un protocole d'orientation transnationale",
    "peer reviews of national action plans": "des revues par les pairs des plans d'action nationaux",
    CHILD: "des salles d'audition adaptées aux enfants et la formation des enquêteurs de police à l'audition "
           "des enfants victimes de traite",
    JOB: "l'alerte des jeunes chercheurs d'emploi sur les fausses offres d'emploi à l'étranger, par les réseaux "
         "sociaux et les agences pour l'emploi",
    LABOUR: "la formation des inspecteurs du travail au repérage de la traite aux fins d'exploitation par le "
            "travail dans le bâtiment et l'agriculture",
}
TOPIC_PREFIXES_FR = {
    "setting up ": "la mise en place ", "campaign ": "campagne\u00a0: ", "regional ": "volet régional\u00a0: ",
}


def french_topic(topic: str) -> str:
    """The French wording of a demo topic (with its planted prefix or phase suffix)."""
    suffix = ""
    if topic.endswith(")") and " (phase " in topic:
        topic, number = topic.rsplit(" (phase ", 1)
        suffix = f" (phase {number}"
    for prefix, french in TOPIC_PREFIXES_FR.items():
        if topic.startswith(prefix) and topic not in TOPICS_FR:
            rest = TOPICS_FR[topic[len(prefix):]]
            return french + (_of(rest) if french.endswith("place ") else rest) + suffix
    return TOPICS_FR[topic] + suffix


def _of(text: str) -> str:
    """"de" before a French noun phrase, contracted: "de salles", "du travail", "de la formation"."""
    for article, contracted in (("des ", "de "), ("les ", "des "), ("le ", "du ")):
        if text.startswith(article):
            return contracted + text[len(article):]
    return "de " + text


def _to(text: str) -> str:
    """"à" before a French noun phrase, contracted: "aux enquêtes", "au travail", "à la formation"."""
    for article, contracted in (("les ", "aux "), ("le ", "au ")):
        if text.startswith(article):
            return contracted + text[len(article):]
    return "à " + text


def _capitalised(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


# The French representation that steers the multilateral and regional actions each organisation implements
# (programme text: the Permanent Representation to the UN in Vienna for UNODC and the Vienna organisations, the
# Permanent Representation to the OSCE for the OSCE and ODIHR). The Council of Europe sits in Strasbourg, under
# neither: its actions are steered by the MEAE itself (no representation named).
STEERED_BY = {"UNODC": "RP Vienne ONU", "IOM": "RP Vienne ONU", "ICMPD": "RP Vienne ONU", "OSCE": "RP OSCE",
              "ODIHR": "RP OSCE"}
MIGRATION_TOPICS = {"prevention work in reception centres for migrants",
                    "pre-departure information for seasonal workers",
                    "mapping of recruitment agencies and online advertisements"}
# French institutions taking part in the actions whose topic is theirs: the OCRTEH in police cooperation, the
# MIPROF (France's national coordinator) beside the other countries' coordinators.
FRENCH_COUNTERPARTS = {
    "OCRTEH": ("joint investigation teams", "exchange visits between police liaison officers",
               "financial investigations into trafficking proceeds", "cross-border case conferences"),
    "MIPROF": ("a regional network of national coordinators", "peer reviews of national action plans",
               "a memorandum on transnational referral"),
}
SECTORS = {1: "15160", 2: "15180", 3: "15130", 4: "15190"}
SDG = {1: "16.2", 2: "5.2", 3: "16.2", 4: "8.7"}
IMPLEMENTERS = ("UNODC", "IOM", "OSCE", "CoE", "ICMPD")


def load(log: list[str]) -> None:
    rng = random.Random(20140601)
    orgs = {o.short_name: o for o in Organisation.objects.exclude(short_name="")}
    meae = orgs["MEAE"]
    programme, _ = Programme.objects.update_or_create(
        iati_identifier=PREFIX,
        defaults={
            "title_en": "French regional programme against trafficking in human beings in South-East Europe",
            "title_fr": "Programme régional français de lutte contre la traite des êtres humains en Europe du Sud-Est",
            "description_en": "Understand, warn, protect and prosecute, cooperate (demo).",
            "description_fr": "Comprendre, prévenir, protéger et poursuivre, coopérer (démo).",
            "reporting_organisation": meae, "start_date": date(2014, 6, 1),
        },
    )
    import_recommendations(acting_user=SYSTEM.running("palermo demo"), text=GRETA_CSV.read_text(encoding="utf-8"),
                           source="demo")
    countries = list(Country.objects.programme().order_by("code").values_list("code", flat=True))
    objectives = {o.number: o for o in Objective.objects.all()}
    forms = list(ExploitationForm.objects.order_by("code").values_list("code", flat=True))
    recommendations: dict[str, list[GretaRecommendation]] = {}
    for recommendation in GretaRecommendation.objects.order_by("pk"):
        recommendations.setdefault(recommendation.country_id, []).append(recommendation)
    specs = _without_accidental_overlaps([_random_spec(rng, i, countries) for i in range(1, 145)])
    specs += _planted_overlaps()
    for spec in specs:
        _save(rng, spec, programme, orgs, objectives, forms, recommendations)
    log.append(f"programme: {Action.objects.filter(programme=programme).count()} actions, "
               f"{GretaRecommendation.objects.count()} GRETA recommendations")


def _random_spec(rng: random.Random, number: int, countries: list[str]) -> dict:  # type: ignore[type-arg]
    channel = rng.choices([Channel.BILATERAL, Channel.REGIONAL, Channel.MULTILATERAL], weights=[5, 2, 3])[0]
    start = date(2014 + (number - 1) * 13 // 145, rng.randint(1, 12), 1)
    length = rng.randint(12, 42)
    if channel == Channel.BILATERAL:
        chosen = [countries[number % len(countries)]]
    else:
        chosen = sorted(rng.sample(countries, rng.randint(2, 5)))
    objective_numbers = sorted(rng.sample([1, 2, 3, 4], rng.choice([1, 1, 2])))
    objective_numbers = [o for o in objective_numbers if not any((c, o) in NO_ACTION for c in chosen)] or [
        next(o for o in (3, 2, 1, 4) if not any((c, o) in NO_ACTION for c in chosen))
    ]
    groups = sorted(rng.sample([g.value for g in TargetGroup], rng.randint(1, 3)))
    if any(c in NO_MINORS for c in chosen):
        groups = [g for g in groups if g != TargetGroup.MINORS] or [TargetGroup.PROFESSIONALS.value]
    topic = rng.choice(TOPICS[objective_numbers[0]])
    return {
        "identifier": f"{PREFIX}-A{number:03d}", "channel": channel, "countries": chosen,
        "objectives": objective_numbers, "groups": groups, "start": start,
        "end": start + timedelta(days=30 * length), "topic": topic, "cancelled": number % 37 == 0,
    }


def _facts(number: int, spec: dict) -> logic.ActionFacts:  # type: ignore[type-arg]
    return logic.ActionFacts(
        id=number, identifier=spec["identifier"], title=spec["topic"], description=spec["topic"],
        channel=spec["channel"], status=_status(spec), start=spec["start"], end=spec["end"],
        countries={c: Decimal(1) for c in spec["countries"]}, objectives={o: Decimal(1) for o in spec["objectives"]},
        target_groups=frozenset(spec["groups"]), beneficiaries=frozenset({spec["countries"][0]}),  # type: ignore[arg-type]
    )


def _without_accidental_overlaps(specs: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """Rotate the topic of a random action until it duplicates no earlier one: only planted overlaps remain."""
    accepted: list[logic.ActionFacts] = []
    for number, spec in enumerate(specs):
        topics = TOPICS[spec["objectives"][0]]
        for turn in range(len(topics)):
            candidate = _facts(number, spec)
            if not any(o.second.id == number for o in logic.overlaps([*accepted, candidate])):
                break
            spec["topic"] = topics[(topics.index(spec["topic"]) + 1) % len(topics)] if turn < len(topics) - 1 \
                else f"{spec['topic']} (phase {number})"
        accepted.append(_facts(number, spec))
    return specs


def _planted_overlaps() -> list[dict]:  # type: ignore[type-arg]
    child, job, labour = CHILD, JOB, LABOUR
    return [
        {"identifier": f"{PREFIX}-OVL1a", "channel": Channel.BILATERAL, "countries": ["RO"], "objectives": [3],
         "groups": ["minors"], "start": date(2024, 3, 1), "end": date(2026, 6, 30), "topic": child},
        {"identifier": f"{PREFIX}-OVL1b", "channel": Channel.MULTILATERAL, "countries": ["MD", "RO"],
         "objectives": [3], "groups": ["minors", "victims"], "start": date(2025, 1, 1), "end": date(2027, 6, 30),
         "topic": "setting up " + child, "implementer": "IOM"},
        {"identifier": f"{PREFIX}-OVL2a", "channel": Channel.BILATERAL, "countries": ["AL"], "objectives": [2],
         "groups": ["job_seekers_abroad"], "start": date(2024, 9, 1), "end": date(2026, 8, 31), "topic": job},
        {"identifier": f"{PREFIX}-OVL2b", "channel": Channel.MULTILATERAL, "countries": ["AL", "MK"],
         "objectives": [2], "groups": ["job_seekers_abroad", "roma_minorities"], "start": date(2025, 2, 1),
         "end": date(2026, 12, 31), "topic": "campaign " + job, "implementer": "OSCE"},
        {"identifier": f"{PREFIX}-OVL3a", "channel": Channel.BILATERAL, "countries": ["RS"], "objectives": [3, 4],
         "groups": ["professionals"], "start": date(2023, 10, 1), "end": date(2026, 3, 31), "topic": labour},
        {"identifier": f"{PREFIX}-OVL3b", "channel": Channel.REGIONAL, "countries": ["BA", "RS"], "objectives": [3],
         "groups": ["professionals"], "start": date(2025, 4, 1), "end": date(2027, 3, 31),
         "topic": "regional " + labour, "implementer": "ICMPD"},
    ]


def trafficking_form(spec: dict) -> str:  # type: ignore[type-arg]
    """The form of trafficking a demo action addresses, from its target groups and topic (no random draw, so the
    rest of the demo stays as it was): migrants or a migration topic make it the migration route (both forms when
    it also serves people at risk of traditional trafficking); multi-country actions often address both."""
    groups = set(spec["groups"])
    topic = spec["topic"]
    migration = "migrants_asylum_seekers" in groups or any(t in topic for t in MIGRATION_TOPICS)
    traditional = bool(groups & {"minors", "roma_minorities", "women_precarious", "job_seekers_abroad"})
    if migration:
        return "both" if traditional else "migration_route"
    if spec["channel"] != Channel.BILATERAL and sum(map(ord, spec["identifier"])) % 3 == 0:
        return "both"
    return "traditional"


def _status(spec: dict) -> int:  # type: ignore[type-arg]
    if spec.get("cancelled"):
        return ActivityStatus.CANCELLED
    if spec["start"] > AS_OF:
        return ActivityStatus.PIPELINE
    if spec["end"] <= AS_OF - timedelta(days=180):
        return ActivityStatus.CLOSED
    if spec["end"] <= AS_OF:
        return ActivityStatus.FINALISATION
    return ActivityStatus.IMPLEMENTATION


def _save(rng: random.Random, spec: dict, programme: Programme, orgs: dict[str, Organisation],  # type: ignore[type-arg]
          objectives: dict[int, Objective], forms: list[str],
          recommendations: dict[str, list[GretaRecommendation]]) -> None:
    status = _status(spec)
    started = status not in (ActivityStatus.PIPELINE, ActivityStatus.CANCELLED)
    ended = status in (ActivityStatus.CLOSED, ActivityStatus.FINALISATION)
    place = ", ".join(spec["countries"])
    action, _ = Action.objects.update_or_create(
        iati_identifier=spec["identifier"],
        defaults={
            "programme": programme, "reporting_organisation": programme.reporting_organisation,
            "is_external": False, "title_en": f"{_capitalised(spec['topic'])} ({place})"[:300],
            "title_fr": f"{_capitalised(french_topic(spec['topic']))} ({place})"[:300],
            "description_en": f"Demo action: {spec['topic']} in {place}.",
            "description_fr": f"Action de démonstration\u00a0: {french_topic(spec['topic'])} ({place}).",
            "channel": spec["channel"], "trafficking_form": trafficking_form(spec), "status": status,
            "planned_start": spec["start"], "planned_end": spec["end"],
            "actual_start": spec["start"] if started else None, "actual_end": spec["end"] if ended else None,
        },
    )
    for related in (action.country_shares, action.objective_shares, action.target_groups, action.participations,
                    action.sectors, action.tags, action.budgets, action.transactions, action.results):
        related.all().delete()
    _shares(action, spec, objectives)
    ActionTargetGroup.objects.bulk_create(ActionTargetGroup(action=action, group=g) for g in spec["groups"])
    action.exploitation_forms.set(sorted(rng.sample(forms, 2)))  # type: ignore[arg-type]  # slug pks
    _participants(action, spec, orgs)
    for number in spec["objectives"][:1]:
        ActionSector.objects.create(action=action, code=SECTORS[number])
        ActionTag.objects.create(action=action, vocabulary="3", code=SDG[number])
    answerable = [r for c in spec["countries"] for r in recommendations.get(c, []) if c != "BA"]
    action.greta_recommendations.set(rng.sample(answerable, min(len(answerable), rng.randint(0, 2))))
    total = Decimal(rng.randrange(40, 1500)) * 1000
    _money(action, spec, total, started, orgs)
    _results(rng, action, spec)


def _shares(action: Action, spec: dict, objectives: dict[int, Objective]) -> None:  # type: ignore[type-arg]
    n = len(spec["countries"])
    each = (Decimal(100) / n).quantize(Decimal("0.01"))
    shares = [each] * (n - 1) + [Decimal(100) - each * (n - 1)]
    ActionCountry.objects.bulk_create(
        ActionCountry(action=action, country_id=c, percentage=s) for c, s in zip(spec["countries"], shares, strict=True)
    )
    split = {1: [Decimal(100)], 2: [Decimal(60), Decimal(40)]}[len(spec["objectives"])]
    ActionObjective.objects.bulk_create(
        ActionObjective(action=action, objective=objectives[o], percentage=s)
        for o, s in zip(spec["objectives"], split, strict=True)
    )


def _participants(action: Action, spec: dict, orgs: dict[str, Organisation]) -> None:  # type: ignore[type-arg]
    first = spec["countries"][0]
    roles: list[tuple[Organisation, int]] = [(orgs["MEAE"], 1), (orgs[f"NC-{first}"], 2)]
    if spec["channel"] == Channel.BILATERAL:
        roles += [(orgs[f"AMB-{first}"], 3), (orgs[f"NGO-{first}"], 4)]
        if "victims" in spec["groups"]:  # survivors' own associations take part in the actions aimed at victims
            roles.append((orgs[f"VA-{first}"], 4))
    else:
        implementer = implementer_of(spec)
        if implementer in STEERED_BY:
            roles.append((orgs[STEERED_BY[implementer]], 3))
        roles.append((orgs[implementer], 4))
        if implementer == "OSCE" and 3 in spec["objectives"]:  # protecting victims' rights: with ODIHR
            roles.append((orgs["ODIHR"], 4))
    roles += [(orgs[short], 4) for short, topics in FRENCH_COUNTERPARTS.items()
              if any(topic in spec["topic"] for topic in topics)]
    ActionParticipation.objects.bulk_create(
        ActionParticipation(action=action, organisation=o, role=r) for o, r in roles
    )
    if spec["identifier"].endswith(("OVL1a", "OVL1b")):
        action.beneficiary_organisations.set([orgs["NC-RO"]])
    else:
        action.beneficiary_organisations.set([orgs[f"NC-{first}"]])


def implementer_of(spec: dict) -> str:  # type: ignore[type-arg]
    """The short name of the international organisation implementing a regional or multilateral demo action."""
    return spec.get("implementer") or IMPLEMENTERS[int(spec["identifier"][-3:]) % len(IMPLEMENTERS)]


def _inside(day: date, spec: dict) -> date:  # type: ignore[type-arg]
    """``day`` moved inside the action's dates (the services refuse money dated outside them)."""
    return min(max(day, spec["start"]), spec["end"])


def _money(action: Action, spec: dict, total: Decimal, started: bool,  # type: ignore[type-arg]
           orgs: dict[str, Organisation]) -> None:
    years = list(range(spec["start"].year, spec["end"].year + 1))
    per_year = (total / len(years)).quantize(Decimal("0.01"))
    budgets = []
    for year in years:
        start = max(spec["start"], date(year, 1, 1))
        end = min(spec["end"], date(year, 12, 31))
        budgets.append(Budget(action=action, period_start=start, period_end=end, value=per_year,
                              status=Budget.Status.COMMITTED if started else Budget.Status.INDICATIVE))
    Budget.objects.bulk_create(budgets)
    if not started:
        return
    # France (the MEAE) provides; the implementer receives: the embassy's partner NGO, or the organisation.
    receiver = f"NGO-{spec['countries'][0]}" if spec["channel"] == Channel.BILATERAL else implementer_of(spec)
    parties = {"provider_organisation": orgs["MEAE"], "receiver_organisation": orgs[receiver]}
    entries = [Transaction(action=action, transaction_type=2, date=spec["start"], value=total,
                           description="Commitment (demo)", **parties)]
    for year in years:
        paid_on = _inside(date(year, 3, 15), spec)
        if paid_on > AS_OF:
            break
        entries.append(Transaction(action=action, transaction_type=3, date=paid_on, value=per_year,
                                   description=f"Disbursement {year} (demo)", **parties))
        spent_on = min(_inside(date(year, 12, 15), spec), AS_OF)
        entries.append(Transaction(action=action, transaction_type=4, date=spent_on,
                                   value=(per_year * Decimal("0.9")).quantize(Decimal("0.01")),
                                   description=f"Expenditure {year} (demo)", **parties))
    Transaction.objects.bulk_create(entries)


def _results(rng: random.Random, action: Action, spec: dict) -> None:  # type: ignore[type-arg]
    outcome = Result.objects.create(action=action, result_type=Result.Type.OUTCOME, order=1,
                                    title_en=f"Better response through {spec['topic'][:200]}",
                                    title_fr=f"Une meilleure réponse grâce {_to(french_topic(spec['topic']))}"[:300])
    output = Result.objects.create(action=action, result_type=Result.Type.OUTPUT, order=2,
                                   title_en="People trained or reached", title_fr="Personnes formées ou touchées")
    for result, title, title_fr, unit, by_sex in (
        (outcome, "Share of participants applying the new procedures",
         "Part des participants qui appliquent les nouvelles procédures", "%", False),
        (output, "People trained or reached", "Personnes formées ou touchées", "people", True),
    ):
        indicator = Indicator.objects.create(
            result=result, title_en=title, title_fr=title_fr, unit=unit, measure=2 if unit == "%" else 1,
            baseline_year=spec["start"].year, baseline_value=Decimal(0), disaggregated_by_sex=by_sex,
        )
        for year in range(spec["start"].year, spec["end"].year + 1):
            target = Decimal(rng.randint(20, 80) if unit == "%" else rng.randint(20, 300))
            done = date(year, 12, 31) <= AS_OF and action.actual_start is not None
            actual = (target * Decimal(rng.randint(50, 120)) / 100).quantize(Decimal(1)) if done else None
            period = Period.objects.create(indicator=indicator, period_start=max(spec["start"], date(year, 1, 1)),
                                           period_end=min(spec["end"], date(year, 12, 31)), target=target,
                                           actual=actual)
            if by_sex and actual is not None:
                women = (actual * Decimal("0.6")).quantize(Decimal(1))
                PeriodDisaggregation.objects.bulk_create([
                    PeriodDisaggregation(period=period, dimension="sex", value="female", actual=women),
                    PeriodDisaggregation(period=period, dimension="sex", value="male", actual=actual - women),
                ])
