"""Reading network files without Django: FollowTheMoney JSON lines, and spreadsheets (CSV) with a column mapping
(edge lists, call-detail records, money transfers, adjacency matrices).

A reader checks every line or row and names each problem (row, column or property, value, reason); the service
writes nothing when there is one. FtM files are checked against the ``followthemoney`` model itself (its schemata and
properties, its value types): an unknown schema or property is refused with its line number. Spreadsheets are read
in two passes (``check`` then ``rows``) so that millions of rows never sit in memory.
"""

from __future__ import annotations

import csv
import json
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema
from followthemoney.types import registry

from palermo.networks import plain

# Kinds of shared value (SharedValue.Kind) by FtM property type, with the properties that say otherwise.
VALUE_KINDS = {"phone": "phone", "email": "email", "address": "address", "iban": "account", "identifier": "identifier"}
PROPERTY_KINDS = {"accountNumber": "account", "iban": "account", "registrationNumber": "plate", "callerNumber": "phone",
                  "receiverNumber": "phone"}
# Entities the chart draws as links, not nodes (FtM edge schemata, and Call between a caller and a receiver).
CALL_ENDS = ("caller", "receiver")
DATE_PROPERTIES = ("date", "startDate", "endDate", "birthDate", "incorporationDate", "registrationDate")
MAX_PROBLEMS = 1000

KINDS = ("edges", "calls", "payments", "matrix")
# The columns each spreadsheet kind reads: (name, required). A mapping names the file's column for each.
KIND_COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "edges": (("source", True), ("target", True), ("weight", False), ("date", False), ("relationship", False),
              ("source_type", False), ("target_type", False)),
    "calls": (("caller", True), ("receiver", True), ("date", False), ("duration", False)),
    "payments": (("payer", True), ("beneficiary", True), ("amount", False), ("currency", False), ("date", False),
                 ("purpose", False)),
    "matrix": (),
}
# Names a file's header may use for each column when no mapping is given.
COLUMN_ALIASES = {
    "source": ("source", "src", "from", "subject", "person", "person_a", "a"),
    "target": ("target", "dst", "to", "object", "associate", "person_b", "b"),
    "weight": ("weight", "w", "count", "strength"),
    "date": ("date", "start", "start_date", "datetime", "time", "timestamp", "day"),
    "relationship": ("relationship", "type", "relation", "label"),
    "caller": ("caller", "calling", "a_number", "from", "msisdn_a", "caller_number"),
    "receiver": ("receiver", "called", "b_number", "to", "msisdn_b", "receiver_number", "callee"),
    "duration": ("duration", "seconds", "duration_s"),
    "payer": ("payer", "sender", "from", "from_account", "payer_account", "ordering_account", "source"),
    "beneficiary": ("beneficiary", "receiver", "to", "to_account", "beneficiary_account", "target"),
    "amount": ("amount", "value", "sum"),
    "currency": ("currency", "ccy"),
    "purpose": ("purpose", "reference", "description"),
    "source_type": ("source_type",),
    "target_type": ("target_type",),
}
NODE_SCHEMA = {"edges": "Person", "calls": "UserAccount", "payments": "BankAccount", "matrix": "Person"}
LINK_SCHEMA = {"edges": "Associate", "calls": "Call", "payments": "Payment", "matrix": "UnknownLink"}


def gettext_noop(message: str) -> str:
    return message


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class ParsedEntity:
    ftm_id: str
    schema: str
    caption: str
    properties: dict[str, list[str]]
    row: int
    is_edge: bool = False
    first_date: date | None = None
    last_date: date | None = None
    values: list[tuple[str, str]] = field(default_factory=list)  # (kind, normalised value)


@dataclass(frozen=True)
class ParsedLink:
    from_id: str
    to_id: str
    schema: str
    edge_id: str | None
    weight: float
    date: date | None
    amount: float | None = None
    currency: str = ""


# --- values -------------------------------------------------------------------------------------------------------

