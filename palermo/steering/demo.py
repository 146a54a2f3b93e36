"""Demo steering committees: one closed meeting per year 2015-2025 with decisions and a frozen review,
and a draft meeting for 2026.

The frozen reviews hold HTML only: the PDF of a closed meeting is made from its frozen HTML on first
request (so it shows the data as frozen) and stored then; this keeps ``palermo demo`` fast.
Idempotent: a year that already has a meeting is left alone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from palermo.accounts.access import SYSTEM
from palermo.programme.models import Action, ActivityStatus
from palermo.steering import services
from palermo.steering.models import SteeringMeeting

DEMO = SYSTEM.running("demo")
FIRST_YEAR, LAST_CLOSED_YEAR, DRAFT_YEAR = 2015, 2025, 2026
PLACES = (
    "Paris",
    "Vienna",
    "Belgrade",
    "Tirana",
    "Skopje",
    "Chișinău",
    "Sarajevo",
    "Bucharest",
    "Podgorica",
    "Athens",
    "Zagreb",
    "Sofia",
    "Pristina",
)
# The committee of a French programme, recorded in French (the participants and owners are one text each).
PARTICIPANTS = (
    "MEAE - Direction de la coopération de sécurité et de défense",
    "Conseiller régional pour la lutte contre la traite (Vienne)",
    "Représentation permanente de la France auprès de l'OSCE",
    "Ambassades de France dans les pays du programme",
    "Office des Nations unies contre la drogue et le crime (ONUDC)",
    "Organisation internationale pour les migrations (OIM)",
    "Organisation pour la sécurité et la coopération en Europe (OSCE)",
    "Conseil de l'Europe",
)
DECISIONS = (
    (
        "Merge the two overlapping actions into one joint action in {year}.",
        "Fusionner les deux actions redondantes en une action conjointe en {year}.",
        "Conseiller régional",
    ),
    (
        "Launch the pipeline actions proposed for {year} once the budget is confirmed.",
        "Lancer les actions proposées pour {year} dès confirmation du budget.",
        "MEAE",
    ),
    (
        "Commission an action for minors where the review found no coverage.",
        "Commander une action en faveur des mineurs là où la revue n'a trouvé aucune couverture.",
        "Ambassades",
    ),
    (
        "Ask the implementing partners for the missing indicator values before the next committee.",
        "Demander aux partenaires de mise en œuvre les valeurs d'indicateurs manquantes avant le prochain comité.",
        "Conseiller régional",
    ),
)


def load(log: list[str]) -> None:
    rng = random.Random(20150301)
    closed = 0
    for year in range(FIRST_YEAR, DRAFT_YEAR + 1):
        place = PLACES[(year - FIRST_YEAR) % len(PLACES)]
        meeting_date = date(year + 1, 2, 1) + timedelta(days=rng.randint(0, 40))
        if SteeringMeeting.objects.filter(year=year).exists():
            continue
        meeting = services.create_meeting(
            acting_user=DEMO, year=year, date=meeting_date, place=place, participants="\n".join(PARTICIPANTS)
        )
        candidates = list(
            Action.objects.filter(is_external=False, status=ActivityStatus.PIPELINE).order_by("iati_identifier")[:20]
        ) or list(Action.objects.filter(is_external=False).order_by("iati_identifier")[:20])
        for text_en, text_fr, owner in rng.sample(DECISIONS, 2):
            chosen = rng.sample(candidates, min(2, len(candidates)))
            services.add_decision(
                acting_user=DEMO,
                meeting=meeting,
                text_en=text_en.format(year=year + 1),
                text_fr=text_fr.format(year=year + 1),
                owner=owner,
                due_date=date(year + 1, 12, 31),
                actions=chosen,
            )
        if year <= LAST_CLOSED_YEAR:
            services.close_meeting(acting_user=DEMO, meeting=meeting, with_pdf=False)
            closed += 1
    log.append(f"steering: {SteeringMeeting.objects.count()} meetings ({closed} closed now, reviews frozen as HTML)")
