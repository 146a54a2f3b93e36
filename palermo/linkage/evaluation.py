"""How good a resolution is against known truth: pairwise and cluster-level precision, recall and F1.

Pairwise: a pair of records is predicted linked when both fall in one predicted cluster, truly linked when they
share a true entity; precision = right links / predicted links, recall = right links / true links. Counted from
the contingency table of (predicted cluster, true entity) without listing pairs, so a million records cost one
pass.
Cluster-level: a predicted cluster is right when it holds exactly the records of one true entity; precision =
right clusters / predicted clusters, recall = right clusters / true entities.

Pure: no Django.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from typing import Any


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _ratio(numerator: int, denominator: int) -> float:
    return 1.0 if denominator == 0 else numerator / denominator


def scores(predicted: Mapping[Any, Hashable], truth: Mapping[Any, Hashable]) -> dict[str, Any]:
    """``predicted`` and ``truth`` map each record id to its cluster; only the records in both count."""
    ids = [record for record in predicted if record in truth]
    cells = Counter((predicted[record], truth[record]) for record in ids)
    predicted_sizes = Counter(predicted[record] for record in ids)
    true_sizes = Counter(truth[record] for record in ids)
    true_positive = sum(_pairs(n) for n in cells.values())
    predicted_links = sum(_pairs(n) for n in predicted_sizes.values())
    true_links = sum(_pairs(n) for n in true_sizes.values())
    precision, recall = _ratio(true_positive, predicted_links), _ratio(true_positive, true_links)

    members: dict[Hashable, set[Hashable]] = defaultdict(set)
    for (cluster, entity), _count in cells.items():
        members[cluster].add(entity)
    exact = sum(1 for cluster, entities in members.items()
                if len(entities) == 1 and predicted_sizes[cluster] == true_sizes[next(iter(entities))])
    cluster_precision, cluster_recall = _ratio(exact, len(predicted_sizes)), _ratio(exact, len(true_sizes))
    return {
        "records": len(ids),
        "pairwise": {"precision": round(precision, 4), "recall": round(recall, 4),
                     "f1": round(_f1(precision, recall), 4), "true_positive": true_positive,
                     "predicted_links": predicted_links, "true_links": true_links},
        "cluster": {"precision": round(cluster_precision, 4), "recall": round(cluster_recall, 4),
                    "f1": round(_f1(cluster_precision, cluster_recall), 4), "exact_clusters": exact,
                    "predicted_clusters": len(predicted_sizes), "true_clusters": len(true_sizes)},
    }
