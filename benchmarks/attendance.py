"""Attendance import at scale: an attendance sheet of N rows imported through ``import_attendance`` (read by the
cases readers, every row checked, duplicates found, bulk written, the indicator feed refreshed, audited) against a
raw bulk load of the same file (the same reader, then ``bulk_create`` with no check), each into a fresh training.

    .venv/bin/python benchmarks/attendance.py --rows 20000 [--format csv|xlsx]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/attendance_bench .venv/bin/python benchmarks/attendance.py

SQLite in a temporary directory unless DATABASE_URL says otherwise. Progress goes to stderr; the last line of
stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

HEADERS = ["Given name", "Family name", "Sex", "Profession", "Organisation", "Email", "Attended", "Pre-test",
           "Post-test"]
PROFESSIONS = ["police", "border police", "prosecutors", "judges", "labour inspectors", "social workers",
               "health staff", "teachers", "NGO staff", "consular staff"]


def generate(path: Path, rows: int, fmt: str, seed: int = 11) -> None:
    rng = random.Random(seed)
    data = []
    for index in range(rows):
        pre = rng.randint(20, 80)
        data.append([f"Given{index}", f"Family{index % 997}", rng.choice(["F", "M"]), rng.choice(PROFESSIONS),
                     f"Institution {index % 50}", f"person{index}@example.org", rng.choice(["yes", "yes", "no"]),
                     str(pre), str(min(100, pre + rng.randint(-5, 30)))])
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            writer.writerows(data)
        return
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    workbook.save(path)


def raw_load(path: Path, training: object) -> int:
    """The baseline: the same reader, the cells taken as they are, one bulk insert, no check, no audit."""
    from palermo.capacity.attendance import LIMITS
    from palermo.capacity.models import Participant
    from palermo.cases.importing.readers import read_table

    _names, rows = read_table(path, LIMITS)
    people = [Participant(training=training, given_name=row["Given name"], family_name=row["Family name"],
                          sex="female" if row["Sex"] == "F" else "male", profession="police",
                          organisation=row["Organisation"], email=row["Email"], attended=row["Attended"] == "yes",
                          pre_score=row["Pre-test"] or None, post_score=row["Post-test"] or None) for row in rows]
    Participant.objects.bulk_create(people, batch_size=2000)
    return len(people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir_name:
        workdir = Path(workdir_name)
        import cases as case_benchmark  # benchmarks/cases.py: the same Django set-up

        case_benchmark.setup(workdir)
        from datetime import date

        from django.db import transaction

        from palermo.accounts.access import SYSTEM
        from palermo.capacity import services
        from palermo.capacity.attendance import import_attendance
        from palermo.capacity.models import Participant
        from palermo.partners.models import Organisation
        from palermo.programme.models import Action, ActionCountry, Programme
        from palermo.reference.models import Country

        path = workdir / f"attendance.{arguments.format}"
        generate(path, arguments.rows, arguments.format)
        case_benchmark.log(f"generated {arguments.rows} rows ({path.stat().st_size:,} bytes)")
        donor, _ = Organisation.objects.get_or_create(name="Benchmark donor", defaults={"kind": "donor"})
        programme, _ = Programme.objects.get_or_create(iati_identifier="XM-BENCH", defaults={
            "title_en": "Benchmark", "reporting_organisation": donor})
        action, created = Action.objects.get_or_create(iati_identifier="XM-BENCH-1", defaults={
            "programme": programme, "title_en": "Benchmark action", "channel": "bilateral", "status": 2,
            "planned_start": date(2024, 1, 1)})
        if created:
            ActionCountry.objects.create(action=action, country_id="RO", percentage=100)
        actor = SYSTEM.running("benchmark")

        def training() -> object:
            return services.create_training(acting_user=actor, data=services.TrainingData(
                title_en="Benchmark training", country=Country.objects.get(code="RO"), action=action,
                start_date=date(2024, 5, 6), end_date=date(2024, 5, 8), status="held", place="Bucharest"))

        start = time.perf_counter()
        report = import_attendance(acting_user=actor, training=training(), path=path)
        import_seconds = time.perf_counter() - start
        assert report.ok, report.as_dict()["problems"][:5] or report.error
        case_benchmark.log(f"import: {report.created} participants in {import_seconds:.2f} s")
        start = time.perf_counter()
        with transaction.atomic():
            loaded = raw_load(path, training())
        raw_seconds = time.perf_counter() - start
        case_benchmark.log(f"raw bulk load: {loaded} participants in {raw_seconds:.2f} s")
        assert Participant.objects.count() >= 2 * arguments.rows
        print(json.dumps({"rows": arguments.rows, "format": arguments.format,
                          "import_seconds": round(import_seconds, 3),
                          "raw_load_seconds": round(raw_seconds, 3),
                          "ratio": round(import_seconds / raw_seconds, 2) if raw_seconds else None,
                          "rows_per_second": round(arguments.rows / import_seconds)}))


if __name__ == "__main__":
    main()
