"""The justice figures as measurements of the programme's indicator periods (``palermo.programme.feeds``).

Court records are not tied to an action: an action's period counts the persons prosecuted (or first convicted) of
trafficking in the action's recipient countries during the period, on UNODC's definitions (``counting.py``).
That is what an indicator such as "persons convicted of trafficking in the countries of the action" measures; it
describes the countries, not what the action caused. By sex and by age band (the age reached in the year of the
decision, from the year of birth); persons of unknown sex or age are in the total only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Actor
from palermo.justice import counting
from palermo.programme.codes import AGE_BANDS, SEXES
from palermo.programme.feeds import Measurement, register_feed

PROSECUTED, CONVICTED = "justice.persons_prosecuted", "justice.persons_convicted"


def _measure(action_id: int, start: date, end: date, convicted: bool) -> Measurement | None:
    from palermo.justice.figures import proceeding_facts
    from palermo.programme.models import ActionCountry

    countries = list(ActionCountry.objects.filter(action_id=action_id).values_list("country_id", flat=True))
    if not countries:
        return None
    facts = proceeding_facts(countries)
    if not facts:
        return None  # no record in these countries: the records say nothing
    counts = counting.persons_in_period(facts, start, end, countries, convicted=convicted)
    return Measurement(total=Decimal(counts.get("total", 0)),
                       by_sex={sex: Decimal(counts[sex]) for sex in SEXES if counts.get(sex)},
                       by_age={band: Decimal(counts[band]) for band in AGE_BANDS if counts.get(band)})


def persons_prosecuted(action_id: int, start: date, end: date) -> Measurement | None:
    return _measure(action_id, start, end, convicted=False)


def persons_convicted(action_id: int, start: date, end: date) -> Measurement | None:
    return _measure(action_id, start, end, convicted=True)


def register() -> None:
    register_feed(key=PROSECUTED, label=_("Persons prosecuted for trafficking in the action's countries (court "
                                          "records)"), compute=persons_prosecuted)
    register_feed(key=CONVICTED, label=_("Persons convicted of trafficking in the action's countries (court "
                                         "records)"), compute=persons_convicted)


def refresh(*, acting_user: Actor, country: str) -> None:
    """Refresh the indicator periods measured by the justice feeds in the actions with a share in ``country``."""
    from palermo.programme.models import Indicator
    from palermo.programme.services.results import refresh_measured_periods

    action_ids = set(Indicator.objects.filter(measured_by__in=[PROSECUTED, CONVICTED],
                                              result__action__country_shares__country_id=country)
                     .values_list("result__action_id", flat=True))
    if action_ids:
        refresh_measured_periods(acting_user=acting_user, action_ids=sorted(action_ids))
