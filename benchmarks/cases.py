"""Case import at scale: generate N HTCDS rows (CSV), import them with the validating importer, and compare with
a raw bulk load of the same CSV into a plain table of the same database (PostgreSQL COPY, SQLite executemany).

    .venv/bin/python benchmarks/cases.py --rows 1000000          # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/cases.py

Progress goes to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
    os.environ.setdefault("PALERMO_VAR_DIR", str(workdir / "var"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    # A fixed key: a benchmark database kept between runs stays readable (synthetic data only).
    os.environ.setdefault("PALERMO_FIELD_ENCRYPTION_KEY", "benchmark-only-key-synthetic-data")
    os.environ.setdefault("PALERMO_AUDIT_KEY", "benchmark-only-audit-key, synthetic data, never a real one")
    os.environ.setdefault("PALERMO_IMPORT_MAX_ROWS", "10000000")  # the benchmark's files are as large as asked
    os.environ.setdefault("PALERMO_IMPORT_MAX_BYTES", str(8 * 1024**3))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(path: Path, rows: int, seed: int = 7) -> list[str]:
    from palermo.cases.importing.records import ROW_KEY
    from palermo.cases.samples import HTCDS_COLUMNS, Profile, synthetic_row

    rng = random.Random(seed)
    countries = ["AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS"]
    profiles = {code: Profile(country=code, destination=code in {"GR", "HR", "RS"}) for code in countries}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HTCDS_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for index in range(rows):
            row = synthetic_row(rng, index, profiles[countries[index % len(countries)]], 2014 + index % 12)
            row.pop(ROW_KEY)
            writer.writerow(row)
            if index and index % 100_000 == 0:
                log(f"generated {index} rows")
    return HTCDS_COLUMNS


def remove_previous_run() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        selected = "SELECT id FROM cases_case WHERE source = %s"
        for table, column in (("cases_case_forms", "case_id"), ("cases_traffickingevent", "case_id"),
                              ("cases_perpetrator", "case_id"), ("cases_statuschange", "case_id"),
                              ("cases_case", "id")):
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({selected})", ["benchmark"])
    if connection.vendor == "postgresql":  # each run starts from tables without the dead rows of the last one
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) cases_case, cases_case_forms, cases_traffickingevent, "
                           "cases_perpetrator, cases_statuschange")


def timed_import(path: Path, rows: int) -> tuple[float, int, dict[str, float]]:
    """The import into the database alone: the diagnostics snapshot it refreshes on commit is timed apart
    (``snapshot_refresh_seconds``), so that the ratio compares like with like."""
    from tqdm import tqdm

    from palermo.accounts.access import SYSTEM
    from palermo.cases.services.imports import import_file
    from palermo.cases.signals import cases_changed
    from palermo.partners.models import Organisation

    remove_previous_run()
    organisation, _ = Organisation.objects.get_or_create(
        name="Benchmark NGO", country_id="RO", defaults={"short_name": "BENCH", "kind": Organisation.Kind.NGO})
    bars: dict[str, Any] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase) or bars.setdefault(phase, tqdm(total=total or rows, desc=phase, file=sys.stderr))
        bar.update(done - bar.n)

    receivers = cases_changed.receivers[:]
    cases_changed.receivers.clear()
    try:
        start = time.perf_counter()
        report = import_file(path, layout="htcds", source="benchmark", organisation=organisation, country="RO",
                             acting_user=SYSTEM.running("benchmark"), progress=progress)
        elapsed = time.perf_counter() - start
    finally:
        cases_changed.receivers[:] = receivers
        cases_changed.sender_receivers_cache.clear()
    for bar in bars.values():
        bar.close()
    if not report.ok:
        raise SystemExit(f"import refused the generated file: {report.as_dict()['problems'][:5]} {report.error}")
    log(f"import phases (s): {report.timings}")
    return elapsed, report.created, report.timings


def raw_load(path: Path, columns: list[str]) -> float:
    """The same CSV into a plain text table: no validation, no encryption, no derived values."""
    from django.db import connection, transaction

    table = "bench_raw_cases"
    names = ", ".join(f'"{name}"' for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TABLE {table} ({', '.join(f'{chr(34)}{n}{chr(34)} TEXT' for n in columns)})")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with path.open("rb") as handle, cursor.cursor.copy(
                    f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        else:
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                marks = ", ".join(["%s"] * len(columns))
                batch: list[list[str]] = []
                for row in reader:
                    batch.append(row)
                    if len(batch) == 50_000:
                        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
                        batch = []
                if batch:
                    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
    return elapsed


def diagnostics_figures(rows: int, workdir: Path) -> dict[str, Any]:
    """The diagnostics at this size: snapshot the imported cases, then the p95 of the main queries and their
    ratio to DuckDB on the Parquet file (``palermo.diagnostics.bench.measure``)."""
    from palermo.cases.flat import write_parquet
    from palermo.cases.models import Case
    from palermo.diagnostics import bench
    from palermo.diagnostics.figures import write_aggregates

    path = workdir / "diagnostics-snapshot.parquet"
    started = time.perf_counter()
    written = write_parquet(Case.objects.all(), path)
    write_aggregates(path)
    snapshot_seconds = time.perf_counter() - started
    result = bench.measure(path, repeats=20)
    return {
        "diagnostics_rows": written,
        "diagnostics_snapshot_seconds": round(snapshot_seconds, 2),
        "diagnostics_p95_ms": result["max_figure_p95_ms"],
        "diagnostics_whole_dashboard_p95_ms": result["whole_dashboard_p95_ms"],
        "diagnostics_ratio_to_duckdb_parquet": result["max_ratio_to_raw_duckdb"],
        "diagnostics_figures": result["figures"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-diagnostics", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="palermo-bench-") as folder:
        workdir = Path(folder)
        setup(workdir)
        from django.db import connection

        csv_path = workdir / "htcds.csv"
        log(f"generating {args.rows} HTCDS rows")
        columns = generate(csv_path, args.rows)
        log("raw bulk load (no validation)")
        raw_seconds = raw_load(csv_path, columns)
        log(f"raw load: {raw_seconds:.1f} s; importing with validation")
        import_seconds, created, phases = timed_import(csv_path, args.rows)
        log(f"import: {import_seconds:.1f} s; refreshing the diagnostics snapshot")
        from palermo.diagnostics.snapshot import refresh

        started = time.perf_counter()
        refresh()
        refresh_seconds = time.perf_counter() - started
        result: dict[str, Any] = {
            "rows": created, "database": connection.vendor, "import_seconds": round(import_seconds, 2),
            "raw_load_seconds": round(raw_seconds, 2), "ratio": round(import_seconds / raw_seconds, 2),
            "import_rows_per_second": round(created / import_seconds), "import_phases_seconds": phases,
            "snapshot_refresh_seconds": round(refresh_seconds, 2),
        }
        if not args.skip_diagnostics:
            result.update(diagnostics_figures(args.rows, workdir))
        print(json.dumps(result))


if __name__ == "__main__":
    main()
