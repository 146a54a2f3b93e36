"""Network analysis with igraph and leidenalg (no hand-written graph algorithm), without Django.

Input: the nodes (their attributes as plain lists) and the links as integer arrays of node positions. Output: a
plain dict of figures with plainly named keys (nodes, edges, components, density, ...). The measures follow the
usual conventions of social network analysis: links binarised and taken as undirected (self-loops ignored) for
density, degree centralisation (Freeman), components, communities and centralities; ``arcs`` counts the distinct
directed pairs and ``total_weight`` the sum of the links' weights (the intercepted communications of a wiretap).
"""

from __future__ import annotations

import random
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import igraph
import leidenalg

# Above this many nodes, betweenness is estimated from a sample of sources (exact betweenness is O(n·m)).
EXACT_BETWEENNESS_UP_TO = 5_000
BETWEENNESS_SAMPLE = 64
TOP = 10
PERSON_SCHEMATA = frozenset({"Person"})
ROLE_NAMES = ("recruiter", "transporter", "exploiter", "money_handler", "facilitator")
MONEY_LINKS = frozenset({"Payment", "Debt"})
TRAVEL_LINKS = frozenset({"Trip", "Vehicle:owner", "Vehicle:operator", "Trip:vehicle", "Trip:involved"})
DOCUMENT_SCHEMATA = frozenset({"Passport", "Identification"})
ROLE_WORDS = {
    "recruiter": ("recruit", "reclut", "recrut", "vrbov", "rekrut"),
    "transporter": ("driver", "transport", "raiter", "courier", "estafet", "chauffeur", "guide", "guia"),
    "exploiter": ("exploit", "explot", "pimp", "brothel", "madam", "proxén", "cuidador", "guard"),
    "money_handler": ("money", "launder", "cashier", "financ", "blanch"),
    "facilitator": ("facilitat", "official", "funcionario", "document", "forger", "lawyer", "escolta", "escort"),
}


@dataclass
class GraphData:
    """A network as arrays: node i has ``ids[i]`` (its database id), ``labels``, ``schemata``, ``countries``;
    link k goes from ``sources[k]`` to ``targets[k]`` with ``weights[k]``, ``kinds[k]`` and ``days[k]``."""

    ids: Sequence[int]
    labels: Sequence[str]
    schemata: Sequence[str]
    countries: Sequence[str]
    sources: array
    targets: array
    weights: Sequence[float] = field(default_factory=list)
    kinds: Sequence[str] = field(default_factory=list)
    days: Sequence[date | None] = field(default_factory=list)
    annotations: dict[int, set[str]] = field(default_factory=dict)  # node position → annotated roles
    case_roles: dict[int, set[str]] = field(default_factory=dict)  # node position → victim / perpetrator
    texts: dict[int, str] = field(default_factory=dict)  # node position → role words from its links and properties


def edge_array(sources: array, targets: array) -> memoryview:
    """The links as the (m, 2) integer buffer igraph reads without Python tuples."""
    pairs = array("q", bytes(16 * len(sources)))
    pairs[0::2] = sources
    pairs[1::2] = targets
    return memoryview(pairs).cast("B").cast("q", shape=[len(sources), 2])


def build_graph(data: GraphData) -> igraph.Graph:
    """The simple undirected graph of the links (binarised: parallel links and directions merged, self-loops
    dropped), weights summed."""
    graph = igraph.Graph(n=len(data.ids), edges=edge_array(data.sources, data.targets), directed=False)
    if data.weights:
        graph.es["weight"] = list(data.weights)
        graph.simplify(multiple=True, loops=True, combine_edges={"weight": "sum"})
    else:
        graph.simplify(multiple=True, loops=True)
    return graph


def arcs(data: GraphData) -> int:
    directed = igraph.Graph(n=len(data.ids), edges=edge_array(data.sources, data.targets), directed=True)
    directed.simplify(multiple=True, loops=True)
    return directed.ecount()


def density(graph: igraph.Graph) -> float:
    return graph.density(loops=False) if graph.vcount() > 1 else 0.0


def degree_centralisation(graph: igraph.Graph) -> float:
    """Freeman's degree centralisation: Σ(max degree − degree) / ((n − 1)(n − 2))."""
    n = graph.vcount()
    if n < 3:
        return 0.0
    degrees = graph.degree()
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def communities(graph: igraph.Graph, seed: int = 42) -> igraph.VertexClustering:
    """Leiden communities maximising modularity (leidenalg), seeded so the same network gives the same answer."""
    weights = graph.es["weight"] if "weight" in graph.es.attributes() else None
    return leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition, weights=weights, seed=seed)


