"""The review's sections on what the programme says of itself (``story.py``) as titled tables and a chart:
channels and complementarity, forms of trafficking, minors first, towards France. Labels follow the active
language: build inside ``translation.override`` (``tables.build_tables`` calls :func:`add_story`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from palermo.programme.models import Channel, TraffickingForm
from palermo.steering import story
from palermo.steering.figures import Money, Review

if TYPE_CHECKING:
    from palermo.steering.tables import Chart, ReviewTables, Table


@dataclass
class Section:
    slug: str
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)


def _channel(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


def _form(code: str) -> str:
    return str(TraffickingForm(code).label) if code in TraffickingForm.values else _("not stated")


def add_story(tables: ReviewTables, review: Review, country: Any, objective: Any) -> None:
    """Append the four sections to ``tables`` (and the forms' gaps to the proposal, the channel chart to the
    charts). ``country`` and ``objective`` name a code as the other tables do."""
    from palermo.steering.tables import Chart, Table

    take, cases = review.stock_take, review.cases
    implemented = take.implemented
    money = review.money_by_action
    # Channels and complementarity
    rows = story.by_channel(review.actions, implemented, money)
    totals = story.channel_totals(rows)
    channel_rows: list[list[Any]] = [
        [_channel(r.channel),
         (r.representation or _("no permanent representation named")) if r.channel == "multilateral" else "",
         r.actions, r.money.budget, r.money.disbursed, r.money.disbursement_rate,
         len(r.countries - {""}), len(r.objectives - {0})]
        for r in rows
    ]
    total = Money()
    for r in totals:
        total.add(r.money)
    channel_rows.append([_("total"), "", sum(r.actions for r in totals), total.budget, total.disbursed,
                         total.disbursement_rate, len({c for r in totals for c in r.countries} - {""}),
                         len({o for r in totals for o in r.objectives} - {0})])
    money_columns = [_("budget of the year (EUR)"), _("disbursed (EUR)"), _("disbursed / budget (%)")]
    cells = story.complementarity(implemented, money)
    readings = {"both": _("bilateral and multilateral"), "bilateral": _("bilateral only"),
                "multilateral": _("multilateral only"), "regional": _("regional only")}
    channels = Section("channels", _("Channels: bilateral, regional and multilateral actions"), _(
        "The complementarity of all our bilateral and multilateral cooperation actions: what each channel carried "
        "in the year, multilateral actions by the French permanent representation that steers them, then bilateral "
        "against multilateral in each country and objective."), [
        Table("by-channel", _("Actions and money by channel"),
              [_("channel"), _("steered by"), _("actions implemented"), *money_columns, _("countries"),
               _("objectives")],
              channel_rows,
              _("Actions implemented in the year; money of the year of every own action, split by country share in "
                "a country version; the total adds up the rows.")),
        Table("complementarity-by-channel", _("Bilateral and multilateral actions by country and objective"),
              [_("country"), _("objective"), _("bilateral actions"), _("bilateral budget (EUR)"),
               _("regional actions"), _("regional budget (EUR)"), _("multilateral actions"),
               _("multilateral budget (EUR)"), _("reading")],
              [[country(c.country), objective(c.objective), c.actions["bilateral"], c.budget["bilateral"],
                c.actions["regional"], c.budget["regional"], c.actions["multilateral"], c.budget["multilateral"],
                readings[c.reading]] for c in cells],
              _("Actions implemented in the year; budgets split by country share and objective share.")),
    ])
    # Forms of trafficking
    forms = story.forms_by_country(implemented, cases)
    forms_section = Section("forms", _("The two forms of trafficking"), _(
        "Traditional trafficking and exploitation along the migration route: the actions implemented in the year "
        "by the form they address, beside the case records identified in the year by the form the case data give "
        "them."), [
        Table("forms-by-country", _("Actions and case records by form of trafficking"),
              [_("country"), _("actions: traditional"), _("actions: migration route"), _("actions: both forms"),
               _("actions: not stated"), _("case records: traditional"), _("case records: migration route")],
              [[country(code), v.get("traditional", 0), v.get("migration_route", 0), v.get("both", 0),
                v.get("", 0), v.get("cases:traditional", 0), v.get("cases:migration_route", 0)]
               for code, v in forms.items()],
              _("An action counts once in each of its countries; case records count possible and actual victims "
                "by the country that recorded them.")),
    ])
    # Minors first
    minors = story.minors_actions(implemented)
    minors_money = Money()
    minors_rows: list[list[Any]] = []
    for line in minors:
        amounts = Money()
        amounts.add(money.get(line.id, Money()), story.part(line))
        amounts = amounts.rounded()
        minors_money.add(amounts)
        minors_rows.append([line.identifier, line.title, _channel(line.channel),
                            ", ".join(country(code) for code in line.countries), amounts.budget, amounts.disbursed])
    minors_rows.append([_("total"), "", "", "", minors_money.budget, minors_money.disbursed])
    guardianship_rows = [[country(code), g.due, g.on_time, g.late, g.missing, g.rate]
                         for code, g in sorted(cases.guardianship.items())]
    minors_section = Section("minors", _("Minors first"), _(
        "The programme gives priority to the protection of the rights of minor victims: child victims detected, "
        "the actions aimed at minors and their money, the countries and objectives where children are victims "
        "and no action aims at them, and the appointment of guardians."), [
        Table("child-victims", _("Child victims detected by country and year"),
              [_("country"), _("year"), _("case records: child victims"), _("UNODC: victims aged 0–17")],
              [[country(code), str(year), records, unodc]
               for code, year, records, unodc in story.child_victims_rows(cases)],
              _("Case records: possible and actual victims minor at exploitation, by the country that recorded "
                "them and the year of identification. UNODC: detected victims aged 0–17 as published (GLOTIP), "
                "where imported; “<5” is a count UNODC suppressed.")),
        Table("minors-actions", _("Actions aimed at minors implemented in %(year)s") % {"year": review.year},
              [_("identifier"), _("title"), _("channel"), _("countries"), *money_columns[:2]], minors_rows),
        Table("minors-gaps", _("Child victims and no action aimed at minors, by country and objective"),
              [_("country"), _("objective"), _("child victims in the case records")],
              [[country(code), objective(number), count]
               for code, number, count in story.minors_gaps(implemented, cases, review.year,
                                                            sorted(review.objective_names))]),
        Table("guardianship", _("Guardians of child victims appointed within the deadline"),
              [_("country"), _("guardian due in the year"), _("appointed by the deadline"), _("appointed late"),
               _("not appointed"), _("within the deadline (%)")], guardianship_rows,
              "" if cases.guardianship_known else _("Not recorded when this review was computed.")),
    ])
    # Towards France
    french = story.with_french_counterparts([*implemented, *review.proposal.pipeline])
    france = Section("france", _("Towards France"), _(
        "The programme fights trafficking in particular towards France: victims recorded by the programme's "
        "countries and exploited in France, the victims of these countries' citizenship detected in France as "
        "UNODC publishes them, and the actions with French institutions as counterparts."), [
        Table("towards-france", _("Victims exploited in France, by country and year"),
              [_("country"), _("year"), _("case records: exploited in France"), _("of which minors"),
               _("UNODC: victims of this citizenship detected in France")],
              [[country(code), str(year), records, minors_count, unodc]
               for code, year, records, minors_count, unodc in story.france_rows(cases)],
              _("Case records: France as the country of exploitation, by the country that recorded them. UNODC: "
                "victims detected in France by citizenship (GLOTIP), where imported.")),
        Table("french-counterparts", _("Actions with French counterparts"),
              [_("identifier"), _("title"), _("channel"), _("French counterparts"), _("budget of the year (EUR)")],
              [[line.identifier, line.title, _channel(line.channel), "; ".join(line.french_partners),
                (money.get(line.id, Money()).budget * story.part(line)).quantize(Decimal("0.01"))]
               for line in french],
              _("Actions implemented in the year or proposed, with a French institution taking part besides the "
                "funding ministry and the permanent representations.")),
    ])
    tables.sections = [channels, forms_section, minors_section, france]
    tables.proposal.append(Table(
        "gaps-forms", _("Forms of trafficking recorded in %(year)s with no active action in %(next)s")
        % {"year": review.year, "next": review.proposal.year},
        [_("form of trafficking"), _("country"), _("case records")],
        [[_form(form), country(code), cases.forms.get((form, code), 0)]
         for form, code in review.proposal.gaps.uncovered_forms],
    ))
    chart: Chart = Chart(
        "by-channel", _("Budget and disbursed by channel (EUR)"),
        [_channel(r.channel) for r in totals],
        [(_("budget"), [float(r.money.budget) for r in totals]),
         (_("disbursed"), [float(r.money.disbursed) for r in totals])],
        table="by-channel",
    )
    tables.charts["by-channel"] = chart
