"""The IATI Standard ruleset (``IATI-Rulesets`` ``rulesets/standard.json``, the file the IATI Validator takes its
business rules from) applied to an activities document with lxml's XPath: every rule type the file uses for
activities, except the two that need the IATI Registry's list of published organisation identifiers, which are
read as the Validator reads them for an identifier the Registry does not know (``idCondition``): 1.14.8 then
asks that the identifier start with an approved agency code (the OrganisationRegistrationAgency codelist).

Test helper only: the platform itself never reads the shared data sets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    activity: str


def _values(element: Any, path: str) -> list[Any]:
    found = element.xpath(path)
    return found if isinstance(found, list) else [found]


def _truth(element: Any, expression: str) -> bool:
    return bool(element.xpath(f"boolean({expression})"))


def _texts(element: Any, path: str) -> list[str]:
    """What a path holds as text: an element's text, an attribute's value."""
    return [(v.text or "") if isinstance(v, etree._Element) else str(v) for v in _values(element, path)]


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


class Ruleset:
    def __init__(self, path: Path, agencies: set[str], today: date) -> None:
        self.rules = json.loads(path.read_text())
        self.agencies = agencies
        self.today = today
        self.skipped: set[str] = set()

    def check(self, document: Any) -> list[Finding]:
        findings: list[Finding] = []
        root = document.getroot() if hasattr(document, "getroot") else document
        for context, rules in self.rules.items():
            if not context.startswith(("/iati-activities", "//")):
                continue
            for element in root.xpath(context.replace("/iati-activities", "/iati-activities", 1)):
                activity = element if element.tag == "iati-activity" else next(
                    (a for a in element.iterancestors("iati-activity")), element)
                identifier = (activity.findtext("iati-identifier") or "").strip()
                for kind, body in rules.items():
                    for case in body["cases"]:
                        findings += [Finding(info["id"], info["severity"], info["message"], identifier)
                                     for info in self._case(element, kind, case)]
        return findings

    def _case(self, element: Any, kind: str, case: dict[str, Any], bind: str | None = None) -> Iterator[dict[str, Any]]:
        if bind is not None:
            case = json.loads(json.dumps(case).replace("$1", bind))
        info = case.get("ruleInfo", {})
        condition = case.get("condition")
        if condition and not _truth(element, condition):
            return
        paths = case.get("paths", [])
        if kind == "loop":
            for value in set(_texts(element, case["foreach"])):
                for inner_kind, inner in case["do"].items():
                    for inner_case in inner["cases"]:
                        yield from self._case(element, inner_kind, inner_case, value)
            return
        if kind == "atleast_one":
            if not any(_values(element, p) for p in paths):
                yield info
        elif kind == "no_more_than_one":
            if sum(len(_values(element, p)) for p in paths) > 1:
                yield info
        elif kind == "unique":
            values = [v for p in paths for v in _texts(element, p)]
            if len(values) != len(set(values)):
                yield info
        elif kind == "no_spaces":
            if any(v != v.strip() for p in paths for v in _texts(element, p)):
                yield info
        elif kind == "regex_matches":
            if any(not re.search(case["regex"], v) for p in paths for v in _texts(element, p)):
                yield info
        elif kind == "startswith":
            for p in paths:
                for value in _texts(element, p):
                    if case["prefix"] == ["ORG-ID-PREFIX"]:
                        ok = any(value.startswith(agency + "-") for agency in self.agencies)
                    else:
                        prefixes = [v for q in case["prefix"] for v in _texts(element, q)]
                        ok = not prefixes or any(value.startswith(x + case.get("separator", "")) for x in prefixes)
                    if not ok:
                        yield info
        elif kind in ("strict_sum", "sum"):
            values = [v for p in paths for v in _texts(element, p)]
            try:
                total = sum((Decimal(v) for v in values), Decimal(0))
            except InvalidOperation:
                yield info
                return
            if values and total != Decimal(str(case["sum"])):
                yield info
        elif kind == "range":
            for p in paths:
                for value in _texts(element, p):
                    try:
                        number = Decimal(value)
                    except InvalidOperation:
                        yield info
                        continue
                    if not Decimal(str(case.get("min", "-Infinity"))) <= number <= Decimal(
                            str(case.get("max", "Infinity"))):
                        yield info
        elif kind == "if_then":
            if _truth(element, case["if"]) and not _truth(element, case["then"]):
                yield info
        elif kind == "one_or_all":
            one, every = case["one"], case["all"]
            if not _values(element, one):
                if every == "currency":
                    if any(not v.get("currency") for v in element.iter("value")):
                        yield info
                elif every == "lang" and any(n.get("{http://www.w3.org/XML/1998/namespace}lang") is None
                                             for n in element.iter("narrative")):
                    yield info
                # "sector": 6.7.2 (sectors on every transaction or none) is 6.6.2 read the other way
        elif kind == "date_order":
            less, more = case["less"], case["more"]
            lows = [_day(v) for v in _texts(element, less)]
            highs = [self.today] if more == "NOW" else [_day(v) for v in _texts(element, more)]
            if any(a and b and a > b for a in lows for b in highs):
                yield info
        elif kind == "date_now":
            if any((d := _day(v)) and d > self.today for v in _texts(element, case["date"])):
                yield info
        elif kind == "time_limit":
            starts, ends = _texts(element, case["start"]), _texts(element, case["end"])
            for start, end in zip(starts, ends, strict=False):
                a, b = _day(start), _day(end)
                if a and b and (b - a).days > 366:
                    yield info
        else:
            self.skipped.add(kind)


def agencies(codelist: Path) -> set[str]:
    tree = etree.parse(str(codelist))
    return {code.text for code in tree.iter("code") if code.text}
