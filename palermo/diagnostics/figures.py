"""The diagnostics figures, computed by DuckDB over the columnar snapshot of flat case rows. No Django.

A figure is computed for a :class:`Scope`: the owner countries whose cases count, and whether the figures
are exact (the user's own countries) or released (k-rounded with complementary suppression, see
:mod:`palermo.diagnostics.disclosure`). Shares follow CTDC's denominator rule: the denominator counts only
persons for whom the field is known, so the shares of a multi-valued field can sum past 100 %.
"""

# SQL text is built only from the column names of FIELDS and fixed fragments; every value is a parameter.
# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from palermo.diagnostics import disclosure
from palermo.diagnostics.disclosure import TOTAL

UNKNOWN = "unknown"
AGE_BANDS = ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+")
SEXES = ("female", "male", "other")

# figure name -> (column, multi-valued)
FIELDS: dict[str, tuple[str, bool]] = {
    "year": ("year_identified", False),
    "country_of_exploitation": ("country_of_exploitation", False),
    "citizenship": ("citizenship", False),
    "sex": ("sex", False),
    "age_band": ("age_band", False),
    "minors": ("is_minor", False),
    "forms": ("forms", True),
    "means_of_control": ("means_of_control", True),
    "recruitment_methods": ("recruitment_methods", True),
    "recruiter_relation": ("recruiter_relation", False),
    "thb_form": ("thb_form", False),
    "status": ("status", False),
    "owner_country": ("owner_country", False),
    "transit_countries": ("transit_countries", True),
}
DISTRIBUTIONS = ("country_of_exploitation", "citizenship", "sex", "age_band", "minors", "forms",
                 "means_of_control", "recruitment_methods", "recruiter_relation", "thb_form")


@dataclass(frozen=True)
class Scope:
    """Which owner countries count (``None`` = all) and whether figures are exact or released."""

    countries: frozenset[str] | None
    exact: bool
    k: int = disclosure.DEFAULT_K
    year_from: int | None = None
    year_to: int | None = None
    statuses: tuple[str, ...] = ("possible", "actual")

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.countries is not None:
            clauses.append("list_contains(?, owner_country)")
            params.append(sorted(self.countries))
        if self.year_from is not None:
            clauses.append("year_identified >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            clauses.append("year_identified <= ?")
            params.append(self.year_to)
        if self.statuses:
            clauses.append("list_contains(?, status)")
            params.append(list(self.statuses))
        return (" AND ".join(clauses) or "TRUE"), params


@dataclass
class FigureRow:
    category: str
    count: int | None
    share: float | None = None
    change: float | None = None  # year-on-year change (trend figures only)


@dataclass
class Figure:
    name: str
    rows: list[FigureRow]
    denominator: int | None  # persons with the field known
    unknown: int | None  # persons with the field unknown
    exact: bool
    k: int
    multi_valued: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "figure": self.name, "exact": self.exact, "k": None if self.exact else self.k,
            "multi_valued": self.multi_valued, "denominator": self.denominator, "unknown": self.unknown,
            # What the total counts: victims, each once, whatever the categories of a multi-valued field add up to.
            "total": {"counts": "victims", "count": self.denominator,
                      "note": "one victim can count in several categories; the categories add up to more"
                      if self.multi_valued else ""},
            "rows": [{"category": r.category, "count": r.count, "share": r.share, "change": r.change}
                     for r in self.rows],
            **self.extra,
        }


AGGREGATE_KEYS = "owner_country, year_identified, status"


def _value_expression(name: str) -> str:
    column, multi = FIELDS[name]
    if multi:
        return f"unnest(CASE WHEN coalesce(len({column}), 0) = 0 THEN [''] ELSE list_distinct({column}) END)"
    if name == "minors":
        return f"CASE WHEN {column} IS NULL THEN '' WHEN {column} THEN 'minor' ELSE 'adult' END"
    return f"coalesce(nullif(CAST({column} AS VARCHAR), '{UNKNOWN}'), '')"


