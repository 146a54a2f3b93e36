"""What the link chart draws: the nodes and links of a network, filtered (entity type, period, country, shared-value
nodes on or off), coloured by community and marked with their suggested or annotated roles, read from the database
and the cached analysis. A network larger than ``LIMIT`` opens on its largest community, or on a person's
neighbourhood (``focus``); a node is expanded by asking for its neighbourhood."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from palermo.networks.models import Entity, Link, Network, RoleAnnotation, SharedValue

LIMIT = 2000


@dataclass(frozen=True)
class ChartFilter:
    types: tuple[str, ...] = ()
    country: str = ""
    date_from: date | None = None
    date_to: date | None = None
    values: bool = True
    focus: int | None = None
    depth: int = 1


def _links(network: Network, chart_filter: ChartFilter) -> Any:
    links = Link.objects.filter(network=network)
    if chart_filter.date_from:
        links = links.filter(date__gte=chart_filter.date_from)
    if chart_filter.date_to:
        links = links.filter(date__lte=chart_filter.date_to)
    return links


def _neighbourhood(network: Network, chart_filter: ChartFilter, start: int) -> set[int]:
    found = {start}
    frontier = {start}
    for _step in range(max(1, min(chart_filter.depth, 3))):
        rows = _links(network, chart_filter).filter(Q(from_entity_id__in=frontier) | Q(to_entity_id__in=frontier))
        reached: set[int] = set()
        for a, b in rows.values_list("from_entity_id", "to_entity_id")[:20000]:
            reached.update((a, b))
        frontier = reached - found
        found |= reached
        if len(found) > LIMIT:
            break
    return found


def chart_data(network: Network, chart_filter: ChartFilter, figures: dict[str, Any]) -> dict[str, Any]:
    membership: dict[str, int] = figures.get("membership", {}) or {}
    nodes = Entity.objects.filter(network=network, is_edge=False)
    if chart_filter.types:
        nodes = nodes.filter(schema__in=chart_filter.types)
    if chart_filter.country:
        nodes = nodes.filter(country_id=chart_filter.country)
    truncated = ""
    if chart_filter.focus is not None:
        nodes = nodes.filter(pk__in=_neighbourhood(network, chart_filter, chart_filter.focus))
    elif chart_filter.date_from or chart_filter.date_to:
        touched: set[int] = set()
        for a, b in _links(network, chart_filter).order_by().values_list("from_entity_id", "to_entity_id")[
                : LIMIT * 5]:
            touched.update((a, b))
        nodes = nodes.filter(pk__in=touched)
    if chart_filter.focus is None and nodes.count() > LIMIT:
        sizes: dict[int, int] = defaultdict(int)
        for community in membership.values():
            sizes[community] += 1
        if sizes:
            largest = max(sizes, key=lambda c: sizes[c])
            nodes = nodes.filter(pk__in=[int(pk) for pk, c in membership.items() if c == largest][:LIMIT])
            truncated = "community"
        else:
            nodes = nodes.order_by("pk")[:LIMIT]
            truncated = "first"
    rows = list(nodes.values_list("pk", "caption", "schema", "country_id", "ftm_id")[: LIMIT + 1])
    shown = {pk for pk, *_rest in rows}
    roles: dict[int, set[str]] = defaultdict(set)
    suggested: dict[int, set[str]] = defaultdict(set)
    for pk, role in RoleAnnotation.objects.filter(entity_id__in=shown).values_list("entity_id", "role"):
        roles[pk].add(role)
    for suggestion in figures.get("suggested_roles", []):
        if suggestion["id"] in shown:
            suggested[suggestion["id"]].add(suggestion["role"])
    result_nodes = [{"id": pk, "label": caption or ftm_id, "type": schema, "country": country or "",
                     "community": membership.get(str(pk)), "roles": sorted(roles[pk]),
                     "suggested": sorted(suggested[pk] - roles[pk])} for pk, caption, schema, country, ftm_id in rows]
    edges = [{"source": a, "target": b, "type": schema, "weight": weight, "date": day.isoformat() if day else "",
              "amount": amount}
             for a, b, schema, weight, day, amount in _links(network, chart_filter).filter(
                 from_entity_id__in=shown, to_entity_id__in=shown).values_list(
                 "from_entity_id", "to_entity_id", "schema", "weight", "date", "amount")[:LIMIT * 10]]
    if chart_filter.values and shown:
        holders: dict[tuple[str, str], list[int]] = defaultdict(list)
        for kind, value, pk in SharedValue.objects.filter(network=network, entity_id__in=shown).values_list(
                "kind", "value", "entity_id"):
            holders[(kind, value)].append(pk)
        for (kind, value), pks in sorted(holders.items()):
            if len(set(pks)) < 2:
                continue
            node_id = f"v:{kind}:{value}"
            result_nodes.append({"id": node_id, "label": value, "type": f"value:{kind}", "country": "",
                                 "community": None, "roles": [], "suggested": []})
            edges.extend({"source": pk, "target": node_id, "type": f"value:{kind}", "weight": 1, "date": "",
                          "amount": None} for pk in sorted(set(pks)))
    return {"nodes": result_nodes, "edges": edges, "truncated": truncated, "limit": LIMIT}
