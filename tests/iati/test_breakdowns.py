"""Sex and age breakdowns of indicator periods travel as IATI ``dimension`` elements and come back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from palermo.accounts.access import SYSTEM
from palermo.iati import export, import_checks, safexml, services
from palermo.iati.problems import IatiRefused
from palermo.programme.models import Action, Indicator, Period, PeriodDisaggregation
from tests.iati.conftest import GENERATED
from tests.steering.builders import Portfolio

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def portfolio(portfolio: Portfolio) -> Portfolio:
    built = portfolio
    period = Period.objects.filter(indicator__result__action=built.bilateral).order_by("pk").first()
    assert period is not None
    for dimension, value, target, actual in (
        ("sex", "male", "30", "25"),
        ("sex", "female", "70", None),
        ("age", "0-17", "40", "52.5"),
    ):
        PeriodDisaggregation.objects.create(
            period=period, dimension=dimension, value=value, target=D(target), actual=D(actual) if actual else None
        )
    return built


def breakdowns() -> list[tuple[str, str, str, str, Decimal | None, Decimal | None]]:
    return list(
        PeriodDisaggregation.objects.order_by(
            "period__indicator__result__action__iati_identifier", "dimension", "value"
        ).values_list(
            "period__indicator__result__action__iati_identifier",
            "period__period_end",
            "dimension",
            "value",
            "target",
            "actual",
        )
    )


def test_breakdowns_are_written_as_dimensions_that_validate(portfolio) -> None:
    data = export.export_bytes(GENERATED)
    tree = safexml.parse(data)
    assert import_checks.schema_problems(tree) == []
    period = next(p for p in tree.getroot().iter("period") if p.find("target/dimension") is not None)
    written = [
        (child.tag, child.get("value"), [(d.get("name"), d.get("value")) for d in child.iterfind("dimension")])
        for child in period
        if child.tag in ("target", "actual")
    ]
    total_target, total_actual = written[0][1], next(w[1] for w in written if w[0] == "actual" and not w[2])
    assert written == [
        ("target", total_target, []),
        ("target", "40.00", [("age", "0-17")]),
        ("target", "70.00", [("sex", "female")]),
        ("target", "30.00", [("sex", "male")]),
        ("actual", total_actual, []),
        ("actual", "52.50", [("age", "0-17")]),
        ("actual", "25.00", [("sex", "male")]),  # no actual recorded for women: no element
    ]


def test_breakdowns_survive_export_import_export_byte_for_byte(portfolio) -> None:
    before = breakdowns()
    assert len(before) == 3
    first = export.export_bytes(GENERATED)
    Action.objects.all().delete()
    assert PeriodDisaggregation.objects.count() == 0
    services.import_file(acting_user=SYSTEM, data=first, source="palermo.xml")
    assert breakdowns() == before
    assert [
        (i.disaggregated_by_sex, i.disaggregated_by_age)
        for i in Indicator.objects.filter(periods__disaggregations__isnull=False).distinct()
    ] == [(True, True)]
    assert export.export_bytes(GENERATED) == first
    services.import_file(acting_user=SYSTEM, data=first, source="palermo.xml")  # again: updated, not doubled
    assert breakdowns() == before


def test_a_breakdown_value_too_long_is_refused_and_nothing_changes(portfolio) -> None:
    data = export.export_bytes(GENERATED).replace(b'value="female"', b'value="female-heads-of-household"')
    before = (breakdowns(), Action.objects.count())
    with pytest.raises(IatiRefused) as refused:
        services.import_file(acting_user=SYSTEM, data=data, source="long.xml")
    problem = refused.value.problems[0]
    assert problem.reason == "the value 'female-heads-of-household' is over 20 characters"
    assert problem.path.endswith("/result/indicator/period/dimension[@name='sex']") and problem.line is not None
    assert (breakdowns(), Action.objects.count()) == before
