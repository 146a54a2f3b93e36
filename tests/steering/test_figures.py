"""The arithmetic of the review and its SVG charts: plain logic, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from palermo.steering import svg
from palermo.steering.figures import ActionLine, IndicatorLine, Money, achievements, implemented, split_money

D = Decimal


def line(
    pk: int,
    status: int = 2,
    countries: dict[str, Decimal] | None = None,
    objectives: dict[int, Decimal] | None = None,
    external: bool = False,
    start: date = date(2023, 1, 1),
    end: date | None = date(2024, 3, 1),
) -> ActionLine:
    return ActionLine(
        pk, f"ID-{pk}", f"Action {pk}", "bilateral", status, start, end, countries or {}, objectives or {}, external
    )


def test_money_is_split_by_shares_and_rounded_at_the_end() -> None:
    actions = {1: line(1, countries={"AL": D("33.33"), "RS": D("66.67")}, objectives={2: D(100)}), 2: line(2)}
    money = {1: Money(budget=D("1000.01"), disbursed=D("100")), 2: Money(disbursed=D("50"))}
    total, by_country, by_objective = split_money(actions, money)
    assert total == Money(D("1000.01"), D("0.00"), D("150.00"), D("0.00"))
    assert {k: v.disbursed for k, v in by_country.items()} == {"": D("50.00"), "AL": D("33.33"), "RS": D("66.67")}
    assert by_country["AL"].budget == D("333.30")  # 1000.01 x 33.33 % = 333.303 -> 333.30
    assert {k: v.disbursed for k, v in by_objective.items()} == {0: D("50.00"), 2: D("100.00")}
    assert total.disbursement_rate == D("15.0") and Money().disbursement_rate is None


def test_implemented_keeps_own_running_actions_of_the_year() -> None:
    actions = [
        line(1),
        line(2, status=1),
        line(3, external=True),
        line(4, status=5),
        line(5, status=4),
        line(6, end=date(2023, 12, 31)),
        line(7, start=date(2025, 1, 1), end=None),
    ]
    assert [a.id for a in implemented(actions, 2024)] == [1, 5]


def test_a_descending_indicator_is_met_at_or_below_its_target() -> None:
    actions = {1: line(1, countries={"AL": D(50), "XK": D(50)}, objectives={3: D(100)})}
    lines = [
        IndicatorLine(1, "ID-1", "victims identified", "people", date(2024, 12, 31), D(100), D(100), True),
        IndicatorLine(1, "ID-1", "days to referral", "days", date(2024, 12, 31), D(10), D(12), False),
        IndicatorLine(1, "ID-1", "case backlog", "cases", date(2024, 12, 31), D(40), D(40), False),
    ]
    total, by_country, by_objective = achievements(lines, actions)
    assert (total.assessed, total.met, total.rate) == (3, 2, D("66.7"))
    assert by_country["XK"].met == 2 and by_objective[3].assessed == 3


def test_a_bar_chart_is_well_formed_svg_with_a_bar_per_value() -> None:
    drawing = svg.bar_chart(
        "Budget <by> country", ["Albania", "Kosovo"], [("budget", [100.0, 50.0]), ("disbursed", [80.0, 0.0])], unit=" €"
    )
    root = etree.fromstring(drawing.encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("aria-label") == "Budget <by> country"
    widths = [float(r.get("width")) for r in root.xpath("//s:rect[@x='170' and @y!='4']", namespaces=ns)]
    assert widths == [400.0, 320.0, 200.0, 0.0]
    assert svg.bar_chart("empty", [], []) == ""
