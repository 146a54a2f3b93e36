"""Demo screenings: in every programme country, three screenings by the demo NGO's case worker a few hours before
the demo is loaded — an adult labour case and a child sexual exploitation case that open case records (the
referral demo refers them), and an adult screening that does not point to trafficking. Runs after
``palermo.cases.demo``; deterministic (fixed ticks), idempotent (a country already screened is skipped)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from palermo.accounts.access import SYSTEM
from palermo.partners.models import Organisation
from palermo.reference.models import Country
from palermo.screening import lists, services
from palermo.screening.models import Screening

# (list, ticked indicators, open a case, hours before the load)
SCREENINGS = [
    ("adult-labour", ["deceptive_recruitment/deceived_nature_of_job", "deceptive_recruitment/deceived_wages",
                      "exploitative_conditions/excessive_working_hours", "exploitative_conditions/low_or_no_salary",
                      "coercion_destination/confiscation_of_documents", "coercion_destination/debt_bondage"],
     True, 6),
    ("child-sexual", ["deceptive_recruitment/deceived_nature_of_job",
                      "deceptive_recruitment/deceived_conditions_of_prostitution",
                      "exploitative_conditions/hazardous_work", "exploitative_conditions/excessive_working_hours"],
     True, 4),
    ("adult-sexual", ["exploitative_conditions/excessive_working_hours",
                      "exploitative_conditions/bad_living_conditions"], False, 2),
]


def load(log: list[str], now: datetime | None = None) -> None:
    """``now``: the moment the demo is loaded (tests fix it)."""
    actor = SYSTEM.running("demo")
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    active = {indicator_list.code: indicator_list for indicator_list in lists.active_lists()}
    created = opened = 0
    for country in Country.objects.programme().order_by("code"):
        ngo = Organisation.objects.filter(short_name=f"NGO-{country.code}").first()
        if ngo is None or Screening.objects.filter(organisation=ngo, country=country).exists():
            continue
        for code, ticked, open_case, hours in SCREENINGS:
            screening = services.create_screening(acting_user=actor, indicator_list=active[code],
                                                  country=country.code, ticked=ticked, organisation=ngo,
                                                  at=now - timedelta(hours=hours))
            created += 1
            if open_case:
                services.open_case(acting_user=actor, screening=screening)
                opened += 1
    log.append(f"screening: {created} demo screenings, {opened} case records opened from them")
