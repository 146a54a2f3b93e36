"""Read IATI 2.03 files into the portfolio: validate everything first, then write in one transaction.

Activities reported by France (the reporting organisation of a programme, or a French donor institution
registered in Palermo) come back as the programme and its actions; any other publisher's activities
become actions with ``is_external`` set, shown for complementarity only. Actions are matched by IATI
identifier: importing a file again updates them instead of adding copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.partners.models import Organisation
from palermo.programme.iati import activity as iati
from palermo.programme.iati import codes, mapping, reader, rules, safexml
from palermo.programme.iati.problems import IatiRefused, Problem, line_of
from palermo.programme.iati.writers_db import ActionWriter, Registry, TextPicker
from palermo.programme.models import IATI_IDENTIFIER, Action, Programme
from palermo.reference.models import Country, Objective

if TYPE_CHECKING:
    from palermo.accounts.models import User

MAX_AMOUNT = Decimal("1e12")


@dataclass
class ImportReport:
    source: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    external: int = 0
    warnings: list[Problem] = field(default_factory=list)


def own_reporting_refs() -> set[str]:
    refs = set(
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
            if budget.currency != "EUR":
                problems.append(
                    Problem(
                        budget.line,
                        where + "/budget/value/@currency",
                        (
                            f"only EUR amounts are accepted (got {budget.currency or 'no currency'}); "
                            "Palermo keeps no exchange rates"
                        ),
                    )
                )
            problem = _amount_problem(budget.value, budget.line, where + "/budget/value", positive=False)
            if problem:
                problems.append(problem)
        for item in activity.transactions:
            if item.currency != "EUR":
                problems.append(
                    Problem(
                        item.line,
                        where + "/transaction/value/@currency",
                        (
                            f"only EUR amounts are accepted (got {item.currency or 'no currency'}); "
                            "Palermo keeps no exchange rates"
                        ),
                    )
                )
            problem = _amount_problem(item.value, item.line, where + "/transaction/value", positive=True)
            if problem:
                problems.append(problem)
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


def check(data: bytes) -> tuple[list[iati.Activity], list[Problem]]:
    """Parse and validate; raise ``IatiRefused`` with every blocking problem, else return the activities
    and the warnings."""
    tree = safexml.parse(data)
    schema_dir = settings.PALERMO_IATI_SCHEMA_DIR
    if not schema_dir:
        raise IatiRefused([Problem(None, "", "no IATI schema to validate against: set PALERMO_IATI_SCHEMA_DIR")])
    problems = rules.schema_problems(tree, schema_dir)
    if problems:
        raise IatiRefused(problems)
    if tree.getroot().tag != "iati-activities":
        raise IatiRefused([Problem(line_of(tree.getroot()), "/", "the root element must be iati-activities")])
    problems = rules.rule_problems(tree, codes.long_codelists(settings.PALERMO_IATI_CODELIST_DIR or None))
    try:
        activities = reader.read(tree)
    except (ValueError, InvalidOperation) as error:
        raise IatiRefused([Problem(None, "", f"unreadable value: {error}")]) from error
    problems += data_problems(activities, own_reporting_refs())
    errors = [p for p in problems if not p.warning]
    if errors:
        raise IatiRefused(errors)
    return activities, [p for p in problems if p.warning]


@transaction.atomic
def import_file(*, acting_user: User | None, data: bytes, source: str) -> ImportReport:
    """All or nothing: a refused file raises ``IatiRefused`` and leaves the database untouched."""
    activities, warnings = check(data)
    report = ImportReport(source=source, warnings=warnings)
    own_refs = own_reporting_refs()
    registry = Registry(codes.long_codelists(settings.PALERMO_IATI_CODELIST_DIR or None).crs_channel)
    programme_ids = set(Programme.objects.values_list("iati_identifier", flat=True))
    programmes: dict[str, Programme] = {p.iati_identifier: p for p in Programme.objects.all()}
    for item in activities:
        if is_programme(item, item.reporting_org.ref in own_refs, programme_ids):
            programmes[item.identifier] = _save_programme(item, registry)
            report.programmes.append(item.identifier)
    writer = ActionWriter(registry, programmes, source)
    for item in activities:
        own = item.reporting_org.ref in own_refs
        if is_programme(item, own, programme_ids):
            continue
        created = writer.save(item, own=own)
        (report.created if created else report.updated).append(item.identifier)
        report.external += 0 if own else 1
    record(
        actor=acting_user,
        actor_username="" if acting_user else "cli",
        action=AuditEvent.Action.IMPORT,
        object_type="programme.iati",
        object_id=source[:100],
        detail={
            "created": len(report.created),
            "updated": len(report.updated),
            "external": report.external,
            "programmes": report.programmes,
            "organisations_created": registry.created,
            "warnings": len(warnings),
        },
    )
    return report


def _save_programme(item: iati.Activity, registry: Registry) -> Programme:
    title = TextPicker(item.title, item.lang)
    description = TextPicker(item.descriptions.get("1", {}), item.lang)
    objective_uris = {t.vocabulary_uri for t in item.tags if t.vocabulary == "99" and mapping.objective_number(t.code)}
    uri = next(iter(sorted(objective_uris)), "")
    values = {
        "title_en": title.english()[:300],
        "title_fr": title.french()[:300],
        "description_en": description.english(),
        "description_fr": description.french(),
        "reporting_organisation": registry.organisation(item.reporting_org),
        "start_date": item.dates.get("1") or item.dates.get("2"),
        "end_date": item.dates.get("3"),
        "objectives_vocabulary_uri": "" if uri == mapping.FALLBACK_VOCABULARY_URI else uri[:200],
    }
    programme, _ = Programme.objects.update_or_create(iati_identifier=item.identifier, defaults=values)
    return programme


__all__ = ["IatiRefused", "ImportReport", "Problem", "check", "import_file", "own_reporting_refs"]