def parse_day(text: str) -> date | None:
    """The day of an FtM date (``2024``, ``2024-03``, ``2024-03-05T10:00``): partial dates take their first day."""
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text.strip())
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def normalise_value(kind: str, value: str) -> str:
    text = " ".join(value.split())
    if kind in ("email", "address"):
        return text.casefold()[:300]
    if kind in ("account", "plate", "identifier"):
        return re.sub(r"[\s\-./]", "", text).upper()[:300]
    return text[:300]


def shared_values(proxy: EntityProxy) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for prop, value in proxy.itervalues():
        kind = PROPERTY_KINDS.get(prop.name) or VALUE_KINDS.get(prop.type.name)
        if kind == "plate" and proxy.schema.name != "Vehicle":
            kind = "identifier"
        if kind:
            normalised = normalise_value(kind, value)
            if normalised and (kind, normalised) not in found:
                found.append((kind, normalised))
    return found


def extent(proxy: EntityProxy) -> tuple[date | None, date | None]:
    days = [day for name in ("date", "startDate", "endDate") if proxy.schema.get(name) is not None
            for day in (parse_day(v) for v in proxy.get(name)) if day is not None]
    return (min(days), max(days)) if days else (None, None)


def links_of(proxy: EntityProxy) -> list[ParsedLink]:
    """The links an entity makes: an edge schema from its source to its target; a Call from caller to receiver;
    any other entity reference (a passport's holder, a vehicle's owner, an address entity) from the entity to the
    one it names."""
    schema: Schema = proxy.schema
    first, _last = extent(proxy)
    links: list[ParsedLink] = []
    amount = _number(proxy.first("amount")) if schema.get("amount") is not None else None
    currency = (proxy.first("currency") or "") if schema.get("currency") is not None else ""
    if schema.edge and schema.edge_source and schema.edge_target:
        for source in proxy.get(schema.edge_source):
            for target in proxy.get(schema.edge_target):
                links.append(ParsedLink(source, target, schema.name, proxy.id, 1.0, first, amount, currency[:3]))
        return links
    if schema.name == "Call":
        duration = _number(proxy.first("duration"))
        for source in proxy.get("caller"):
            for target in proxy.get("receiver"):
                links.append(ParsedLink(source, target, "Call", proxy.id, 1.0, first, duration))
        if links:
            return links
    for prop, value in proxy.itervalues():
        if prop.type == registry.entity and not prop.stub:
            links.append(ParsedLink(str(proxy.id), value, f"{schema.name}:{prop.name}", None, 1.0, first))
    return links


def is_edge_entity(proxy: EntityProxy) -> bool:
    schema = proxy.schema
    if schema.edge and schema.edge_source and schema.edge_target:
        return bool(proxy.get(schema.edge_source) and proxy.get(schema.edge_target))
    return schema.name == "Call" and bool(proxy.get("caller") and proxy.get("receiver"))


