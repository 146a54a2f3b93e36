"""Diagnostics at scale: p95 of the main figures over N flat case rows, against raw DuckDB on the same file.

    .venv/bin/python benchmarks/diagnostics.py [--rows 1000000] [--repeats 30]

Generates the Parquet snapshot directly (the case import is measured by benchmarks/cases.py, which calls the
same ``palermo.diagnostics.bench.measure`` on the snapshot of the cases it imported). Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from palermo.diagnostics.bench import measure, synthetic_parquet
from palermo.diagnostics.figures import write_aggregates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        path = synthetic_parquet(Path(folder) / "cases.parquet", args.rows)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        write_aggregates(path)  # what a refresh does after writing the snapshot
        aggregated = time.perf_counter() - started
        result = measure(path, repeats=args.repeats)
        result["aggregates_seconds"] = round(aggregated, 2)
        result["generate_seconds"] = round(generated, 2)
        result["parquet_mb"] = round(path.stat().st_size / 1e6, 1)
    for name, entry in result["figures"].items():
        print(f"{name:28} " + "  ".join(f"{key}={value}" for key, value in entry.items()))
    print(json.dumps({key: value for key, value in result.items() if key != "figures"}
                     | {"goal_p95_ms": 150, "figures": result["figures"]}))


if __name__ == "__main__":
    main()
