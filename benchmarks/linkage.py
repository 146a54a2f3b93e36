"""Entity resolution at scale: N generated person records of the region with realistic errors
(``palermo.linkage.synthetic``), resolved by Palermo (``palermo.linkage.engine.resolve``: folding, Splink
training, prediction, clustering) and by Splink alone on the same prepared records and the same settings and
training calls, in the same run; seconds and peak memory (resident set, DuckDB included) of each step, the ratio
Palermo / Splink alone, and pairwise and cluster F1 against the generator's truth.

    .venv/bin/python benchmarks/linkage.py --size 100000
    .venv/bin/python benchmarks/linkage.py               # 1,000,000 records

Each variant runs in its own process (so that peak memory is its own); progress goes to stderr, the last line
of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _reset_peak() -> None:
    """Linux: start the peak resident set again from the current one (``/proc/self/clear_refs``)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


class Step:
    def __init__(self, out: dict[str, Any], name: str) -> None:
        self.out, self.name = out, name

    def __enter__(self) -> None:
        _reset_peak()
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.out[self.name] = {"seconds": round(time.perf_counter() - self.started, 2),
                               "peak_mb": round(_peak_bytes() / 2**20, 1)}


def run_palermo(raw_path: Path) -> dict[str, Any]:
    import polars as pl

    from palermo.linkage.engine import keyed, link_type_for, make_linker, train
    from palermo.linkage.evaluation import scores
    from palermo.linkage.records import prepare

    steps: dict[str, Any] = {}
    raw = pl.read_parquet(raw_path)
    with Step(steps, "preparation"):
        frame = prepare(raw, truth="truth")
    # the same calls as engine.resolve, step by step so that each is measured on its own
    with Step(steps, "training"):
        linker = make_linker([frame])
        train(linker, frame.columns, em_max_pairs=2e6 if frame.height > 100_000 else None)
    with Step(steps, "prediction"):
        predictions = linker.inference.predict(threshold_match_probability=0.5)
    with Step(steps, "clustering"):
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=0.9)
        table = pl.from_arrow(clusters.as_pyarrow_table())
        assert isinstance(table, pl.DataFrame)
    predicted = keyed(table.with_columns(pl.col("cluster_id").cast(pl.Utf8)), "cluster_id")
    result = scores(predicted, keyed(frame, "truth"))
    assert link_type_for([frame]) == "dedupe_only"
    return {"steps": steps, "pairs": predictions.as_pyarrow_table().num_rows,
            "pairwise_f1": result["pairwise"]["f1"], "cluster_f1": result["cluster"]["f1"],
            "pairwise": result["pairwise"], "cluster": result["cluster"]}


def run_splink_alone(prepared_path: Path) -> dict[str, Any]:
    """Splink's own API on the already-prepared records, with the same settings object and training calls."""
    import polars as pl
    from splink import DuckDBAPI, Linker, block_on

    from palermo.linkage.settings import person_settings, person_training_rules

    steps: dict[str, Any] = {}
    frame = pl.read_parquet(prepared_path).drop("truth")
    with Step(steps, "training"):
        api = DuckDBAPI()
        table = api.register(frame.to_arrow(), dataset_display_name="input_0")
        linker = Linker(table, person_settings(frame.columns), log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("first_name", "surname", "dob"), block_on("document")], recall=0.7)
        linker.training.estimate_u_using_random_sampling(max_pairs=5e5, seed=42)
        for rule in person_training_rules(frame.columns):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=2e6 if frame.height > 100_000 else None)
    with Step(steps, "prediction"):
        predictions = linker.inference.predict(threshold_match_probability=0.5)
    with Step(steps, "clustering"):
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=0.9)
        clusters.as_pyarrow_table()
    return {"steps": steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="records to generate (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--variant", choices=["palermo", "splink"], help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.variant:
        runner = run_palermo if arguments.variant == "palermo" else run_splink_alone
        print(json.dumps(runner(Path(arguments.input))))
        return

    from palermo.linkage.records import prepare
    from palermo.linkage.synthetic import generate

    with tempfile.TemporaryDirectory() as folder:
        raw_path, prepared_path = Path(folder) / "raw.parquet", Path(folder) / "prepared.parquet"
        started = time.perf_counter()
        raw = generate(arguments.size, seed=arguments.seed)
        raw.write_parquet(raw_path)
        prepare(raw, truth="truth").write_parquet(prepared_path)
        print(f"generated {raw.height:,} records of {raw['truth'].n_unique():,} people in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        results = {}
        for variant, path in (("splink", prepared_path), ("palermo", raw_path)):
            began = time.perf_counter()
            done = subprocess.run([sys.executable, __file__, "--variant", variant, "--input", str(path)],
                                  capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                  check=False)
            if done.returncode:
                sys.exit(f"{variant} failed:\n{done.stderr[-3000:]}")
            results[variant] = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{variant}: {time.perf_counter() - began:.1f} s {results[variant]['steps']}", file=sys.stderr)
    palermo, alone = results["palermo"]["steps"], results["splink"]["steps"]
    compared = ("training", "prediction", "clustering")
    palermo_total = sum(palermo[s]["seconds"] for s in (*compared, "preparation"))
    alone_total = sum(alone[s]["seconds"] for s in compared)
    print(json.dumps({
        "records": arguments.size, "pairs_scored": results["palermo"]["pairs"],
        "palermo": palermo, "splink_alone": alone,
        "ratio": {s: round(palermo[s]["seconds"] / max(alone[s]["seconds"], 1e-3), 2) for s in compared}
        | {"total_with_preparation": round(palermo_total / max(alone_total, 1e-3), 2)},
        "f1": {"pairwise": results["palermo"]["pairwise_f1"], "cluster": results["palermo"]["cluster_f1"]},
        "precision_recall": {"pairwise": results["palermo"]["pairwise"], "cluster": results["palermo"]["cluster"]},
    }))


if __name__ == "__main__":
    main()
