"""``import_network_file``: a FollowTheMoney JSON-lines file or a spreadsheet (edge list, call-detail records, money
transfers, adjacency matrix) into a network, all or nothing, with a row-level report; bulk writes for millions of
rows (``bulk.py``). The network is created on first import (owned by the source's country) and its version grows,
so the cached analyses are computed again."""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from palermo.accounts.access import Actor, person_of
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.networks import bulk, reading
from palermo.networks.access import may_edit_network, may_work_in
from palermo.networks.models import Entity, Network, Source
from palermo.reference.models import Country

FORMATS = ("ftm", "csv")
Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    network: str
    source: str
    format: str
    kind: str = ""
    rows: int = 0
    entities_created: int = 0
    entities_merged: int = 0
    links: int = 0
    values: int = 0
    problems: list[reading.Problem] = field(default_factory=list)
    error: str = ""
    network_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.error

    def as_dict(self) -> dict[str, Any]:
        return {"network": self.network, "network_id": self.network_id, "source": self.source,
                "format": self.format, "kind": self.kind, "rows": self.rows,
                "entities_created": self.entities_created, "entities_merged": self.entities_merged,
                "links": self.links, "values": self.values, "ok": self.ok, "error": self.error,
                "problem_count": len(self.problems), "problems": [p.as_dict() for p in self.problems]}


def _sheet_id(schema: str, label: str) -> str:
    text = f"{schema.lower()}:{label}"
    return text if len(text) <= 128 else f"{schema.lower()}:{hashlib.sha1(label.encode()).hexdigest()}"  # noqa: S324


def import_network_file(*, acting_user: Actor, path: str | Path, fmt: str, source: str, country: str,
                        network_name: str = "", mapping: reading.Mapping | None = None, agency: str = "",
                        document: str = "", source_date: date | None = None, progress: Progress | None = None,
                        request: HttpRequest | None = None) -> ImportReport:
    """Check the whole file, then write everything or nothing. The network ``network_name`` (default: the source's
    name) is created if new, owned by ``country``; an existing one must be editable by the actor."""
    country = country.upper()
    name = (network_name or source).strip()
    report = ImportReport(network=name, source=source, format=fmt, kind=mapping.kind if mapping else "")
    if fmt not in FORMATS:
        report.error = f"unknown format {fmt!r}: use ftm or csv"
        return report
    if not Country.objects.filter(code=country).exists():
        report.error = f"unknown country code {country!r}"
        return report
    if not source.strip() or len(source) > 200 or len(name) > 200:
        report.error = "the source and the network need a name of at most 200 characters"
        return report
    network = Network.objects.filter(name=name).first()
    if network is not None and not may_edit_network(acting_user, network):
        raise PermissionDenied(f"you may not import into the network {name!r}")
    if network is None and not may_work_in(acting_user, country):
        raise PermissionDenied(f"you may not create a network of {country}")
    if network is not None and Source.objects.filter(network=network, name=source).exists():
        report.error = f"the source {source!r} was already imported into {name!r}: give the new file another name"
        return report
    tell = progress or (lambda phase, done, total: None)
    if fmt == "ftm":
        known = bulk.ids_by_ftm_id(network.pk) if network is not None else {}
        parsed = reading.read_ftm(path, country=country, known_ids=lambda ids: ids & set(known),
                                  progress=lambda n: tell("check", n, 0))
        report.rows = parsed.lines
        report.problems = parsed.problems
        if report.problems:
            return report
        with transaction.atomic():
            network = _network(acting_user, network, name, country)
            src = _source(acting_user, network, source, country, agency, document, source_date)
            _write_ftm(network, src, parsed, report, tell)
            _finish(acting_user, network, src, report, request)
        return report
    sheet = mapping or reading.Mapping(kind="edges")
    check = reading.check_sheet(path, sheet, progress=lambda n: tell("check", n, 0))
    report.rows, report.problems = check.rows, check.problems
    if report.problems:
        return report
    with transaction.atomic():
        network = _network(acting_user, network, name, country)
        src = _source(acting_user, network, source, country, agency, document, source_date)
        _write_sheet(network, src, path, sheet, check, report, tell)
        _finish(acting_user, network, src, report, request)
    return report


def _network(actor: Actor, network: Network | None, name: str, country: str) -> Network:
    if network is not None:
        return Network.objects.select_for_update().get(pk=network.pk)
    created = Network.objects.create(name=name, owner_country_id=country, created_by=person_of(actor))
    record(actor=actor, action=AuditEvent.Action.CREATE, object_type="networks.network", object_id=created.pk,
           country=country, detail={"name": name})
    return created


def _source(actor: Actor, network: Network, name: str, country: str, agency: str, document: str,
            day: date | None) -> Source:
    return Source.objects.create(network=network, name=name, country_id=country, agency=agency[:200],
                                 document=document[:300], date=day, imported_by=person_of(actor))


def _finish(actor: Actor, network: Network, source: Source, report: ImportReport,
            request: HttpRequest | None) -> None:
    Network.objects.filter(pk=network.pk).update(version=F("version") + 1)
    report.network_id = network.pk
    record(actor=actor, action=AuditEvent.Action.IMPORT, object_type="networks.network", object_id=network.pk,
           country=network.owner_country_id, request=request,
           detail={"source": source.name, "format": report.format, "kind": report.kind, "rows": report.rows,
                   "entities_created": report.entities_created, "entities_merged": report.entities_merged,
                   "links": report.links})


