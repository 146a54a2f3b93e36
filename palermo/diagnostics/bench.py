"""Timing of the main diagnostics queries, for ``benchmarks/cases.py`` and ``benchmarks/diagnostics.py``.

Pure: no Django (``benchmarks/cases.py`` writes the snapshot of the cases it imported, then calls :func:`measure`).

:func:`measure` times the dashboard path — scope filter pushed into SQL, disclosure control, JSON building —
against DuckDB computing the same figures straight from the Parquet file, in the same run.
"""

# SQL text is built from fixed fragments and the figure names of FIELDS.
# ruff: noqa: S608
from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from palermo.diagnostics import figures as queries
from palermo.diagnostics.figures import Scope, Snapshot

MAIN_FIGURES = ("trend", "sex", "age_band", "forms", "means_of_control", "citizenship", "country_of_exploitation",
                "flows")
COUNTRIES = ("AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS")


def synthetic_parquet(path: str | Path, rows: int, seed: int = 1) -> Path:
    """``rows`` flat case rows with plausible spreads, deterministic (hash of the row number), made by DuckDB."""
    path = Path(path)
    countries = "['" + "','".join(COUNTRIES) + "']"
    forms = "['sexual_exploitation','forced_labour','begging','criminal_activities','forced_marriage']"
    means = "['DebtBondage','FalsePromises','PhysicalAbuse','PsychologicalAbuse','WithholdsDocuments','Threats']"
    bands = "['0-8','9-17','18-20','21-23','24-26','27-29','30-38','39-47','48+','']"
    sql = f"""
    COPY (
      SELECT i AS case_id, 'C' || lpad(CAST(i AS VARCHAR), 8, '0') AS case_code,
        {countries}[1 + CAST(hash(i, {seed}, 1) % 11 AS INTEGER)]
          AS owner_country,
        CAST(1 + CAST(hash(i, {seed}, 2) % 200 AS INTEGER) AS BIGINT) AS organisation_id,
        CAST(2014 + CAST(hash(i, {seed}, 3) % 12 AS INTEGER) AS INTEGER) AS year_identified,
        ['female','female','female','male','other','unknown'][1 + CAST(hash(i, {seed}, 4) % 6 AS INTEGER)]
          AS sex,
        {bands}[1 + CAST(hash(i, {seed}, 5) % 10 AS INTEGER)]
          AS age_band,
        CASE CAST(hash(i, {seed}, 6) % 4 AS INTEGER) WHEN 0 THEN TRUE WHEN 3 THEN NULL ELSE FALSE END AS is_minor,
        {countries}[1 + CAST(hash(i, {seed}, 7) % 11 AS INTEGER)]
          AS citizenship,
        (['DE','IT','FR','AT','GR','RO','RS','']::VARCHAR[])[1 + CAST(hash(i, {seed}, 8) % 8 AS INTEGER)]
          AS country_of_exploitation,
        CASE CAST(hash(i, {seed}, 9) % 3 AS INTEGER) WHEN 0 THEN ['RS','HU'] WHEN 1 THEN ['MK']
             ELSE []::VARCHAR[] END AS transit_countries,
        ['traditional','migration_route',''][1 + CAST(hash(i, {seed}, 10) % 3 AS INTEGER)]
          AS thb_form,
        list_distinct([{forms}[1 + CAST(hash(i, {seed}, 11) % 5 AS INTEGER)],
                       {forms}[1 + CAST(hash(i, {seed}, 12) % 5 AS INTEGER)]]) AS forms,
        CASE WHEN CAST(hash(i, {seed}, 13) % 3 AS INTEGER) = 0 THEN []::VARCHAR[]
             ELSE list_distinct([{means}[1 + CAST(hash(i, {seed}, 14) % 6 AS INTEGER)],
                                {means}[1 + CAST(hash(i, {seed}, 15) % 6 AS INTEGER)]])
        END AS means_of_control,
        [['ThroughFriendsOrSocialEvents','ThroughAnOnlineAdvertisement','AtWork']
           [1 + CAST(hash(i, {seed}, 16) % 3 AS INTEGER)]]
          AS recruitment_methods,
        ['Familial','Friend','IntimatePartner','Other',''][1 + CAST(hash(i, {seed}, 17) % 5 AS INTEGER)]
          AS recruiter_relation,
        ['possible','actual','actual','not_victim'][1 + CAST(hash(i, {seed}, 18) % 4 AS INTEGER)]
          AS status
      FROM range(1, {rows} + 1) t(i)
    ) TO '{str(path).replace("'", "''")}' (FORMAT parquet)
    """
    connection = duckdb.connect(":memory:")
    try:
        connection.execute(sql)
    finally:
        connection.close()
    return path


