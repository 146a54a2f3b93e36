"""Persons prosecuted and convicted per country and year, from records built through the services, equal the
numbers counted by hand (a person once per year whatever the charges or victims; appeals never count twice)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from palermo.accounts.access import SYSTEM
from palermo.cases.models import Case
from palermo.diagnostics.models import Indicator, OfficialStatistic, StatisticsImport
from palermo.justice import figures, services
from palermo.justice.figures import JusticeScope
from palermo.justice.services import ChargeSpec, Part, Person, ProceedingSpec, Verdict
from palermo.partners.models import Organisation

pytestmark = pytest.mark.django_db
DEMO = SYSTEM.running("tests")


def _case(organisation: Organisation, country: str) -> Case:
    from palermo.cases.services import Route, create_case

    return create_case(acting_user=DEMO, case=Case(organisation=organisation, owner_country_id=country), forms=[],
                       route=Route())


def _proceeding(defendant: Any, opened: date, prosecuted: date | None, *, thb: bool = True,
                victims: list[Case] = ()) -> Any:  # type: ignore[assignment]
    charges = [ChargeSpec("thb" if thb else "smuggling"), ChargeSpec("organised_crime")]
    p = services.open_proceeding(acting_user=DEMO, defendant=defendant, spec=ProceedingSpec(
        investigation_opened=opened, prosecuted_on=prosecuted, charges=charges))
    for victim in victims:
        services.set_victim(acting_user=DEMO, proceeding=p, case=victim, part=Part(testified=True))
    return p


def _decide(p: Any, instance: str, day: date, outcome: str, thb: bool = True, months: int | None = None) -> None:
    services.record_decision(acting_user=DEMO, proceeding=p, verdict=Verdict(
        instance=instance, decided_on=day, outcome=outcome, convicted_of_thb=thb and outcome == "convicted",
        sentence_months=months if outcome == "convicted" else None))


def _official(country: str, year: int, indicator: str, value: int | None) -> None:
    batch = StatisticsImport.objects.first() or StatisticsImport.objects.create(source="GLOTIP", file_name="t",
                                                                                  sha256="0" * 64)
    OfficialStatistic.objects.create(country_id=country, year=year, indicator=indicator, value=value,
                                     suppressed=value is None, source="GLOTIP", batch=batch)


def test_persons_prosecuted_and_convicted_per_country_and_year(organisation_factory: Callable[..., Any]) -> None:
    ngo_ro, ngo_rs = organisation_factory("ngo-ro", country="RO"), organisation_factory("ngo-rs", country="RS")
    victims = [_case(ngo_ro, "RO") for _ in range(3)]

    def person(reference: str, country: str = "RO", **kwargs: Any) -> Any:
        return services.record_defendant(acting_user=DEMO, country=country, organisation=ngo_ro if country == "RO"
                                         else ngo_rs, person=Person(reference=reference, **kwargs))

    a, b, c, d = person("A", sex="male"), person("B", sex="female"), person("C"), person("D")
    company = person("E", is_legal_person=True)
    s = person("S", "RS")
    # A: two proceedings prosecuted in 2020 (three victims, two charges each): once in 2020. Convicted in 2021 in
    # both, the first confirmed on appeal in 2022: once in 2021, never in 2022.
    a1 = _proceeding(a, date(2019, 3, 1), date(2020, 2, 1), victims=victims)
    a2 = _proceeding(a, date(2019, 6, 1), date(2020, 10, 1), victims=victims[:1])
    _decide(a1, "first_instance", date(2021, 3, 1), "convicted", months=60)
    _decide(a1, "appeal", date(2022, 3, 1), "convicted", months=48)
    _decide(a2, "first_instance", date(2021, 11, 1), "convicted", months=24)
    # B: prosecuted 2020, acquitted 2021, convicted on appeal 2022: convicted in 2022.
    b1 = _proceeding(b, date(2019, 1, 1), date(2020, 5, 1))
    _decide(b1, "first_instance", date(2021, 6, 1), "acquitted")
    _decide(b1, "appeal", date(2022, 6, 1), "convicted", months=36)
    # C: prosecuted 2021, convicted 2021, quashed on appeal 2022: convicted in 2021 (whether or not upheld).
    c1 = _proceeding(c, date(2020, 1, 1), date(2021, 2, 1))
    _decide(c1, "first_instance", date(2021, 12, 1), "convicted", months=30)
    _decide(c1, "appeal", date(2022, 4, 1), "acquitted")
    # D: charged with smuggling only: prosecuted for a related offence, never counted.
    d1 = _proceeding(d, date(2020, 1, 1), date(2020, 3, 1), thb=False)
    _decide(d1, "first_instance", date(2021, 1, 1), "convicted", thb=False, months=12)
    # A company, prosecuted and convicted: never counted.
    e1 = _proceeding(company, date(2020, 1, 1), date(2020, 3, 1))
    _decide(e1, "first_instance", date(2021, 2, 1), "convicted")
    # Serbia: prosecuted 2021, still pending; an investigation never charged.
    _proceeding(s, date(2020, 1, 1), date(2021, 4, 1))
    _proceeding(s, date(2021, 1, 1), None)
    _official("RO", 2020, Indicator.PERSONS_PROSECUTED, 25)
    _official("RO", 2021, Indicator.PERSONS_CONVICTED, None)

    result = figures.compute(JusticeScope(("RO", "RS"), True, 10, 2019, 2023))
    prosecuted = {(c.country, c.year): c.ours for c in result.prosecuted}
    convicted = {(c.country, c.year): c.ours for c in result.convicted}
    assert prosecuted == {("RO", 2020): 2, ("RO", 2021): 1, ("RS", 2021): 1}
    assert convicted == {("RO", 2021): 2, ("RO", 2022): 1}
    rows = {(c.country, c.year): (c.official, c.reasons) for c in result.prosecuted}
    assert rows[("RO", 2020)][0].value == 25
    assert rows[("RO", 2020)][1] == ("coverage", "legal_persons", "related_only")
    convicted_rows = {(c.country, c.year): c for c in result.convicted}
    assert convicted_rows[("RO", 2021)].official.suppressed
    assert convicted_rows[("RO", 2021)].reasons[0] == "within_suppressed"
    # the sentence that stands: A 48 months (appeal) beside 24 -> once, 36-59; B 36 months; C quashed
    assert result.sentences == {("RO", "36_59"): 2}
    # victims: three distinct in RO, each once whatever the proceedings
    assert result.participation[("RO", "victims")] == 3 and result.participation[("RO", "testified")] == 3
    # outside the user's own countries counts of 1 to 4 read "<5"
    released = figures.compute(JusticeScope(("RO", "RS"), False, 10, 2019, 2023))
    assert {(c.country, c.year): released.shown(c.ours) for c in released.convicted} == {
        ("RO", 2021): "<5", ("RO", 2022): "<5"}
    assert released.participation[("RO", "victims")] is None