def betweenness(graph: igraph.Graph, seed: int = 42) -> tuple[list[float], bool]:
    """Betweenness, exact up to ``EXACT_BETWEENNESS_UP_TO`` nodes, else estimated from a seeded sample of sources
    (scaled to the whole graph). Returns the values and whether they were sampled."""
    n = graph.vcount()
    if n <= EXACT_BETWEENNESS_UP_TO:
        return graph.betweenness(directed=False), False
    sample = random.Random(seed).sample(range(n), BETWEENNESS_SAMPLE)
    values = graph.betweenness(directed=False, sources=sample)
    return [v * n / BETWEENNESS_SAMPLE for v in values], True


def _top(values: Sequence[float], data: GraphData, limit: int = TOP, only: Sequence[int] | None = None) -> list[
        dict[str, Any]]:
    positions = only if only is not None else range(len(values))
    ranked = sorted(positions, key=lambda i: (-values[i], i))[:limit]
    return [_node(data, i, round(float(values[i]), 6)) for i in ranked if values[i] > 0]


def _node(data: GraphData, i: int, value: Any = None) -> dict[str, Any]:
    node: dict[str, Any] = {"id": int(data.ids[i]), "label": data.labels[i], "type": data.schemata[i],
                            "country": data.countries[i]}
    if value is not None:
        node["value"] = value
    return node


def removal_effect(graph: igraph.Graph, candidates: Sequence[int]) -> list[dict[str, Any]]:
    """What falls apart when one node goes: the largest component and the number of components after."""
    base = graph.connected_components()
    largest = max(base.sizes()) if graph.vcount() else 0
    effects = []
    for i in candidates:
        without = graph.copy()
        without.delete_vertices([i])
        parts = without.connected_components()
        after = max(parts.sizes()) if without.vcount() else 0
        effects.append({"position": i, "largest_component_after": after, "components_after": len(parts),
                        "largest_component_loss": (largest - 1 - after) / largest if largest else 0.0})
    return effects


def top_share_removal(graph: igraph.Graph, values: Sequence[float], share: float = 0.05) -> dict[str, Any]:
    """Removing the top ``share`` of nodes by betweenness: how much of the largest component is lost."""
    n = graph.vcount()
    count = max(1, round(n * share)) if n else 0
    removed = sorted(range(n), key=lambda i: (-values[i], i))[:count]
    largest = max(graph.connected_components().sizes()) if n else 0
    without = graph.copy()
    without.delete_vertices(removed)
    after = max(without.connected_components().sizes()) if without.vcount() else 0
    return {"removed": count, "largest_component_before": largest, "largest_component_after": after,
            "largest_component_loss": round((largest - after) / largest, 4) if largest else 0.0}