def _p95_ms(run: Callable[[], Any], repeats: int) -> float:
    run()  # warm the file cache and DuckDB's metadata cache
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]


def _dashboard_figure(snap: Snapshot, name: str, scope: Scope) -> str:
    if name == "trend":
        figure = queries.trend(snap, scope)
    elif name == "flows":
        figure = queries.flows(snap, scope)
    else:
        figure = queries.distribution(snap, name, scope)
    return json.dumps(figure.as_dict())


def _raw_run(connection: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    return connection.execute(sql).fetchall()


def _raw_sql(name: str, source: str) -> str:
    if name == "flows":
        return (f"SELECT citizenship, t, country_of_exploitation, count(*) FROM (SELECT citizenship, "
                f"country_of_exploitation, unnest(CASE WHEN len(transit_countries) = 0 THEN ['direct'] "
                f"ELSE transit_countries END) AS t FROM {source}) GROUP BY ALL")
    column, multi = queries.FIELDS["year" if name == "trend" else name]
    if multi:
        return f"SELECT v, count(*) FROM (SELECT unnest({column}) AS v FROM {source}) GROUP BY v"
    return f"SELECT {column}, count(*) FROM {source} GROUP BY {column}"


def measure(parquet_path: str | Path, repeats: int = 30, country: str = "RO") -> dict[str, Any]:
    """p95 milliseconds of each main figure through the dashboard path (exact for one country, released for all
    countries) and of the raw DuckDB query on the same file; the ratios dashboard / raw."""
    path = Path(parquet_path)
    source = f"read_parquet('{str(path).replace(chr(39), chr(39) * 2)}')"
    raw = duckdb.connect(":memory:")
    scopes = {"exact_one_country": Scope(frozenset({country}), exact=True),
              "released_all_countries": Scope(None, exact=False)}
    result: dict[str, Any] = {"rows": raw.execute(f"SELECT count(*) FROM {source}").fetchone()[0],  # type: ignore[index]
                              "repeats": repeats, "figures": {}}
    with Snapshot(path) as snap:
        for name in MAIN_FIGURES:
            raw_ms = _p95_ms(partial(_raw_run, raw, _raw_sql(name, source)), repeats)
            entry: dict[str, float] = {"raw_duckdb_p95_ms": round(raw_ms, 2)}
            for label, scope in scopes.items():
                ms = _p95_ms(partial(_dashboard_figure, snap, name, scope), repeats)
                entry[f"{label}_p95_ms"] = round(ms, 2)
                entry[f"{label}_ratio"] = round(ms / raw_ms, 2) if raw_ms else 0.0
            result["figures"][name] = entry
        whole = _p95_ms(lambda: [_dashboard_figure(snap, n, scopes["released_all_countries"])
                                 for n in MAIN_FIGURES], max(5, repeats // 5))
    raw.close()
    dashboard_p95 = [v[f"{label}_p95_ms"] for v in result["figures"].values() for label in scopes]
    result["max_figure_p95_ms"] = max(dashboard_p95)
    result["max_ratio_to_raw_duckdb"] = max(v[f"{label}_ratio"] for v in result["figures"].values()
                                            for label in scopes)
    result["whole_dashboard_p95_ms"] = round(whole, 2)
    return result
