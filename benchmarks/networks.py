"""Networks at scale: a generated graph (default 1,000,000 nodes and 10,000,000 edges: planted communities of 100,
80 % of edges inside them, like investigation graphs) imported with ``palermo networks import`` (the service, bulk
writes), then components, Leiden and PageRank through ``palermo.networks.analysis`` on the graph read back from the
database, each against raw igraph on the same file in the same run (``Graph.Read_Edgelist``, then the same igraph /
leidenalg calls on that graph, given the same weights as ours: each distinct pair weighted by its number of links).
networkx on a 100,000-node sample, for the record. Peak memory of the process.

    .venv/bin/python benchmarks/networks.py --nodes 100000 --edges 1000000     # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/networks_bench .venv/bin/python benchmarks/networks.py

Progress goes to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate(path: Path, nodes: int, edges: int, seed: int = 11, group: int = 100, inside: float = 0.8) -> None:
    """``src dst`` lines of integers 0..nodes-1; every node appears (a first pass chains each group)."""
    rng = random.Random(seed)
    groups = max(1, nodes // group)
    with path.open("w", encoding="ascii") as handle:
        written = 0
        lines = []
        for node in range(1, nodes):  # each node linked to the previous one of its group (or any): all present
            other = node - 1 if node % group else rng.randrange(node)
            lines.append(f"{node} {other}\n")
        written = len(lines)
        handle.writelines(lines)
        del lines
        batch: list[str] = []
        randrange, random_ = rng.randrange, rng.random
        while written < edges:
            a = randrange(nodes)
            if random_() < inside:
                base = (a // group) * group
                b = base + randrange(min(group, nodes - base))
            else:
                b = randrange(nodes)
            if a == b:
                continue
            batch.append(f"{a} {b}\n")
            written += 1
            if len(batch) >= 200_000:
                handle.writelines(batch)
                batch.clear()
        handle.writelines(batch)
    del groups


def timed(label: str, function):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    log(f"{label}: {seconds:.2f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--sample", type=int, default=100_000, help="nodes of the networkx sample (0: none)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each analysis step (the best is kept)")
    parser.add_argument("--steps", default="components,leiden,pagerank",
                        help="analysis steps to time (Leiden at full size takes a quarter of an hour per side)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir_name:
        workdir = Path(workdir_name)
        import cases as setup_module  # benchmarks/cases.py: settings, database, migrations

        setup_module.setup(workdir)
        import igraph
        import leidenalg
        from django.db import connection

        from palermo.accounts.access import SYSTEM
        from palermo.networks import analysis, reading
        from palermo.networks.graphs import load_graph
        from palermo.networks.importing import import_network_file
        from palermo.networks.models import Network

        path = workdir / "edges.txt"
        _unused, generate_seconds = timed("generate", lambda: generate(path, arguments.nodes, arguments.edges))

        raw, raw_read = timed("raw igraph: Read_Edgelist", lambda: igraph.Graph.Read_Edgelist(str(path),
                                                                                             directed=False))
        report, import_seconds = timed("palermo import", lambda: import_network_file(
            acting_user=SYSTEM.running("benchmark"), path=path, fmt="csv", source="bench", country="RO",
            mapping=reading.Mapping(kind="edges", header=False)))
        assert report.ok, report.as_dict()
        network = Network.objects.get(name="bench")
        (data, _values), load_seconds = timed("palermo: read the graph from the database",
                                              lambda: load_graph(network, values=False))
        graph, build_seconds = timed("palermo: build (binarise, weights summed)", lambda: analysis.build_graph(data))
        raw_simple = raw.copy()
        raw_simple.simplify()

        # like for like: raw igraph gets the same weights as ours (each distinct pair weighted by its links, summed)
        raw_weighted = raw.copy()
        raw_weighted.es["weight"] = 1.0
        raw_weighted.simplify(combine_edges={"weight": "sum"})
        steps = {
            "components": (lambda: graph.connected_components(), lambda: raw_simple.connected_components()),
            "leiden": (lambda: analysis.communities(graph), lambda: leidenalg.find_partition(
                raw_weighted, leidenalg.ModularityVertexPartition, weights=raw_weighted.es["weight"], seed=42)),
            "pagerank": (lambda: graph.pagerank(weights="weight"), lambda: raw_weighted.pagerank(weights="weight")),
        }
        ours: dict[str, float] = {}
        baseline: dict[str, float] = {}
        results: dict[str, tuple[Any, Any]] = {}
        chosen = [step for step in arguments.steps.split(",") if step]
        for step in chosen:  # interleaved, best of --repeat: the cores are shared
            palermo_call, raw_call = steps[step]
            for attempt in range(1 if step == "components" else arguments.repeat):  # igraph caches components
                mine, seconds = timed(f"palermo {step} ({attempt + 1})", palermo_call)
                ours[step] = min(seconds, ours.get(step, seconds))
                theirs, seconds = timed(f"raw {step}, same weights ({attempt + 1})", raw_call)
                baseline[step] = min(seconds, baseline.get(step, seconds))
                results[step] = (mine, theirs)
        parts, raw_parts = results.get("components", ([], []))
        partition, raw_partition = results.get("leiden", (None, None))
        _unused, raw_unweighted_pagerank = timed("raw PageRank, unweighted", lambda: raw_simple.pagerank())

        networkx_sample: dict[str, Any] | None = None
        if arguments.sample:
            import networkx
            from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python  # no numpy in the venv

            sample_nodes = min(arguments.sample, arguments.nodes)
            sample_edges = [(a, b) for a, b in raw_simple.get_edgelist() if a < sample_nodes and b < sample_nodes]
            nx_graph, nx_build = timed("networkx build (sample)", lambda: networkx.Graph(sample_edges))
            _unused, nx_components = timed("networkx components (sample)",
                                           lambda: networkx.number_connected_components(nx_graph))
            _unused, nx_pagerank = timed("networkx PageRank (sample, pure Python)",
                                         lambda: _pagerank_python(nx_graph))
            _unused, nx_louvain = timed("networkx Louvain (sample)",
                                        lambda: networkx.community.louvain_communities(nx_graph, seed=42))
            networkx_sample = {"nodes": nx_graph.number_of_nodes(), "edges": nx_graph.number_of_edges(),
                               "build_seconds": round(nx_build, 2), "components_seconds": round(nx_components, 2),
                               "pagerank_seconds": round(nx_pagerank, 2), "louvain_seconds": round(nx_louvain, 2)}

        result = {
            "nodes": graph.vcount(), "edges": graph.ecount(), "links": len(data.sources),
            "database": connection.vendor,
            "generate_seconds": round(generate_seconds, 2),
            "import": {"seconds": round(import_seconds, 2), "raw_igraph_seconds": round(raw_read, 2),
                       "ratio": round(import_seconds / raw_read, 2)},
            "load_from_database_seconds": round(load_seconds, 2), "build_seconds": round(build_seconds, 2),
            **{step: {"seconds": round(ours[step], 2), "raw_igraph_seconds": round(baseline[step], 2),
                      "ratio": round(ours[step] / baseline[step], 2) if baseline[step] else None}
               for step in chosen},
            "component_count": len(parts), "raw_component_count": len(raw_parts),
            "communities": len(set(partition.membership)) if partition else None,
            "modularity": round(partition.modularity, 4) if partition else None,
            "raw_modularity": round(raw_partition.modularity, 4) if raw_partition else None,
            "networkx_sample": networkx_sample, "repeat": arguments.repeat,
            "pagerank_unweighted_raw_igraph_seconds": round(raw_unweighted_pagerank, 2),
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
