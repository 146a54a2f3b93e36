"""The fast path of the commonest large file, a plain edge list (source, target, optional weight), without Django:
one pass checks every row and keeps the links as integer arrays (node positions, weights), so the import neither
reads the file twice nor builds a tuple per row. A row that fails a quick test goes through the general row check
(``reading._row_problems``), which names its problems exactly as for any other spreadsheet."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
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


# Characters Python's str.split and str.strip take as white space beyond space and tab: a file holding one is read by
# the Python pass, whose splitting rules are the reference.
_OTHER_SPACE = "[\\x{0b}\\x{0c}\\x{1c}-\\x{1f}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}" \
               "\\x{205f}\\x{3000}\\r\\n]"
_NUMBER = "^[0-9]{1,15}(\\.[0-9]{1,15})?$"


def vectorised_edges(path: str | Path, delimiter: str, positions: dict[str, int], header: bool) -> SheetCheck | None:
    """The same check as ``check_edges``, in DuckDB (its CSV reader and SQL, on every core): for a file whose rows
    all pass the quick test (both ends present and at most 300 characters, the weight absent or a plain decimal
    number). Returns None for anything else (a bad row, a quote, an unusual white space), and the Python pass then
    reads the file and names each problem. Row numbers are the file's line numbers, as in the Python pass."""
    import duckdb

    from palermo.networks.reading import SheetCheck

    if delimiter != " " and delimiter not in (",", ";", "\t"):
        return None
    at_source, at_target = positions["source"] + 1, positions["target"] + 1  # SQL lists count from 1
    at_weight = positions.get("weight", 1 << 20) + 1
    if delimiter == " ":
        cells = "string_split_regex(trim(line, ' ' || chr(9)), '[ \\t]+')"
        blank = "trim(line, ' ' || chr(9)) = ''"
    else:
        cells = f"list_transform(string_split(line, '{delimiter}'), lambda c: trim(c, ' ' || chr(9)))"
        blank = f"regexp_replace(line, '[ \\t{delimiter}]', '', 'g') = ''"
    con = duckdb.connect()
    try:
        con.execute("SET threads = 2")
        con.execute("CREATE TEMP TABLE lines AS SELECT row_number() OVER () AS n, coalesce(line, '') AS line FROM "
                    "read_csv(?, columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', "
                    "header = false, auto_detect = false, strict_mode = false)", [str(path)])
        odd = con.execute("SELECT count(*) FROM lines WHERE line LIKE '%\"%' OR regexp_matches(line, ?)",
                          [_OTHER_SPACE]).fetchone()
        if odd is None or odd[0]:
            return None
        con.execute(f"CREATE TEMP TABLE cells AS SELECT n, {cells} AS c FROM lines WHERE NOT ({blank})")  # noqa: S608
        if header:
            con.execute("DELETE FROM cells WHERE n = (SELECT min(n) FROM cells)")
        con.execute(f"CREATE TEMP TABLE edges AS SELECT n, coalesce(c[{at_source}], '') AS a, "  # noqa: S608
                    f"coalesce(c[{at_target}], '') AS b, replace(replace(coalesce(c[{at_weight}], ''), ',', '.'), "
                    "' ', '') AS w FROM cells")
        bad = con.execute("SELECT count(*) FROM edges WHERE a = '' OR b = '' OR length(a) > 300 OR length(b) > 300 "
                          "OR (w <> '' AND NOT regexp_matches(w, ?))", [_NUMBER]).fetchone()
        if bad is None or bad[0]:
            return None
        con.execute("CREATE TEMP TABLE nodes AS SELECT label, seen, row_number() OVER (ORDER BY seen) - 1 AS i "
                    "FROM (SELECT label, min(place) AS seen FROM (SELECT a AS label, 2 * n AS place FROM edges "
                    "UNION ALL SELECT b, 2 * n + 1 FROM edges) GROUP BY label)")
        found = con.execute("SELECT list(label ORDER BY i), list(seen // 2 ORDER BY i) FROM nodes").fetchone()
        labels, firsts = (found[0] or [], found[1] or []) if found else ([], [])
        linked = con.execute("SELECT list(s.i ORDER BY e.n), list(t.i ORDER BY e.n), list(CASE WHEN e.w = '' THEN "
                             "1.0 ELSE CAST(e.w AS DOUBLE) END ORDER BY e.n), count(*) FROM edges e JOIN nodes s ON "
                             "s.label = e.a JOIN nodes t ON t.label = e.b").fetchone()
    finally:
        con.close()
    if not linked or not linked[3]:
        return None
    sources, targets, weights = array("q", linked[0]), array("q", linked[1]), array("d", linked[2])
    return SheetCheck([], dict(zip(labels, firsts, strict=True)), len(sources), len(sources), positions, header,
                      edges=(sources, targets, weights))