def suggest_roles(data: GraphData, graph: igraph.Graph, between: Sequence[float],
                  cross_border: set[int]) -> list[dict[str, Any]]:
    """Roles suggested from links, case data and annotations: always suggestions, each with its reasons."""
    kinds_by_node: dict[int, Counter[str]] = defaultdict(Counter)
    neighbour_schemata: dict[int, Counter[str]] = defaultdict(Counter)
    for s, t, kind in zip(data.sources, data.targets, data.kinds, strict=False):
        kinds_by_node[s][kind] += 1
        kinds_by_node[t][kind] += 1
        neighbour_schemata[s][data.schemata[t]] += 1
        neighbour_schemata[t][data.schemata[s]] += 1
    victims = {i for i, roles in data.case_roles.items() if "victim" in roles}
    suggestions: list[dict[str, Any]] = []
    ranked_between = sorted(range(len(between)), key=lambda i: -between[i])[: max(1, len(between) // 20)]
    top_brokers = {i for i in ranked_between if between[i] > 0}
    for i in range(len(data.ids)):
        if data.schemata[i] not in PERSON_SCHEMATA:
            continue
        reasons: dict[str, list[str]] = defaultdict(list)
        for role in data.annotations.get(i, ()):
            reasons[role].append("annotated by an analyst")
        text = data.texts.get(i, "").casefold()
        for role, words in ROLE_WORDS.items():
            if any(word in text for word in words):
                reasons[role].append("named so in its links or properties")
        kinds = kinds_by_node.get(i, Counter())
        money = sum(kinds[k] for k in MONEY_LINKS)
        if money >= 2 or neighbour_schemata[i]["BankAccount"]:
            reasons["money_handler"].append("payments or bank accounts")
        if sum(kinds[k] for k in TRAVEL_LINKS) or neighbour_schemata[i]["Vehicle"]:
            reasons["transporter"].append("trips or vehicles")
        if sum(neighbour_schemata[i][s] for s in DOCUMENT_SCHEMATA):
            reasons["facilitator"].append("identity documents")
        near_victims = {n for n in graph.neighbors(i) if n in victims} if victims else set()
        if "perpetrator" in data.case_roles.get(i, ()) or near_victims:
            if data.countries[i] and any(data.countries[v] == data.countries[i] for v in near_victims):
                reasons["recruiter"].append("linked to victims of a case in its own country")
            if any(data.countries[v] and data.countries[v] != data.countries[i] for v in near_victims):
                reasons["exploiter"].append("linked to victims of a case in another country")
        if i in cross_border and i in top_brokers:
            reasons["facilitator"].append("broker across borders")
        for role, why in reasons.items():
            suggestions.append({**_node(data, i), "role": role, "reasons": sorted(set(why)), "suggested": True})
    order = {role: n for n, role in enumerate(ROLE_NAMES)}
    suggestions.sort(key=lambda s: (order.get(s["role"], 9), -len(s["reasons"]), s["id"]))
    return suggestions


def periods(data: GraphData) -> list[dict[str, Any]]:
    """Change between periods (years of the dated links): nodes and links active, who appears and who goes."""
    by_year: dict[int, set[int]] = defaultdict(set)
    links_by_year: Counter[int] = Counter()
    for s, t, day in zip(data.sources, data.targets, data.days, strict=False):
        if day is None:
            continue
        by_year[day.year].update((s, t))
        links_by_year[day.year] += 1
    result: list[dict[str, Any]] = []
    previous: set[int] = set()
    for year in sorted(by_year):
        active = by_year[year]
        result.append({"period": str(year), "nodes": len(active), "links": links_by_year[year],
                       "new": len(active - previous), "gone": len(previous - active)})
        previous = active
    return result


def analyse(data: GraphData, *, seed: int = 42, removal_candidates: int = 5) -> dict[str, Any]:
    """Every figure of a network."""
    graph = build_graph(data)
    n = graph.vcount()
    parts = graph.connected_components()
    sizes = sorted(parts.sizes(), reverse=True)
    partition = communities(graph, seed=seed) if n else None
    membership = partition.membership if partition is not None else []
    between, sampled = betweenness(graph, seed=seed) if n else ([], False)
    pagerank = graph.pagerank(weights="weight" if "weight" in graph.es.attributes() else None) if n else []
    degree = graph.degree()
    brokers: list[int] = []
    cross_border: set[int] = set()
    for i in range(n):
        neighbours = graph.neighbors(i)
        if len({membership[j] for j in neighbours} | {membership[i]}) > 1:
            brokers.append(i)
        countries = {data.countries[j] for j in neighbours if data.countries[j]}
        if data.countries[i]:
            countries.add(data.countries[i])
        if len(countries) > 1:
            cross_border.add(i)
    people = [i for i in range(n) if data.schemata[i] in PERSON_SCHEMATA] or list(range(n))
    candidates = sorted(people, key=lambda i: (-between[i], i))[:removal_candidates]
    effects = removal_effect(graph, [i for i in candidates if between[i] > 0])
    community_sizes = Counter(membership)
    return {
        "nodes": n,
        "edges": graph.ecount(),
        "arcs": arcs(data),
        "links": len(data.sources),
        "total_weight": round(float(sum(data.weights)), 6) if data.weights else len(data.sources),
        "components": len(sizes),
        "largest_component": sizes[0] if sizes else 0,
        "density": round(density(graph), 6),
        "degree_centralisation": round(degree_centralisation(graph), 6),
        "mean_degree": round(2 * graph.ecount() / n, 6) if n else 0.0,
        "communities": len(community_sizes),
        "modularity": round(partition.modularity, 6) if partition is not None else 0.0,
        "community_sizes": [size for _c, size in community_sizes.most_common(20)],
        "membership": {int(data.ids[i]): membership[i] for i in range(n)} if n <= 20_000 else {},
        "betweenness_sampled": sampled,
        "top_degree": _top(degree, data),
        "top_betweenness": _top(between, data),
        "top_pagerank": _top(pagerank, data),
        "brokers": _top(between, data, only=brokers),
        "cross_border_brokers": _top(between, data, only=sorted(cross_border)),
        "suggested_roles": suggest_roles(data, graph, between, cross_border)[:200],
        "removal_effect": [{**_node(data, e.pop("position")), **e} for e in effects],
        "top_5_percent_removal": top_share_removal(graph, between) if n else {},
        "periods": periods(data),
    }