def aggregates_sql() -> str:
    """Counts per (owner country, year, status, field, value): every dashboard figure is a sum over these.

    For a multi-valued field, value ``''`` counts persons with nothing recorded, and the field ``<name>#known``
    counts persons (``known`` / ``''``) so that the CTDC denominator stays a count of persons.
    """
    parts = []
    for name, (column, multi) in FIELDS.items():
        parts.append(f"SELECT '{name}' AS field, {AGGREGATE_KEYS}, value, count(*) AS n FROM "
                     f"(SELECT {AGGREGATE_KEYS}, {_value_expression(name)} AS value FROM cases) GROUP BY ALL")
        if multi:
            parts.append(f"SELECT '{name}#known', {AGGREGATE_KEYS}, CASE WHEN coalesce(len({column}), 0) > 0 "
                         f"THEN 'known' ELSE '' END, count(*) FROM cases GROUP BY ALL")
    parts.append(f"SELECT 'flows#known', {AGGREGATE_KEYS}, CASE WHEN citizenship <> '' AND "
                 f"country_of_exploitation <> '' THEN 'known' ELSE '' END, count(*) FROM cases GROUP BY ALL")
    return " UNION ALL ".join(parts)


def flows_sql() -> str:
    """Counts per (owner country, year, status, citizenship, transit or 'direct', country of exploitation)."""
    return (f"SELECT {AGGREGATE_KEYS}, citizenship, transit, country_of_exploitation, count(*) AS n FROM "
            f"(SELECT {AGGREGATE_KEYS}, citizenship, country_of_exploitation, "
            f"unnest(CASE WHEN coalesce(len(transit_countries), 0) = 0 THEN ['direct'] "
            f"ELSE list_distinct(transit_countries) END) AS transit FROM cases "
            f"WHERE citizenship <> '' AND country_of_exploitation <> '') GROUP BY ALL")


def aggregate_paths(path: Path) -> tuple[Path, Path]:
    return path.with_suffix(".aggregates.parquet"), path.with_suffix(".flows.parquet")


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _connect() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                              "autoload_known_extensions": False})


def write_aggregates(path: str | Path) -> tuple[Path, Path]:
    """Pre-compute the aggregates of a snapshot into two small Parquet files beside it (temporary names, then
    renamed), so dashboards sum a few thousand rows instead of scanning every case."""
    path = Path(path)
    targets = aggregate_paths(path)
    connection = _connect()
    try:
        connection.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet({_quoted(path)})")
        for sql, target in zip((aggregates_sql(), flows_sql()), targets, strict=True):
            temporary = target.with_suffix(".tmp")
            connection.execute(f"COPY ({sql}) TO {_quoted(temporary)} (FORMAT parquet)")
            temporary.replace(target)
    finally:
        connection.close()
    return targets


