"""Case export at scale (issue 14): import N synthetic HTCDS rows, then time ``palermo export cases`` in both
layouts against a baseline measured in the same run on the same cases: ``flat_rows``, the statistics' per-case
read of the same table (two queries per chunk, no children but the forms).

    .venv/bin/python benchmarks/case_export.py --rows 20000          # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/case_export.py

Progress goes to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        import cases as import_bench  # benchmarks/cases.py: the same setup, rows and import

        import_bench.setup(workdir)
        import_bench.remove_previous_run()
        csv_path = workdir / "cases.csv"
        import_bench.generate(csv_path, args.rows)
        seconds_import, created, _timings = import_bench.timed_import(csv_path, args.rows)

        from palermo.accounts.models import User
        from palermo.accounts.roles import Role
        from palermo.cases.flat import flat_rows
        from palermo.cases.models import Case
        from palermo.cases.services.exports import export_cases
        from palermo.partners.models import Organisation

        organisation = Organisation.objects.get(name="Benchmark NGO")
        worker, _ = User.objects.get_or_create(username="bench-export", defaults={
            "role": Role.CASE_WORKER, "organisation": organisation})
        worker.role, worker.organisation = Role.CASE_WORKER, organisation
        worker.save()
        worker.countries.set(["RO"])

        started = time.perf_counter()
        baseline_rows = sum(1 for _ in flat_rows(Case.objects.all()))
        baseline = time.perf_counter() - started
        results = {"rows": args.rows, "created": created, "import_s": round(seconds_import, 2),
                   "baseline_flat_rows_s": round(baseline, 2), "baseline_rows": baseline_rows}
        for layout in ("htcds", "ctdc"):
            started = time.perf_counter()
            export = export_cases(acting_user=worker, layout=layout, output=workdir / f"out-{layout}.csv")
            seconds = time.perf_counter() - started
            print(f"{layout}: {export.rows} cases in {seconds:.2f} s", file=sys.stderr)
            results[f"{layout}_s"] = round(seconds, 2)
            results[f"{layout}_rows"] = export.rows
            results[f"{layout}_ratio_to_baseline"] = round(seconds / baseline, 1) if baseline else None
            results[f"{layout}_cases_per_s"] = round(export.rows / seconds) if seconds else None
        print(json.dumps(results))


if __name__ == "__main__":
    main()
