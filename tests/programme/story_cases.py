"""Case records made directly (derived fields given), for the programme's and the review's figures on cases."""

from __future__ import annotations

from itertools import count
from typing import Any

from palermo.cases.models import Case
from palermo.partners.models import Organisation

_numbers = count(1)


def case_record(country: str, year: int, *, form: str = "traditional", minor: bool | None = False,
                status: str = "actual", exploited_in: str | None = None, citizenship: str | None = None,
                **values: Any) -> Case:
    """One case recorded by an NGO of ``country`` (its owner country), identified in ``year``."""
    ngo, _ = Organisation.objects.get_or_create(name=f"Case NGO {country}", country_id=country,
                                                defaults={"kind": "ngo"})
    return Case.objects.create(
        case_code=f"T-{country}-{next(_numbers)}", organisation=ngo, owner_country_id=country,
        trafficking_status=status, year_identified=year, thb_form=form, is_minor=minor,
        country_of_exploitation_id=exploited_in, citizenship_id=citizenship or country, **values)
