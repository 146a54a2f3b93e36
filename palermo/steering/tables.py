"""The review as titled tables (for the page, the document and the CSV downloads) and the charts drawn
from them. Labels follow the active language: build inside ``translation.override``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from palermo.i18n import share
from palermo.programme.choices import unit_label
from palermo.programme.models import ActivityStatus, Channel, GretaRecommendation, TargetGroup
from palermo.steering.figures import Achievement, ActionLine, Money, Review
from palermo.steering.story_tables import Section, add_story


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class Chart:
    slug: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    unit: str = ""
    table: str = ""


@dataclass
class ReviewTables:
    stock_take: list[Table] = field(default_factory=list)
    proposal: list[Table] = field(default_factory=list)
    decisions: Table | None = None
    charts: dict[str, Chart] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)  # the programme's own story (``story_tables``)

    def all(self) -> list[Table]:
        return [*self.stock_take, *(table for section in self.sections for table in section.tables),
                *self.proposal, *([self.decisions] if self.decisions else [])]

    def get(self, slug: str) -> Table | None:
        return next((table for table in self.all() if table.slug == slug), None)


def _country(review: Review, code: str) -> str:
    return review.country_names.get(code, code) if code else _("not classified")


def _objective(review: Review, number: int) -> str:
    return f"{number}. {review.objective_names.get(number, '')}" if number else _("not classified")


def _shares(shares: dict[Any, Decimal], name: Any) -> str:
    return ", ".join(f"{name(key)} {share(value)}" for key, value in shares.items())


def _action_rows(review: Review, lines: list[ActionLine]) -> list[list[Any]]:
    return [
        [
            line.identifier,
            line.title,
            str(Channel(line.channel).label),
            str(ActivityStatus(line.status).label),
            _shares(line.countries, lambda code: code),
            _shares(line.objectives, lambda n: f"O{n}"),
        ]
        for line in lines
    ]


def _money_rows(label: str, names: dict[Any, str], money: dict[Any, Money], total: Money) -> list[list[Any]]:
    rows = [
        [names[key], m.budget, m.committed, m.disbursed, m.expended, m.disbursement_rate] for key, m in money.items()
    ]
    rows.append([label, total.budget, total.committed, total.disbursed, total.expended, total.disbursement_rate])
    return rows


def _achievement_rows(names: dict[Any, str], cells: dict[Any, Achievement]) -> list[list[Any]]:
    return [[names[key], cell.assessed, cell.met, cell.rate] for key, cell in cells.items()]


def build_tables(review: Review) -> ReviewTables:
    take = review.stock_take
    year = review.year
    tables = ReviewTables()
    money_columns = [
        _("budget of the year (EUR)"),
        _("committed (EUR)"),
        _("disbursed (EUR)"),
        _("expended (EUR)"),
        _("disbursed / budget (%)"),
    ]
    countries = {
        code: _country(review, code)
        for code in {*take.money_by_country, *take.achievement_by_country, *take.implemented_by_country()}
    }
    objectives = {
        number: _objective(review, number)
        for number in {*take.money_by_objective, *take.achievement_by_objective, *take.implemented_by_objective()}
    }
    tables.stock_take = [
        Table(
            "implemented",
            _("Actions implemented in %(year)s") % {"year": year},
            [_("identifier"), _("title"), _("channel"), _("status"), _("countries"), _("objectives")],
            _action_rows(review, take.implemented),
            _("Own actions in implementation, finalisation or closed whose dates meet the year."),
        ),
        Table(
            "implemented-by-country",
            _("Actions implemented by country"),
            [_("country"), _("actions")],
            [[countries[code], count] for code, count in take.implemented_by_country().items()],
        ),
        Table(
            "implemented-by-objective",
            _("Actions implemented by objective"),
            [_("objective"), _("actions")],
            [[objectives[number], count] for number, count in take.implemented_by_objective().items()],
        ),
        Table(
            "budget-by-country",
            _("Budget execution by country"),
            [_("country"), *money_columns],
            _money_rows(_("total"), countries, take.money_by_country, take.money),
            _("Amounts of multi-country actions are split by their country shares."),
        ),
        Table(
            "budget-by-objective",
            _("Budget execution by objective"),
            [_("objective"), *money_columns],
            _money_rows(_("total"), objectives, take.money_by_objective, take.money),
            _("Amounts of actions serving several objectives are split by their objective shares."),
        ),
        Table(
            "indicators",
            _("Indicators against targets, periods ending in %(year)s") % {"year": year},
            [_("action"), _("indicator"), _("unit"), _("period end"), _("target"), _("actual"), _("target met")],
            [
                [
                    line.action_identifier,
                    line.indicator,
                    unit_label(line.unit),
                    line.period_end,
                    line.target,
                    line.actual,
                    _("yes") if line.met else _("no"),
                ]
                for line in take.indicators
            ],
        ),
        Table(
            "achievement-by-country",
            _("Targets met by country"),
            [_("country"), _("periods assessed"), _("targets met"), _("targets met (%)")],
            _achievement_rows(countries, take.achievement_by_country),
        ),
        Table(
            "achievement-by-objective",
            _("Targets met by objective"),
            [_("objective"), _("periods assessed"), _("targets met"), _("targets met (%)")],
            _achievement_rows(objectives, take.achievement_by_objective),
        ),
    ]
    for index, section in enumerate(take.extra_sections):
        tables.stock_take.append(Table(f"extra-{index + 1}", section.title, section.columns, section.rows))
    plan = review.proposal
    groups = dict(TargetGroup.choices)
    follow_ups = dict(GretaRecommendation.FollowUp.choices)
    tables.proposal = [
        Table(
            "pipeline",
            _("Actions proposed for %(year)s") % {"year": plan.year},
            [_("identifier"), _("title"), _("channel"), _("status"), _("countries"), _("objectives")],
            _action_rows(review, plan.pipeline),
        ),
        Table(
            "gaps-cells",
            _("Country and objective with no active action in %(year)s") % {"year": plan.year},
            [_("country"), _("objective")],
            [[_country(review, code), _objective(review, number)] for code, number in plan.gaps.uncovered_cells],
        ),
        Table(
            "gaps-greta",
            _("GRETA recommendations ('urges') no action answers"),
            [_("country"), _("recommendation"), _("follow-up")],
            [[_country(review, r.country), r.label, str(follow_ups.get(r.follow_up, r.follow_up))]
             for r in plan.gaps.unanswered_urges],
        ),
        Table(
            "gaps-groups",
            _("Target groups with no active action in a country"),
            [_("target group"), _("country")],
            [[str(groups.get(group, group)), _country(review, code)] for group, code in plan.gaps.uncovered_groups],
        ),
        Table(
            "overlaps",
            _("Possible overlaps in %(year)s") % {"year": plan.year},
            [_("action"), _("action"), _("countries"), _("objectives"), _("target groups"), _("similarity")],
            [
                [
                    f"{o.first.identifier} {o.first.title}",
                    f"{o.second.identifier} {o.second.title}",
                    ", ".join(o.countries),
                    ", ".join(str(n) for n in o.objectives),
                    ", ".join(str(groups.get(g, g)) for g in o.target_groups),
                    Decimal(str(o.similarity)),
                ]
                for o in plan.overlaps
            ],
        ),
    ]
    for index, section in enumerate(plan.extra_sections):
        tables.proposal.insert(4 + index, Table(f"proposal-extra-{index + 1}", section.title, section.columns,
                                                section.rows))
    tables.decisions = Table(
        "decisions",
        _("Decisions"),
        [_("decision"), _("actions"), _("owner"), _("due date")],
        [[d.text, ", ".join(identifier for _pk, identifier in d.actions), d.owner, d.due_date]
         for d in review.decisions],
    )
    by_country = take.money_by_country
    tables.charts = {
        "budget-by-country": Chart(
            "budget-by-country",
            _("Budget, disbursed and expended by country (EUR)"),
            [countries[code] for code in by_country],
            [
                (_("budget"), [float(m.budget) for m in by_country.values()]),
                (_("disbursed"), [float(m.disbursed) for m in by_country.values()]),
                (_("expended"), [float(m.expended) for m in by_country.values()]),
            ],
            table="budget-by-country",
        ),
        "budget-by-objective": Chart(
            "budget-by-objective",
            _("Budget, disbursed and expended by objective (EUR)"),
            [objectives[number] for number in take.money_by_objective],
            [
                (_("budget"), [float(m.budget) for m in take.money_by_objective.values()]),
                (_("disbursed"), [float(m.disbursed) for m in take.money_by_objective.values()]),
            ],
            table="budget-by-objective",
        ),
        "achievement-by-country": Chart(
            "achievement-by-country",
            _("Targets met by country (%)"),
            [countries[code] for code in take.achievement_by_country],
            [(_("targets met (%)"), [float(c.rate or 0) for c in take.achievement_by_country.values()])],
            unit="\u00a0%",
            table="achievement-by-country",
        ),
    }
    add_story(tables, review, lambda code: _country(review, code), lambda number: _objective(review, number))
    return tables
