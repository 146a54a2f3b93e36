"""Check an IATI tree: the official XSD, the codelists, and the IATI rules Palermo relies on.

Every problem carries the line and the path of the element, so a refused file can be fixed.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from lxml import etree

from palermo.iati import codes
from palermo.iati.problems import Problem, line_of
from palermo.iati.xml_reader import date_of, dimension_of, to_date, to_decimal

SCHEMA_FILE = "iati-activities-schema.xsd"
PERCENT_TOLERANCE = Decimal("0.01")


class SchemaMissing(Exception):
    pass


@lru_cache(maxsize=2)
def activity_schema(schema_dir: str) -> etree.XMLSchema:
    """The compiled XSD (``iati-common.xsd`` and ``xml.xsd`` must sit beside it); read once per process."""
    path = Path(schema_dir) / SCHEMA_FILE
    if not path.is_file():
        raise SchemaMissing(f"the IATI schema {path} is missing (set PALERMO_IATI_SCHEMA_DIR)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser=parser))


def schema_problems(tree: etree._ElementTree, schema_dir: str) -> list[Problem]:
    schema = activity_schema(schema_dir)
    if schema.validate(tree):
        return []
    return [
        Problem(error.line, error.path or "", f"not valid against the IATI 2.03 schema: {error.message}")
        for error in schema.error_log  # type: ignore[attr-defined]
    ]


def _parent_tag(element: etree._Element) -> str:
    parent = element.getparent()
    return str(parent.tag) if parent is not None else ""


def _path(element: etree._Element) -> str:
    return element.getroottree().getpath(element)


def _code_problem(
    element: etree._Element,
    attribute: str,
    allowed: set[str] | frozenset[str] | dict[str, str],
    list_name: str,
    warning: bool = False,
) -> Problem | None:
    value = element.get(attribute)
    if value is None or value in allowed:
        return None
    return Problem(
        line_of(element),
        f"{_path(element)}/@{attribute}",
        f"{value!r} is not a code of the {list_name} codelist" + (" (ignored)" if warning else ""),
        warning,
    )


# (relative XPath from iati-activity, attribute, allowed codes, codelist name)
EMBEDDED_CHECKS: list[tuple[str, str, set[str] | frozenset[str] | dict[str, str], str]] = [
    ("activity-status", "code", codes.ACTIVITY_STATUS, "ActivityStatus"),
    ("activity-date", "type", codes.ACTIVITY_DATE_TYPE, "ActivityDateType"),
    ("participating-org", "role", codes.ORGANISATION_ROLE, "OrganisationRole"),
    ("participating-org", "type", codes.ORGANISATION_TYPE, "OrganisationType"),
    ("reporting-org", "type", codes.ORGANISATION_TYPE, "OrganisationType"),
    ("description", "type", codes.DESCRIPTION_TYPE, "DescriptionType"),
    ("activity-scope", "code", codes.ACTIVITY_SCOPE, "ActivityScope"),
    ("recipient-region", "vocabulary", codes.REGION_VOCABULARY, "RegionVocabulary"),
    ("sector", "vocabulary", codes.SECTOR_VOCABULARY, "SectorVocabulary"),
    ("tag", "vocabulary", codes.TAG_VOCABULARY, "TagVocabulary"),
    ("collaboration-type", "code", codes.COLLABORATION_TYPE, "CollaborationType"),
    ("budget", "type", codes.BUDGET_TYPE, "BudgetType"),
    ("budget", "status", codes.BUDGET_STATUS, "BudgetStatus"),
    ("transaction/transaction-type", "code", codes.TRANSACTION_TYPE, "TransactionType"),
    ("document-link/category", "code", codes.DOCUMENT_CATEGORY, "DocumentCategory"),
    ("related-activity", "type", codes.RELATED_ACTIVITY_TYPE, "RelatedActivityType"),
    ("result", "type", codes.RESULT_TYPE, "ResultType"),
    ("result/indicator", "measure", codes.INDICATOR_MEASURE, "IndicatorMeasure"),
]


def _long_list_checks(activity: etree._Element, lists: codes.LongCodelists) -> list[Problem]:
    found: list[Problem | None] = []
    if lists.country is not None:
        found += [_code_problem(e, "code", lists.country, "Country") for e in activity.iterfind("recipient-country")]
        found += [
            _code_problem(e, "code", lists.country, "Country", warning=True)
            for e in activity.iterfind("transaction/recipient-country")
        ]
    if lists.currency is not None:
        found.append(_code_problem(activity, "default-currency", lists.currency, "Currency"))
        found += [_code_problem(e, "currency", lists.currency, "Currency") for e in activity.iter("value")]
    if lists.crs_channel is not None:
        found += [
            _code_problem(e, "crs-channel-code", lists.crs_channel, "CRSChannelCode", warning=True)
            for e in activity.iterfind("participating-org")
        ]
    if lists.region is not None:
        found += [
            _code_problem(e, "code", lists.region, "Region", warning=_parent_tag(e) == "transaction")
            for e in activity.iterfind(".//recipient-region")
            if e.get("vocabulary", "1") == "1"
        ]
    by_vocabulary = {
        "1": (lists.sector, "Sector"),
        "2": (lists.sector_category, "SectorCategory"),
        "8": (lists.sdg_target, "UNSDG-Targets"),
        "7": (lists.sdg_goal, "UNSDG-Goals"),
    }
    for sector in activity.iterfind(".//sector"):
        allowed, name = by_vocabulary.get(sector.get("vocabulary", "1"), (None, ""))
        if allowed is not None:
            found.append(_code_problem(sector, "code", allowed, name, warning=_parent_tag(sector) == "transaction"))
    tag_lists = {"2": (lists.sdg_goal, "UNSDG-Goals"), "3": (lists.sdg_target, "UNSDG-Targets")}
    for tag in activity.iterfind("tag"):
        allowed, name = tag_lists.get(tag.get("vocabulary", "1"), (None, ""))
        if allowed is not None:
            found.append(_code_problem(tag, "code", allowed, name))
    return [problem for problem in found if problem is not None]


def _percentages(activity: etree._Element, elements: list[etree._Element], what: str) -> list[Problem]:
    """IATI rules 3.1.1/3.1.2 and 2.1.1/2.1.2: several shares each need a percentage, summing to 100."""
    if not elements:
        return []
    values = [to_decimal(e.get("percentage")) for e in elements]
    where = Problem(line_of(elements[0]), _path(activity), "")
    if len(elements) == 1:
        if values[0] is not None and abs(values[0] - 100) > PERCENT_TOLERANCE:
            return [Problem(where.line, where.path, f"a single {what} must have no percentage or 100, not {values[0]}")]
        return []
    if any(value is None for value in values):
        return [Problem(where.line, where.path, f"each of several {what}s needs a percentage")]
    total = sum((value for value in values if value is not None), Decimal(0))
    if abs(total - 100) > PERCENT_TOLERANCE:
        return [Problem(where.line, where.path, f"the {what} percentages sum to {total}, not 100")]
    return []


def _date_order(activity: etree._Element) -> list[Problem]:
    dates = {e.get("type"): (to_date(e.get("iso-date")), e) for e in activity.iterfind("activity-date")}
    found = []
    for start, end, label in (("1", "3", "planned"), ("2", "4", "actual")):
        if start in dates and end in dates:
            (start_day, _), (end_day, element) = dates[start], dates[end]
            if start_day and end_day and end_day < start_day:
                found.append(
                    Problem(line_of(element), _path(element), f"the {label} end is before the {label} start")
                )
    for tag in ("budget", ".//period"):
        for element in activity.iterfind(tag):
            start_day = date_of(element, "period-start")
            end_day = date_of(element, "period-end")
            if start_day and end_day and end_day < start_day:
                found.append(Problem(line_of(element), _path(element), "the period ends before it starts"))
    return found


def _breakdown_problems(activity: etree._Element) -> list[Problem]:
    """Breakdowns Palermo cannot keep (by something else than sex or age, or by several dimensions at once)
    are passed over, and said so."""
    return [
        Problem(
            line_of(element),
            _path(element),
            "only breakdowns by sex or by age, one at a time, are imported: these dimensions are passed over",
            warning=True,
        )
        for element in activity.iterfind(".//period/*")
        if element.tag in ("target", "actual")
        and element.find("dimension") is not None
        and dimension_of(element) is None
    ]


def rule_problems(tree: etree._ElementTree, lists: codes.LongCodelists) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    for activity in tree.getroot().iterfind("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        if identifier in seen:
            problems.append(
                Problem(
                    line_of(activity),
                    _path(activity),
                    f"the identifier {identifier!r} already appears at line {seen[identifier]}",
                )
            )
        seen[identifier] = line_of(activity)
        for xpath, attribute, allowed, name in EMBEDDED_CHECKS:
            problems += [p for p in (_code_problem(e, attribute, allowed, name) for e in activity.iterfind(xpath)) if p]
        problems += _long_list_checks(activity, lists)
        places = activity.findall("recipient-country") + activity.findall("recipient-region")
        problems += _percentages(activity, places, "recipient country or region")
        by_vocabulary: dict[str, list[etree._Element]] = defaultdict(list)
        for sector in activity.iterfind("sector"):
            by_vocabulary[sector.get("vocabulary", "1")].append(sector)
        for vocabulary, sectors in sorted(by_vocabulary.items()):
            problems += _percentages(activity, sectors, f"sector (vocabulary {vocabulary})")
        problems += _date_order(activity)
        problems += _breakdown_problems(activity)
    return problems
