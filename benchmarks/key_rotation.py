"""Key rotation at scale: import N synthetic cases under key A, then make B current and time ``rotate``.

Baselines measured in the same run: one SQL statement rewriting every identifying column of every case with its
own value (the floor for rewriting the rows), and the decryption and re-encryption of every value in Python
without the database (the floor for the cryptography).

    .venv/bin/python benchmarks/key_rotation.py --rows 100000          # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keys_bench .venv/bin/python benchmarks/key_rotation.py

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
sys.path.insert(0, str(ROOT / "benchmarks"))

KEY_A = "benchmark-only-key-synthetic-data"  # the key benchmarks/cases.py imports with
KEY_B = "benchmark-only-second-key-synthetic-data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir_name:
        workdir = Path(workdir_name)
        import cases as import_benchmark  # benchmarks/cases.py

        import_benchmark.setup(workdir)
        from django.conf import settings
        from django.db import connection, transaction

        from palermo.accounts.access import SYSTEM
        from palermo.cases.crypto import Keyring
        from palermo.cases.encrypted import count_rows_to_rotate, key_counts
        from palermo.cases.models import IDENTIFYING_FIELDS
        from palermo.cases.services.rotation import rotate

        settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = KEY_A, []
        csv_path = workdir / "cases.csv"
        import_benchmark.generate(csv_path, arguments.rows)
        import_seconds, created, _ = import_benchmark.timed_import(csv_path, arguments.rows)
        import_benchmark.log(f"imported {created} cases in {import_seconds:.1f} s")

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(IDENTIFYING_FIELDS)} FROM cases_case")
            tokens = [token for row in cursor.fetchall() for token in row if token]
        ring = Keyring(KEY_B, [KEY_A])
        start = time.perf_counter()
        ring.encrypt_many([ring.decrypt(token) for token in tokens])
        crypto_seconds = time.perf_counter() - start
        del tokens

        assignments = ", ".join(f"{name} = {name}" for name in IDENTIFYING_FIELDS)
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE cases_case SET {assignments}")
        rewrite_seconds = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM cases_case")

        settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = KEY_B, [KEY_A]
        to_rotate = count_rows_to_rotate()
        start = time.perf_counter()
        rows = sum(result.rows for result in rotate(acting_user=SYSTEM.running("benchmark"),
                                                    batch_size=arguments.batch_size))
        rotate_seconds = time.perf_counter() - start
        left = count_rows_to_rotate()
        start = time.perf_counter()
        counts = key_counts()
        status_seconds = time.perf_counter() - start
        figures = {
            "database": connection.vendor, "cases": created, "rows_to_rotate": to_rotate, "rows_rotated": rows,
            "rows_left": left, "values_per_key": dict(counts), "batch_size": arguments.batch_size,
            "rotate_seconds": round(rotate_seconds, 2), "rotate_rows_per_second": round(rows / rotate_seconds),
            "sql_rewrite_seconds": round(rewrite_seconds, 2), "crypto_only_seconds": round(crypto_seconds, 2),
            "ratio_to_sql_rewrite": round(rotate_seconds / rewrite_seconds, 1),
            "ratio_to_crypto_only": round(rotate_seconds / crypto_seconds, 1),
            "key_status_seconds": round(status_seconds, 2),
        }
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
