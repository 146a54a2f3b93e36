"""The fast path of the commonest large file, a plain edge list (source, target, optional weight), without Django:
one pass checks every row and keeps the links as integer arrays (node positions, weights), so the import neither
reads the file twice nor builds a tuple per row. A row that fails a quick test goes through the general row check
(``reading._row_problems``), which names its problems exactly as for any other spreadsheet."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palermo.networks.reading import Mapping, Problem, SheetCheck

RowCheck = Callable[[int, list[str], dict[str, int], "Mapping"], list["Problem"]]


def check_edges(records: Iterator[tuple[int, list[str], str]], positions: dict[str, int], mapping: Mapping,
                header: bool, progress: Callable[[int], None] | None, row_check: RowCheck,
                max_problems: int) -> SheetCheck:
    from palermo.networks.reading import SheetCheck

    problems: list[Problem] = []
    nodes: dict[str, int] = {}  # label → first row
    index: dict[str, int] = {}  # label → position in ``nodes``
    sources, targets, weights = array("q"), array("q"), array("d")
    at_source, at_target = positions["source"], positions["target"]
    at_weight = positions.get("weight", 1 << 30)
    rows = 0
    for number, cells, _delimiter in records:
        rows += 1
        if progress and rows % 100000 == 0:
            progress(rows)
        size = len(cells)
        a = cells[at_source].strip() if at_source < size else ""
        b = cells[at_target].strip() if at_target < size else ""
        text = cells[at_weight].strip() if at_weight < size else ""
        weight = 1.0
        if text:
            try:
                weight = float(text.replace(",", ".").replace(" ", ""))
            except ValueError:
                weight = -1.0
        if not a or not b or len(a) > 300 or len(b) > 300 or not weight >= 0:
            found = row_check(number, cells, positions, mapping)
            if found:
                if len(problems) < max_problems:
                    problems.extend(found)
                continue
        for label in (a, b):
            if label not in index:
                index[label] = len(index)
                nodes[label] = number
        if not problems:
            sources.append(index[a])
            targets.append(index[b])
            weights.append(weight)
    del index
    keep: Any = None if problems else (sources, targets, weights)
    return SheetCheck(problems[:max_problems], nodes, rows, len(sources) if keep else 0, positions, header,
                      edges=keep)
