"""Indicator lists as CSV, one row per indicator: ``list, dimension, strength, code, text_en, text_fr, source``.

``export_rows`` writes the active version of each list; ``import_indicators`` loads a file as a *new version* of
each list it names, all or nothing, audited. Old versions stay, so screenings keep the version they used.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max

from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.reference.loading import STRENGTHS, ReferenceDataError, check_indicator_list
from palermo.reference.models import Indicator, IndicatorDimension, IndicatorList

if TYPE_CHECKING:
    from palermo.accounts.access import Actor

COLUMNS = ("list", "dimension", "strength", "code", "text_en", "text_fr", "source")
CODE = re.compile(r"^[a-z0-9_-]{1,120}$")
TEXT_MAX = 400
SOURCE_MAX = 500
FORMULA_ESCAPED = re.compile(r"^'[=+\-@\t\r]")  # what palermo.tabular writes before a formula-like text


class IndicatorFileError(ValueError):
    """The file cannot be loaded; every problem names its row and field. Nothing was written."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def active_lists() -> list[IndicatorList]:
    newest = IndicatorList.objects.values("code").annotate(newest=Max("pk")).values("newest")
    return list(IndicatorList.objects.filter(pk__in=newest).order_by("code"))


def export_rows(codes: Sequence[str] = ()) -> list[list[str]]:
    rows = []
    for indicator_list in active_lists():
        if codes and indicator_list.code not in codes:
            continue
        for item in indicator_list.indicators.order_by("dimension__order", "pk"):
            rows.append([indicator_list.code, item.dimension_id, item.strength, item.code, item.text_en, item.text_fr,
                         indicator_list.source])
    return rows


def _unescape(text: str) -> str:
    return text[1:] if FORMULA_ESCAPED.match(text) else text


@dataclass
class NewList:
    previous: IndicatorList
    rows: list[dict[str, str]]

    @property
    def source(self) -> str:
        return " | ".join(dict.fromkeys(row["source"] for row in self.rows))


def read_file(text: str, lists: dict[str, IndicatorList], dimensions: set[str]) -> dict[str, NewList]:
    """Check every row; raise IndicatorFileError with every problem found."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        raise IndicatorFileError([f"row 1: the columns must be {', '.join(COLUMNS)}"
                                  + (f"; missing: {', '.join(missing)}" if missing else "")
                                  + (f"; unknown: {', '.join(unknown)}" if unknown else "")])
    problems: list[str] = []
    found: dict[str, NewList] = {}
    seen: set[tuple[str, str, str]] = set()
    for number, raw in enumerate(reader, start=2):
        row = {name: _unescape((raw.get(name) or "").strip()) for name in COLUMNS}
        where = f"row {number}"
        if None in raw:
            problems.append(f"{where}: more cells than columns")
        if row["list"] not in lists:
            problems.append(f"{where}, list: unknown list {row['list']!r}; the lists are {', '.join(sorted(lists))}")
        if row["dimension"] not in dimensions:
            problems.append(f"{where}, dimension: unknown dimension {row['dimension']!r}")
        if row["strength"] not in STRENGTHS:
            problems.append(f"{where}, strength: must be one of {', '.join(STRENGTHS)}")
        if not CODE.match(row["code"]):
            problems.append(f"{where}, code: lower-case letters, digits, '_' or '-', at most 120")
        for name, limit in (("text_en", TEXT_MAX), ("text_fr", TEXT_MAX), ("source", SOURCE_MAX)):
            if not row[name]:
                problems.append(f"{where}, {name}: empty")
            elif len(row[name]) > limit:
                problems.append(f"{where}, {name}: longer than {limit} characters")
        key = (row["list"], row["dimension"], row["code"])
        if key in seen:
            problems.append(f"{where}, code: {row['dimension']}/{row['code']} is already in list {row['list']}")
        seen.add(key)
        if row["list"] in lists:
            found.setdefault(row["list"], NewList(lists[row["list"]], [])).rows.append(row)
    if not found and not problems:
        problems.append("the file holds no indicator")
    for code, new in found.items():
        if len(new.source) > SOURCE_MAX:
            problems.append(f"list {code}: its sources together are longer than {SOURCE_MAX} characters")
        try:
            check_indicator_list(_spec(new), dimensions)
        except ReferenceDataError as error:
            problems.append(f"list {code}: {error}")
    if problems:
        raise IndicatorFileError(problems)
    return found


def _spec(new: NewList) -> dict[str, Any]:
    previous = new.previous
    return {"code": previous.code, "population": previous.population, "exploitation": previous.exploitation,
            "dimension_rule": previous.dimension_rule, "case_rule": previous.case_rule, "source": new.source,
            "indicators": new.rows}


@transaction.atomic
def import_indicators(*, actor: Actor, text: str, file_name: str, version: str = "",
                      verified: bool = False) -> list[IndicatorList]:
    """Each list the file names becomes a new version (rules and names taken from its active version), all or
    nothing. ``verified`` says the wording was checked against the publication it cites."""
    version = version or date.today().isoformat()
    lists = {item.code: item for item in active_lists()}
    dimensions = set(IndicatorDimension.objects.values_list("code", flat=True))
    found = read_file(text, lists, dimensions)
    taken = [code for code in found if IndicatorList.objects.filter(code=code, version=version).exists()]
    if taken:
        raise IndicatorFileError([f"list {code}: version {version} exists already; give another --version"
                                  for code in taken])
    created = []
    for code, new in found.items():
        previous = new.previous
        indicator_list = IndicatorList.objects.create(
            code=code, version=version, name_en=previous.name_en, name_fr=previous.name_fr,
            population=previous.population, exploitation=previous.exploitation,
            dimension_rule=previous.dimension_rule, case_rule=previous.case_rule, verified=verified,
            source=new.source)
        Indicator.objects.bulk_create(
            Indicator(indicator_list=indicator_list, dimension_id=row["dimension"], code=row["code"],
                      strength=row["strength"], text_en=row["text_en"], text_fr=row["text_fr"]) for row in new.rows)
        record(actor=actor, action=AuditEvent.Action.IMPORT, object_type="reference.indicatorlist",
               object_id=indicator_list.pk,
               detail={"list": code, "version": version, "replaces": previous.version, "indicators": len(new.rows),
                       "verified": verified, "file": file_name[:200]})
        created.append(indicator_list)
    return created
