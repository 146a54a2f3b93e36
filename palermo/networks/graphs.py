"""A network read from the database as integer arrays (``analysis.GraphData``), and its analysis cached per
version (``Analysis``): pages read the cached figures; an import or edit bumps the version."""

from __future__ import annotations

import time
from array import array
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction

from palermo.networks import analysis
from palermo.networks.models import Analysis, CaseLink, Entity, Link, Network, RoleAnnotation

CHUNK = 100_000
# Below this many nodes the properties of persons are read for their nationality and role words.
DETAIL_UP_TO = 50_000
VALUE_OFFSET = 10**15  # ids of shared-value nodes (never an entity id)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def load_graph(network: Network, *, values: bool = True) -> tuple[analysis.GraphData, list[tuple[str, str]]]:
    """The nodes (entities that are not links) and the links of a network as arrays; with ``values``, a node per
    value (phone, e-mail, account...) shared by two entities or more, linked to each. Returns the data and the
    (kind, value) of each value node, in order after the entities."""
    ids: array = array("q")
    labels: list[str] = []
    schemata: list[str] = []
    countries: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, schema, caption, country_id FROM networks_entity WHERE network_id = %s AND "
                       "NOT is_edge ORDER BY id", [network.pk])
        while rows := cursor.fetchmany(CHUNK):
            for pk, schema, caption, country in rows:
                ids.append(pk)
                schemata.append(schema)
                labels.append(caption)
                countries.append(country or "")
    n = len(ids)
    contiguous = n == 0 or ids[-1] - ids[0] + 1 == n
    first = ids[0] if n else 0
    position: dict[int, int] = {} if contiguous else {pk: i for i, pk in enumerate(ids)}
    sources: array = array("q")
    targets: array = array("q")
    weights: array = array("d")
    kinds: list[str] = []
    days: list[date | None] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT from_entity_id, to_entity_id, weight, schema, date FROM networks_link "
                       "WHERE network_id = %s", [network.pk])
        while rows := cursor.fetchmany(CHUNK):
            for a, b, weight, schema, day in rows:
                if contiguous:
                    sources.append(a - first)
                    targets.append(b - first)
                else:
                    sources.append(position[a])
                    targets.append(position[b])
                weights.append(weight)
                kinds.append(schema)
                days.append(_day(day) if day is not None else None)
    value_nodes: list[tuple[str, str]] = []
    if values:
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind, value, entity_id FROM networks_sharedvalue WHERE network_id = %s AND "
                           "(kind, value) IN (SELECT kind, value FROM networks_sharedvalue WHERE network_id = %s "
                           "GROUP BY kind, value HAVING COUNT(DISTINCT entity_id) > 1) ORDER BY kind, value",
                           [network.pk, network.pk])
            node_of: dict[tuple[str, str], int] = {}
            for kind, value, entity_id in cursor.fetchall():
                key = (kind, value)
                if key not in node_of:
                    node_of[key] = n + len(value_nodes)
                    value_nodes.append(key)
                    ids.append(VALUE_OFFSET + len(value_nodes))
                    labels.append(value)
                    schemata.append(f"value:{kind}")
                    countries.append("")
                holder = (entity_id - first) if contiguous else position.get(entity_id)
                if holder is None or not 0 <= holder < n:
                    continue  # a value of an edge entity (a payment's account): not drawn
                sources.append(holder)
                targets.append(node_of[key])
                weights.append(1.0)
                kinds.append(f"value:{kind}")
                days.append(None)
    data = analysis.GraphData(ids=ids, labels=labels, schemata=schemata, countries=countries, sources=sources,
                              targets=targets, weights=weights, kinds=kinds, days=days)
    if n <= DETAIL_UP_TO:
        _details(network, data, position if not contiguous else {pk: pk - first for pk in ids[:n]})
    return data, value_nodes


def _details(network: Network, data: analysis.GraphData, position: dict[int, int]) -> None:
    """Nationalities, role words, annotations and case roles of the persons (small networks only)."""
    countries = list(data.countries)
    texts: dict[int, list[str]] = defaultdict(list)
    for pk, properties in Entity.objects.filter(network=network, is_edge=False, schema="Person").values_list(
            "pk", "properties"):
        i = position[pk]
        nationality = (properties.get("nationality") or properties.get("country") or [""])[0]
        if nationality:
            countries[i] = nationality.upper()[:2]
        texts[i].extend(properties.get("position", []) + properties.get("profession", []) +
                        properties.get("notes", []))
    for a, b, properties in Link.objects.filter(network=network, entity__isnull=False).values_list(
            "from_entity_id", "to_entity_id", "entity__properties"):
        words = (properties or {}).get("relationship", []) + (properties or {}).get("role", [])
        for end in (a, b):
            if words and end in position:
                texts[position[end]].extend(words)
    data.countries = countries
    data.texts = {i: " ".join(words) for i, words in texts.items()}
    for pk, role in RoleAnnotation.objects.filter(entity__network=network).values_list("entity_id", "role"):
        if pk in position:
            data.annotations.setdefault(position[pk], set()).add(role)
    for pk, role in CaseLink.objects.filter(entity__network=network).values_list("entity_id", "role"):
        if pk in position:
            data.case_roles.setdefault(position[pk], set()).add(role)


def analyse_network(network: Network, *, values: bool = True, refresh: bool = False) -> dict[str, Any]:
    """The figures of the network at its current version, computed once and then read from the cache."""
    key = "values" if values else "plain"
    version = Network.objects.filter(pk=network.pk).values_list("version", flat=True).get()
    if not refresh:
        cached = Analysis.objects.filter(network=network, version=version, key=key).values_list(
            "figures", flat=True).first()
        if cached is not None:
            return cached
    started = time.perf_counter()
    data, _value_nodes = load_graph(network, values=values)
    figures = analysis.analyse(data)
    figures["version"] = version
    figures["shared_value_nodes"] = values
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            Analysis.objects.update_or_create(network=network, version=version, key=key,
                                              defaults={"figures": figures, "seconds": seconds})
    except IntegrityError:  # computed at the same moment by another request: theirs is as good
        pass
    return figures
