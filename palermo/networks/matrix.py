"""Adjacency matrices (first row the column labels, first column the row labels, cells the tie strength, 0 no tie),
read without Django: the check and the links of ``reading.check_sheet`` and ``reading.sheet_links``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from palermo.networks.reading import MAX_PROBLEMS, Problem, SheetCheck, _dialect, _number, gettext_noop


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == " ":
        return line.split()
    return next(csv.reader([line], delimiter=delimiter))


def _matrix(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    delimiter = _dialect(text[:65536])
    rows = [(number, _split(line, delimiter)) for number, line in enumerate(io.StringIO(text), start=1)
            if line.strip()]
    if not rows:
        return [], []
    return [cell.strip() for cell in rows[0][1][1:]], rows[1:]


def check_matrix(path: str | Path) -> SheetCheck:
    """An adjacency matrix: first row the column labels, first column the row labels, cells the tie strength
    (0 no tie). Every label is a node, isolated or not."""
    labels, rows = _matrix(path)
    problems: list[Problem] = []
    if not labels:
        return SheetCheck([Problem(1, "", "", gettext_noop("the file is empty"))], {}, 0, 0, {}, True)
    nodes = {label: 1 for label in labels}
    links = 0
    for number, cells in rows:
        label = cells[0].strip() if cells else ""
        if label not in nodes:
            problems.append(Problem(number, "", label[:80], gettext_noop("a row label that is not a column label")))
            continue
        if len(cells) - 1 != len(labels):
            problems.append(Problem(number, "", str(len(cells) - 1),
                                    gettext_noop("not as many cells as there are columns")))
            continue
        for position, value in enumerate(cells[1:]):
            weight = _number(value)
            if weight is None or weight < 0:
                problems.append(Problem(number, labels[position], value[:80],
                                        gettext_noop("not a number of at least 0")))
            elif weight > 0 and labels[position] != label:
                links += 1
    return SheetCheck(problems[:MAX_PROBLEMS], nodes, len(rows), links, {}, True, labels)


def matrix_links(path: str | Path) -> Iterator[tuple[int, str, str, float, date | None, float | None, str]]:
    labels, rows = _matrix(path)
    for number, cells in rows:
        label = cells[0].strip()
        for position, value in enumerate(cells[1:]):
            weight = _number(value) or 0.0
            if weight > 0 and labels[position] != label:
                yield number, label, labels[position], weight, None, None, ""