class Snapshot:
    """DuckDB views over one Parquet file of flat case rows (``palermo.cases.flat``) and its aggregates.

    The aggregates are read from the files :func:`write_aggregates` wrote when they are at least as new as the
    snapshot; otherwise they are computed in memory when the snapshot is opened.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.connection = _connect()
        self.connection.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet({_quoted(self.path)})")
        aggregates, flows = aggregate_paths(self.path)
        mtime = self.path.stat().st_mtime
        if all(p.exists() and p.stat().st_mtime >= mtime for p in (aggregates, flows)):
            self.connection.execute(f"CREATE VIEW agg AS SELECT * FROM read_parquet({_quoted(aggregates)})")
            self.connection.execute(f"CREATE VIEW flow_agg AS SELECT * FROM read_parquet({_quoted(flows)})")
        else:
            self.connection.execute(f"CREATE TABLE agg AS {aggregates_sql()}")
            self.connection.execute(f"CREATE TABLE flow_agg AS {flows_sql()}")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.cursor().execute(sql, list(params)).fetchall()

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def scope_where(self, countries: frozenset[str] | None) -> tuple[str, list[Any]]:
        return Scope(countries, exact=True).where()

    def rows(self, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        cursor = self.connection.cursor().execute(f"SELECT * FROM cases WHERE {where} ORDER BY case_id", list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def raw_counts(snapshot: Snapshot, name: str, scope: Scope) -> tuple[dict[str, int], int, int]:
    """(count per known category, persons with the field known, persons with it unknown) — exact."""
    multi = FIELDS[name][1]
    where, params = scope.where()
    rows = snapshot.query(f"SELECT value, sum(n) FROM agg WHERE field = ? AND {where} GROUP BY value",
                          [name, *params])
    counts = {str(value): int(count) for value, count in rows if value != ""}
    if not multi:
        unknown = sum(int(count) for value, count in rows if value == "")
        return counts, sum(counts.values()), unknown
    persons = dict(snapshot.query(f"SELECT value, sum(n) FROM agg WHERE field = ? AND {where} GROUP BY value",
                                  [f"{name}#known", *params]))
    return counts, int(persons.get("known") or 0), int(persons.get("") or 0)


def _ordered(name: str, counts: dict[str, int]) -> list[str]:
    if name == "age_band":
        return [band for band in AGE_BANDS if band in counts] + sorted(set(counts) - set(AGE_BANDS))
    if name == "year":
        return sorted(counts)
    return sorted(counts, key=lambda category: (-counts[category], category))


def distribution(snapshot: Snapshot, name: str, scope: Scope) -> Figure:
    counts, known, unknown = raw_counts(snapshot, name, scope)
    multi = FIELDS[name][1]
    categories = _ordered(name, counts)
    if scope.exact:
        released: dict[str, int | None] = dict(counts)
        denominator: int | None = known
        unknown_out: int | None = unknown
    else:
        table = disclosure.protect_1d(counts, k=scope.k, total=known, categories=categories)
        released = {category: table.value(category) for category in categories}
        denominator = table.value(TOTAL)
        unknown_out = disclosure.protect_1d({UNKNOWN: unknown}, k=scope.k).value(UNKNOWN)
        categories = [c for c in categories if released[c] is not None] + [c for c in categories
                                                                            if released[c] is None]
    rows = [FigureRow(category, released[category], _share(released[category], denominator))
            for category in categories]
    return Figure(name, rows, denominator, unknown_out, scope.exact, scope.k, multi)


def _share(count: int | None, denominator: int | None) -> float | None:
    if count is None or not denominator:
        return None
    return count / denominator


def trend(snapshot: Snapshot, scope: Scope) -> Figure:
    """Persons by year identified, with the change on the year before (None when either is unknown)."""
    figure = distribution(snapshot, "year", scope)
    by_year = {row.category: row for row in figure.rows}
    rows = []
    for year in sorted(by_year, key=int):
        row = by_year[year]
        previous = by_year.get(str(int(year) - 1))
        if previous is not None and previous.count and row.count is not None:
            row.change = (row.count - previous.count) / previous.count
        row.share = None
        rows.append(row)
    figure.rows = rows
    return figure


def flows(snapshot: Snapshot, scope: Scope) -> Figure:
    """Links citizenship -> transit country (or "direct") -> country of exploitation, for a Sankey diagram.

    A person with several transit countries follows each of them; persons with an unknown citizenship or
    country of exploitation are left out (counted in ``unknown``).
    """
    where, params = scope.where()
    first = snapshot.query(f"SELECT citizenship, transit, sum(n) FROM flow_agg WHERE {where} GROUP BY ALL", params)
    second = snapshot.query(f"SELECT transit, country_of_exploitation, sum(n) FROM flow_agg WHERE {where} "
                            f"GROUP BY ALL", params)
    persons = dict(snapshot.query(f"SELECT value, sum(n) FROM agg WHERE field = 'flows#known' AND {where} "
                                  f"GROUP BY value", params))
    known, total = int(persons.get("known") or 0), int(sum(persons.values()))
    links: list[dict[str, Any]] = []
    for stage, rows in (("origin", first), ("destination", second)):
        cells: dict[tuple[str, ...], int] = {(str(a), str(b)): int(c) for a, b, c in rows}
        if scope.exact:
            released: dict[tuple[str, ...], int | None] = dict(cells)
        else:
            table = disclosure.protect(("source", "target"), cells, k=scope.k)
            released = {key: table.released[key] for key in cells}
        for (source, target), count in sorted(released.items()):
            links.append({"stage": stage, "source": source, "target": target, "count": count})
    figure_rows = [FigureRow(f"{link['source']} → {link['target']}", link["count"]) for link in links]
    unknown = int(total) - int(known)
    if not scope.exact:
        known = disclosure.protect_1d({"known": int(known)}, k=scope.k).value("known") or 0
        unknown = disclosure.protect_1d({UNKNOWN: unknown}, k=scope.k).value(UNKNOWN)  # type: ignore[assignment]
    return Figure("flows", figure_rows, int(known), unknown, scope.exact, scope.k, extra={"links": links})


def headline_total(snapshot: Snapshot, scope: Scope, year: int | None = None) -> int | None:
    where, params = scope.where()
    if year is not None:
        where += " AND year_identified = ?"
        params.append(year)
    count = int(snapshot.query(f"SELECT coalesce(sum(n), 0) FROM agg WHERE field = 'year' AND {where}", params)[0][0])
    return count if scope.exact else (None if count < scope.k else disclosure.round_down(count, scope.k))


def latest_year(snapshot: Snapshot, scope: Scope) -> int | None:
    where, params = scope.where()
    value = snapshot.query(f"SELECT max(year_identified) FROM agg WHERE field = 'year' AND {where}", params)[0][0]
    return int(value) if value is not None else None


def dashboard(snapshot: Snapshot, scope: Scope) -> dict[str, Figure]:
    """Every figure of the diagnostics page for one scope."""
    figures = {"trend": trend(snapshot, scope)}
    for name in DISTRIBUTIONS:
        figures[name] = distribution(snapshot, name, scope)
    figures["flows"] = flows(snapshot, scope)
    return figures


def cube(snapshot: Snapshot, dims: Sequence[str], scope: Scope) -> tuple[dict[tuple[str, ...], int],
                                                                          list[list[str]]]:
    """Exact counts of distinct persons for every combination of ``dims``, margins included (for releases).

    Multi-valued fields are unnested; their margin counts each person once, over persons with it known.
    """
    where, params = scope.where()
    selects = []
    for dim in dims:
        column, multi = FIELDS[dim]
        if multi:
            selects.append(f"unnest(CASE WHEN coalesce(len({column}), 0) = 0 THEN ['{UNKNOWN}'] "
                           f"ELSE list_distinct({column}) END) AS {dim}")
        elif dim == "minors":
            selects.append(f"CASE WHEN {column} IS NULL THEN '{UNKNOWN}' WHEN {column} THEN 'minor' "
                           f"ELSE 'adult' END AS {dim}")
        else:
            selects.append(f"coalesce(nullif(CAST({column} AS VARCHAR), ''), '{UNKNOWN}') AS {dim}")
    columns = ", ".join(dims)
    rows = snapshot.query(
        f"SELECT {columns}, GROUPING({columns}) AS g, count(DISTINCT case_id) FROM "
        f"(SELECT case_id, {', '.join(selects)} FROM cases WHERE {where}) GROUP BY CUBE({columns})", params)
    cells: dict[tuple[str, ...], int] = {}
    categories: list[set[str]] = [set() for _ in dims]
    for row in rows:
        values, grouping, count = row[:-2], int(row[-2]), int(row[-1])
        key = []
        for position, value in enumerate(values):
            rolled_up = (grouping >> (len(dims) - 1 - position)) & 1
            key.append(TOTAL if rolled_up else str(value))
            if not rolled_up:
                categories[position].add(str(value))
        cells[tuple(key)] = count
    return cells, [sorted(c) for c in categories]
