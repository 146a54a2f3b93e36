"""Everything that can refuse an IATI file, found before anything is written.

``check`` parses safely, validates the whole file (schema, codes, IATI rules), reads it into plain
activities and then checks what the database needs (known countries, EUR amounts, identifiers that
do not take over another publisher's action). A refused file raises ``IatiRefused`` naming every
blocking problem with its line.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from lxml import etree

from palermo.iati import activity as iati
from palermo.iati import codes, mapping, safexml, validation, xml_reader
from palermo.iati.problems import IatiRefused, Problem, line_of
from palermo.partners.models import Organisation
from palermo.programme.models import IATI_IDENTIFIER, Action, Programme
from palermo.reference.models import Country, Objective

MAX_AMOUNT = Decimal("1e12")


def own_reporting_refs() -> set[str]:
    from palermo.iati.export import reporting_ref

    refs = {reporting_ref()} | set(
        Programme.objects.exclude(reporting_organisation__iati_identifier="").values_list(
            "reporting_organisation__iati_identifier", flat=True
        )
    )
    refs |= set(
        Organisation.objects.filter(kind=Organisation.Kind.DONOR, country_id="FR")
        .exclude(iati_identifier="")
        .values_list("iati_identifier", flat=True)
    )
    return refs


def is_programme(activity: iati.Activity, own: bool, programme_ids: set[str]) -> bool:
    return (
        own
        and activity.hierarchy == 1
        and (activity.identifier in programme_ids or any(kind == "2" for _, kind in activity.related))
    )


def _amount_problem(value: Decimal, line: int | None, what: str, *, positive: bool) -> Problem | None:
    if abs(value) >= MAX_AMOUNT:
        return Problem(line, what, f"the amount {value} is out of range")
    if positive and value <= 0:
        return Problem(line, what, f"the amount must be above zero (got {value}); reversals are not accepted")
    if not positive and value < 0:
        return Problem(line, what, f"the amount cannot be negative (got {value})")
    return None


def _money_problems(entry: iati.Budget | iati.Transaction, where: str, *, positive: bool) -> list[Problem]:
    found = []
    if entry.currency != "EUR":
        found.append(
            Problem(
                entry.line,
                where + "/@currency",
                f"only EUR amounts are accepted (got {entry.currency or 'no currency'}); "
                "Palermo keeps no exchange rates",
            )
        )
    problem = _amount_problem(entry.value, entry.line, where, positive=positive)
    return [*found, problem] if problem else found


BREAKDOWN_VALUE_LENGTH = 20  # PeriodDisaggregation.value


def _breakdown_problems(activity: iati.Activity, where: str) -> list[Problem]:
    return [
        Problem(
            breakdown.line,
            f"{where}/result/indicator/period/dimension[@name='{breakdown.dimension}']",
            f"the value {breakdown.value!r} is over {BREAKDOWN_VALUE_LENGTH} characters",
        )
        for result in activity.results
        for indicator in result.indicators
        for period in indicator.periods
        for breakdown in period.breakdowns
        if len(breakdown.value) > BREAKDOWN_VALUE_LENGTH
    ]


def data_problems(activities: list[iati.Activity], own_refs: set[str]) -> list[Problem]:
    """What the database could not hold or would misread, found before anything is written."""
    countries = set(Country.objects.values_list("code", flat=True))
    objectives = set(Objective.objects.values_list("number", flat=True))
    own_actions = dict(Action.objects.values_list("iati_identifier", "is_external"))
    problems: list[Problem] = []
    for activity in activities:
        where = f"iati-activity[{activity.identifier}]"
        try:
            IATI_IDENTIFIER(activity.identifier)
        except Exception:
            problems.append(
                Problem(
                    activity.line,
                    where + "/iati-identifier",
                    "an identifier may not be empty nor contain / & | ? or outer spaces",
                )
            )
        if len(activity.identifier) > 150:
            problems.append(Problem(activity.line, where + "/iati-identifier", "the identifier is over 150 characters"))
        problems += _breakdown_problems(activity, where)
        own = activity.reporting_org.ref in own_refs
        if activity.identifier in own_actions and own_actions[activity.identifier] == own:
            problems.append(
                Problem(
                    activity.line,
                    where,
                    (
                        "this identifier belongs to another donor's action; the programme cannot take it over"
                        if own
                        else "this identifier belongs to an action of the programme; "
                        "another publisher cannot replace it"
                    ),
                )
            )
        if not activity.title:
            problems.append(Problem(activity.line, where + "/title", "the activity has no title"))
        if activity.hierarchy == 1 and own and any(kind == "2" for _, kind in activity.related):
            continue  # the programme itself: no money, countries or dates required
        if "1" not in activity.dates and "2" not in activity.dates:
            problems.append(
                Problem(
                    activity.line,
                    where + "/activity-date",
                    "a planned or actual start date is required (IATI rule 6.11.1)",
                )
            )
        for share in activity.recipient_countries:
            if share.code not in countries:
                problems.append(
                    Problem(
                        share.line, where + "/recipient-country/@code", f"{share.code!r} is not a known country code"
                    )
                )
        uri_tags = [s for s in activity.sectors + activity.tags if s.vocabulary == "99"]
        for share in uri_tags:
            number = mapping.objective_number(share.code)
            if own and number is not None and number not in objectives:
                problems.append(Problem(share.line, where, f"{share.code!r} is not an objective of the programme"))
        for budget in activity.budgets:
            problems += _money_problems(budget, where + "/budget/value", positive=False)
        for item in activity.transactions:
            problems += _money_problems(item, where + "/transaction/value", positive=True)
        for result in activity.results:
            for indicator in result.indicators:
                for period in indicator.periods:
                    for value in (period.target, period.actual):
                        if value is not None and abs(value) >= MAX_AMOUNT:
                            problems.append(
                                Problem(
                                    activity.line,
                                    where + "/result/indicator/period",
                                    f"the value {value} is out of range",
                                )
                            )
    return problems


def configured_codelists() -> codes.LongCodelists:
    """The codelists in ``PALERMO_IATI_CODELIST_DIR`` (by default the ones shipped in ``palermo/iati/data``)."""
    return codes.long_codelists(settings.PALERMO_IATI_CODELIST_DIR or None)


def schema_problems(tree: etree._ElementTree) -> list[Problem]:
    """The tree against the XSD in ``PALERMO_IATI_SCHEMA_DIR`` (by default the one shipped in ``palermo/iati/data``)."""
    schema_dir = settings.PALERMO_IATI_SCHEMA_DIR
    if not schema_dir:
        raise IatiRefused([Problem(None, "", "no IATI schema to validate against: set PALERMO_IATI_SCHEMA_DIR")])
    try:
        return validation.schema_problems(tree, schema_dir)
    except validation.SchemaMissing as missing:
        raise IatiRefused([Problem(None, "", str(missing))]) from missing


def check(data: bytes) -> tuple[list[iati.Activity], list[Problem]]:
    """Parse and validate; raise ``IatiRefused`` with every blocking problem, else return the activities
    and the warnings."""
    tree = safexml.parse(data)
    problems = schema_problems(tree)
    if problems:
        raise IatiRefused(problems)
    if tree.getroot().tag != "iati-activities":
        raise IatiRefused([Problem(line_of(tree.getroot()), "/", "the root element must be iati-activities")])
    problems = validation.rule_problems(tree, configured_codelists())
    try:
        activities = xml_reader.read(tree)
    except (ValueError, InvalidOperation) as error:
        raise IatiRefused([Problem(None, "", f"unreadable value: {error}")]) from error
    problems += data_problems(activities, own_reporting_refs())
    errors = [p for p in problems if not p.warning]
    if errors:
        raise IatiRefused(errors)
    return activities, [p for p in problems if p.warning]