ENTITY_COLUMNS = ("network_id", "ftm_id", "schema", "caption", "properties", "country_id", "is_edge", "first_date",
                  "last_date")
FRAGMENT_COLUMNS = ("entity_id", "source_id", "properties", "row")
VALUE_COLUMNS = ("network_id", "kind", "value", "entity_id")
LINK_COLUMNS = bulk.LINK_COLUMNS


def _write_ftm(network: Network, source: Source, parsed: reading.FtmFile, report: ImportReport,
               tell: Progress) -> None:
    existing = {row["ftm_id"]: row for row in Entity.objects.filter(
        network=network, ftm_id__in=[e.ftm_id for e in parsed.entities]).values(
        "id", "ftm_id", "properties", "caption", "first_date", "last_date")}
    fresh = [e for e in parsed.entities if e.ftm_id not in existing]
    total = len(parsed.entities)
    bulk.insert("networks_entity", ENTITY_COLUMNS, (
        (network.pk, e.ftm_id, e.schema, e.caption, json.dumps(e.properties), source.country_id, e.is_edge,
         bulk.day(e.first_date), bulk.day(e.last_date)) for e in fresh), progress=lambda n: tell("entities", n, total))
    merged = []
    for entity in parsed.entities:
        old = existing.get(entity.ftm_id)
        if old is None:
            continue
        properties = old["properties"] or {}
        for prop, values in entity.properties.items():
            properties[prop] = list(dict.fromkeys([*properties.get(prop, []), *values]))
        days = [d for d in (old["first_date"], old["last_date"], entity.first_date, entity.last_date) if d]
        merged.append(Entity(pk=old["id"], properties=properties, caption=old["caption"] or entity.caption,
                             first_date=min(days) if days else None, last_date=max(days) if days else None))
    Entity.objects.bulk_update(merged, ["properties", "caption", "first_date", "last_date"], batch_size=2000)
    report.entities_created, report.entities_merged = len(fresh), len(merged)
    ids = bulk.ids_by_ftm_id(network.pk)
    bulk.insert("networks_fragment", FRAGMENT_COLUMNS, (
        (ids[e.ftm_id], source.pk, json.dumps(e.properties), e.row) for e in parsed.entities))
    report.values = bulk.insert("networks_sharedvalue", VALUE_COLUMNS, (
        (network.pk, kind, value, ids[e.ftm_id]) for e in parsed.entities for kind, value in e.values))
    with bulk.large_load(("networks_link",), len(parsed.links)):
        report.links = bulk.insert("networks_link", LINK_COLUMNS, (
            (network.pk, ids[link.from_id], ids[link.to_id], link.schema[:40],
             ids[link.edge_id] if link.edge_id else None, link.weight, bulk.day(link.date), link.amount,
             link.currency, source.pk) for link in parsed.links),
            progress=lambda n: tell("links", n, len(parsed.links)))


def _write_sheet(network: Network, source: Source, path: str | Path, mapping: reading.Mapping,
                 check: reading.SheetCheck, report: ImportReport, tell: Progress) -> None:
    schema = mapping.nodes
    known = bulk.ids_by_ftm_id(network.pk)
    labels = {label: _sheet_id(schema, label) for label in check.nodes}
    fresh = [(label, ftm_id) for label, ftm_id in labels.items() if ftm_id not in known]
    total = len(labels)
    bulk.insert("networks_entity", ENTITY_COLUMNS, (
        (network.pk, ftm_id, schema, label[:300], json.dumps(reading.node_properties(mapping.kind, label,
                                                                                     source.country_id)),
         source.country_id, False, None, None) for label, ftm_id in fresh),
        progress=lambda n: tell("entities", n, total))
    report.entities_created, report.entities_merged = len(fresh), total - len(fresh)
    ids = bulk.ids_by_ftm_id(network.pk)
    by_label = {label: ids[ftm_id] for label, ftm_id in labels.items()}
    del ids, labels
    with bulk.large_load(("networks_fragment",), len(check.nodes)):
        bulk.insert("networks_fragment", FRAGMENT_COLUMNS, (
            (by_label[label], source.pk, json.dumps(reading.node_properties(mapping.kind, label,
                                                                            source.country_id)), row)
            for label, row in check.nodes.items()))
    report.values = bulk.insert("networks_sharedvalue", VALUE_COLUMNS, (
        (network.pk, kind, value, by_label[label]) for label in check.nodes
        for kind, value in reading.node_values(mapping.kind, label)))
    link_schema = mapping.link[:40]
    if check.edges is not None:  # a plain edge list: its links were kept as arrays by the check
        positions = array("q", (by_label[label] for label in check.nodes))
        del by_label
        sources, targets, weights = check.edges
        with bulk.large_load(("networks_link",), len(sources)):
            report.links = bulk.insert_edges(network_id=network.pk, source_id=source.pk, schema=link_schema,
                                             ids=positions,
                                             sources=sources, targets=targets, weights=weights,
                                             progress=lambda n: tell("links", n, check.links))
        return

    def rows() -> Iterator[tuple[Any, ...]]:
        for _row, a, b, weight, day, amount, currency in reading.sheet_links(path, mapping, check):
            yield (network.pk, by_label[a], by_label[b], link_schema, None, weight, day and day.isoformat(), amount,
                   currency[:3], source.pk)

    with bulk.large_load(("networks_link",), check.links):
        report.links = bulk.insert("networks_link", LINK_COLUMNS, rows(),
                                   progress=lambda n: tell("links", n, check.links))