def _number(text: str | None) -> float | None:
    if text is None or not str(text).strip():
        return None
    try:
        return float(str(text).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


# --- FollowTheMoney JSON lines --------------------------------------------------------------------------------------

@dataclass
class FtmFile:
    entities: list[ParsedEntity]
    links: list[ParsedLink]
    problems: list[Problem]
    lines: int


def read_ftm(path: str | Path, *, country: str, known_ids: Callable[[set[str]], set[str]] | None = None,
             progress: Callable[[int], None] | None = None) -> FtmFile:
    """Every line an FtM entity (``{"id", "schema", "properties"}``): the schema and each property must exist in the
    FollowTheMoney model, each value must be valid for its type (phones read with ``country`` as the hint), and an
    entity named by another must be in the file or already in the network (``known_ids``)."""
    entities: list[ParsedEntity] = []
    links: list[ParsedLink] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    hint = country.lower()
    lines = 0
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            lines = number
            if progress and number % 10000 == 0:
                progress(number)
            if not line.strip():
                continue
            if len(problems) >= MAX_PROBLEMS:
                break
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(Problem(number, "", line[:80].strip(), f"not JSON: {error.msg}"))
                continue
            if not isinstance(data, dict):
                problems.append(Problem(number, "", line[:80].strip(), gettext_noop("not a JSON object")))
                continue
            parsed = _ftm_entity(data, number, hint, problems)
            if parsed is None:
                continue
            entity, proxy = parsed
            if entity.ftm_id in seen:
                problems.append(Problem(number, "id", entity.ftm_id,
                                        f"the same id is already on line {seen[entity.ftm_id]}"))
                continue
            seen[entity.ftm_id] = number
            entities.append(entity)
            for link in links_of(proxy):
                links.append(link)
    referenced = {end for link in links for end in (link.from_id, link.to_id)} - set(seen)
    missing = referenced - (known_ids(referenced) if known_ids and referenced else set())
    if missing:
        by_id = {entity.ftm_id: entity.row for entity in entities}
        for link in links:
            for end in (link.from_id, link.to_id):
                if end in missing:
                    row = by_id.get(link.edge_id or link.from_id, 0)
                    problems.append(Problem(row, link.schema, end,
                                            gettext_noop("names an entity that is neither in the file nor in the "
                                                         "network")))
                    missing.discard(end)
    return FtmFile(entities, links, problems[:MAX_PROBLEMS], lines)


def _ftm_entity(data: dict[str, Any], number: int, hint: str,
                problems: list[Problem]) -> tuple[ParsedEntity, EntityProxy] | None:
    schema_name = data.get("schema")
    schema = model.get(schema_name) if isinstance(schema_name, str) else None
    if schema is None:
        problems.append(Problem(number, "schema", str(schema_name), gettext_noop("unknown FollowTheMoney schema")))
        return None
    if schema.abstract:
        problems.append(Problem(number, "schema", schema.name,
                                gettext_noop("an abstract FollowTheMoney schema: use one of its descendants")))
        return None
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip() or len(entity_id) > 128:
        problems.append(Problem(number, "id", str(entity_id)[:80], gettext_noop("missing id (text of at most 128 "
                                                                               "characters)")))
        return None
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        problems.append(Problem(number, "properties", str(properties)[:80], gettext_noop("not a JSON object")))
        return None
    proxy = model.make_entity(schema)
    proxy.id = entity_id.strip()
    before = len(problems)
    for name, values in properties.items():
        prop = schema.get(name)
        if prop is None:
            problems.append(Problem(number, str(name), "", f"unknown property of {schema.name}"))
            continue
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                problems.append(Problem(number, name, str(value)[:80], gettext_noop("not a text value")))
                continue
            text = str(value)
            cleaned = prop.type.clean(text, proxy=proxy, format=hint) if prop.type == registry.phone else \
                prop.type.clean(text, proxy=proxy)
            if cleaned is None and text.strip():
                problems.append(Problem(number, name, text[:80], f"not a valid {prop.type.name}"))
                continue
            if cleaned is not None:
                proxy.unsafe_add(prop, cleaned, cleaned=True)
    if len(problems) > before:
        return None
    first, last = extent(proxy)
    entity = ParsedEntity(
        ftm_id=str(proxy.id), schema=schema.name, caption=_caption(proxy), properties=proxy.to_dict()["properties"],
        row=number, is_edge=is_edge_entity(proxy), first_date=first, last_date=last, values=shared_values(proxy))
    return entity, proxy


def _caption(proxy: EntityProxy) -> str:
    caption = proxy.caption
    return (caption if caption != proxy.schema.label else "")[:300]


# --- spreadsheets ---------------------------------------------------------------------------------------------------

@dataclass
class Mapping:
    """Which column of the file is which: by header name, or by position (0, 1...) for a file without header."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    header: bool | None = None  # None: detected
    node_schema: str = ""
    link_schema: str = ""

    @property
    def nodes(self) -> str:
        return self.node_schema or NODE_SCHEMA[self.kind]

    @property
    def link(self) -> str:
        return self.link_schema or LINK_SCHEMA[self.kind]


def parse_mapping(text: str) -> dict[str, str]:
    """``source=caller,target=callee`` → ``{"source": "caller", "target": "callee"}``."""
    mapping: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, _sep, column = part.partition("=")
        if not _sep or not name.strip() or not column.strip():
            raise ValueError(f"{part!r}: write name=column")
        mapping[name.strip()] = column.strip()
    return mapping


def _dialect(sample: str) -> str:
    first = next((line for line in sample.splitlines() if line.strip()), "")
    for delimiter in ("\t", ";", ","):
        if delimiter in first:
            return delimiter
    return " "


def _records(path: str | Path) -> Iterator[tuple[int, list[str], str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(65536)
        handle.seek(0)
        delimiter = _dialect(sample)
        if delimiter == " ":
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line.split(), delimiter
            return
        for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
            if any(cell.strip() for cell in row):
                yield number, [cell.strip() for cell in row], delimiter


def _looks_like_header(cells: list[str]) -> bool:
    return any(cell and not re.fullmatch(r"-?\d+(\.\d+)?", cell) for cell in cells)


@dataclass
class SheetCheck:
    """The result of the first pass: problems, the nodes (label → first row), rows and links counted."""

    problems: list[Problem]
    nodes: dict[str, int]
    rows: int
    links: int
    positions: dict[str, int]
    header: bool
    labels: list[str] = field(default_factory=list)
    # A plain edge list (source, target, weight) kept from the first pass as arrays of node positions (in the order
    # of ``nodes``) and weights: the second pass over the file is then not needed (``plain.py``).
    edges: tuple[array, array, array] | None = None


def _positions(mapping: Mapping, header_cells: list[str] | None) -> tuple[dict[str, int], list[Problem]]:
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    lowered = [cell.strip().casefold() for cell in header_cells] if header_cells is not None else None
    for name, required in KIND_COLUMNS[mapping.kind]:
        wanted = mapping.columns.get(name)
        if wanted is not None and wanted.isdigit() and (lowered is None or wanted.casefold() not in lowered):
            positions[name] = int(wanted)
            continue
        if lowered is None:
            if wanted is None and name in ("source", "caller", "payer") and required:
                positions[name] = 0
            elif wanted is None and name in ("target", "receiver", "beneficiary") and required:
                positions[name] = 1
            elif wanted is None and name == "weight":
                positions[name] = 2
            elif required:
                problems.append(Problem(1, name, wanted or "", gettext_noop("no such column")))
            continue
        candidates = [wanted.casefold()] if wanted is not None else list(COLUMN_ALIASES.get(name, (name,)))
        found = next((lowered.index(c) for c in candidates if c in lowered), None)
        if found is not None:
            positions[name] = found
        elif required or wanted is not None:
            problems.append(Problem(1, name, wanted or "", gettext_noop("no such column in the header")))
    unknown = set(mapping.columns) - {name for name, _required in KIND_COLUMNS[mapping.kind]}
    for name in sorted(unknown):
        problems.append(Problem(1, name, mapping.columns[name], gettext_noop("not a column this kind of file "
                                                                             "reads")))
    return positions, problems


def check_sheet(path: str | Path, mapping: Mapping, progress: Callable[[int], None] | None = None) -> SheetCheck:
    """First pass over a spreadsheet: every row checked, the nodes collected; nothing else kept."""
    if mapping.kind == "matrix":
        from palermo.networks import matrix

        return matrix.check_matrix(path)
    problems: list[Problem] = []
    nodes: dict[str, int] = {}
    records = _records(path)
    first = next(records, None)
    if first is None:
        return SheetCheck([Problem(1, "", "", gettext_noop("the file is empty"))], {}, 0, 0, {}, False)
    header = mapping.header if mapping.header is not None else _looks_like_header(first[1])
    positions, problems = _positions(mapping, first[1] if header else None)
    if problems:
        return SheetCheck(problems, {}, 0, 0, positions, header)
    chain = records if header else _chain(first, records)
    if mapping.kind == "edges" and set(positions) <= {"source", "target", "weight"}:
        fast = plain.vectorised_edges(path, first[2], positions, header)
        if fast is not None:
            if progress:
                progress(fast.rows)
            return fast
        return plain.check_edges(chain, positions, mapping, header, progress, _row_problems, MAX_PROBLEMS)
    rows = links = 0
    for number, cells, _delimiter in chain:
        rows += 1
        if progress and rows % 100000 == 0:
            progress(rows)
        row_problems = _row_problems(number, cells, positions, mapping)
        if row_problems:
            if len(problems) < MAX_PROBLEMS:
                problems.extend(row_problems)
            continue
        ends = _ends(cells, positions, mapping)
        for end in ends:
            nodes.setdefault(end, number)
        links += 1
    return SheetCheck(problems[:MAX_PROBLEMS], nodes, rows, links, positions, header)


def _chain(first: tuple[int, list[str], str],
           rest: Iterator[tuple[int, list[str], str]]) -> Iterator[tuple[int, list[str], str]]:
    yield first
    yield from rest


def _ends(cells: list[str], positions: dict[str, int], mapping: Mapping) -> tuple[str, str]:
    a, b = {"edges": ("source", "target"), "calls": ("caller", "receiver"),
            "payments": ("payer", "beneficiary")}[mapping.kind]
    return _node_label(cells[positions[a]], mapping), _node_label(cells[positions[b]], mapping)


def _node_label(text: str, mapping: Mapping) -> str:
    if mapping.kind == "calls":
        return re.sub(r"[\s\-().]", "", text)
    if mapping.kind == "payments":
        return normalise_value("account", text)
    return text.strip()


def _row_problems(number: int, cells: list[str], positions: dict[str, int], mapping: Mapping) -> list[Problem]:
    problems: list[Problem] = []
    for name, required in KIND_COLUMNS[mapping.kind]:
        position = positions.get(name)
        if position is None:
            continue
        value = cells[position].strip() if position < len(cells) else ""
        if not value:
            if required:
                problems.append(Problem(number, name, "", gettext_noop("missing value")))
            continue
        if name in ("weight", "duration", "amount"):
            number_value = _number(value)
            if number_value is None or number_value < 0:
                problems.append(Problem(number, name, value[:80], gettext_noop("not a number of at least 0")))
        elif name == "date" and parse_day(value) is None:
            problems.append(Problem(number, name, value[:80], gettext_noop("not a date (YYYY-MM-DD)")))
        elif name in ("caller", "receiver") and not re.fullmatch(r"\+?[\d\s\-().]{3,30}", value):
            problems.append(Problem(number, name, value[:80], gettext_noop("not a phone number")))
        elif name == "currency" and not re.fullmatch(r"[A-Za-z]{3}", value):
            problems.append(Problem(number, name, value[:80], gettext_noop("not a currency code (EUR)")))
        elif len(value) > 300:
            problems.append(Problem(number, name, value[:80], gettext_noop("longer than 300 characters")))
    return problems


def sheet_links(path: str | Path, mapping: Mapping, check: SheetCheck) -> Iterator[tuple[int, str, str, float,
                                                                                           date | None,
                                                                                           float | None, str]]:
    """Second pass (after a clean check): (row, from label, to label, weight, date, amount, currency) per link."""
    if mapping.kind == "matrix":
        from palermo.networks import matrix

        yield from matrix.matrix_links(path)
        return
    records = _records(path)
    if check.header:
        next(records, None)
    positions = check.positions

    def cell(cells: list[str], name: str) -> str:
        position = positions.get(name)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    for number, cells, _delimiter in records:
        a, b = _ends(cells, positions, mapping)
        weight = _number(cell(cells, "weight")) if mapping.kind == "edges" else None
        day = parse_day(cell(cells, "date")) if cell(cells, "date") else None
        amount = _number(cell(cells, "amount")) if mapping.kind == "payments" else None
        duration = _number(cell(cells, "duration")) if mapping.kind == "calls" else None
        yield (number, a, b, weight if weight is not None else 1.0, day, amount if amount is not None else duration,
               cell(cells, "currency").upper())


def node_properties(kind: str, label: str, country: str) -> dict[str, list[str]]:
    """The FtM statements a spreadsheet says of a node: its name, number or account number."""
    if kind == "calls":
        return {"phone": [label], "username": [label]}
    if kind == "payments":
        return {"accountNumber": [label]}
    return {"name": [label]}


def node_values(kind: str, label: str) -> list[tuple[str, str]]:
    if kind == "calls":
        return [("phone", label)]
    if kind == "payments":
        return [("account", normalise_value("account", label))]
    return []
