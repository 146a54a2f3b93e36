"""Backup and restore at scale: import N synthetic cases, time ``palermo backup create``, then ``palermo backup
restore`` (another process) into an empty scratch database, against the bare copy tools on the same database
(PostgreSQL: pg_dump and pg_restore alone; SQLite: the online backup API alone), which do not hash, seal or verify.

    .venv/bin/python benchmarks/backup.py --rows 100000          # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/backup_bench .venv/bin/python benchmarks/backup.py

On PostgreSQL the scratch database is <name>_restore, created and dropped by the script. Progress goes to stderr;
the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir_name:
        workdir = Path(workdir_name)
        import cases as import_benchmark  # benchmarks/cases.py

        import_benchmark.setup(workdir)
        from django.core.management import call_command
        from django.db import connection

        from palermo.backup.database import pg_environment, pg_tool

        csv_path = workdir / "cases.csv"
        import_benchmark.generate(csv_path, arguments.rows)
        import_seconds, created, _ = import_benchmark.timed_import(csv_path, arguments.rows)
        import_benchmark.log(f"imported {created} cases in {import_seconds:.1f} s")

        backup = workdir / "backup"
        out = StringIO()
        start = time.perf_counter()
        call_command("backup", "create", "--output", str(backup), stdout=out)
        create_seconds = time.perf_counter() - start
        import_benchmark.log(out.getvalue())
        manifest = json.loads((backup / "manifest.json").read_text())

        postgresql = connection.vendor == "postgresql"
        bare = workdir / "bare"
        start = time.perf_counter()
        if postgresql:
            subprocess.run([pg_tool("pg_dump"), "--format=custom", f"--file={bare}"], env=pg_environment(connection),
                           check=True)
        else:
            copy = sqlite3.connect(bare)
            connection.ensure_connection()
            connection.connection.backup(copy)
            copy.close()
        bare_dump_seconds = time.perf_counter() - start

        scratch_var = workdir / "restored"
        if postgresql:
            name = f"{connection.settings_dict['NAME']}_restore"
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{name}"')
            scratch_url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
        else:
            scratch_url = f"sqlite:///{workdir / 'restored.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": scratch_url, "PALERMO_VAR_DIR": str(scratch_var)}
        start = time.perf_counter()
        restored = subprocess.run([sys.executable, "-m", "palermo.cli", "backup", "restore", str(backup)],
                                  cwd=ROOT, env=env, capture_output=True, text=True)
        restore_seconds = time.perf_counter() - start
        import_benchmark.log(restored.stdout + restored.stderr)

        bare_restore_seconds = 0.0
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{name}"')
            start = time.perf_counter()
            subprocess.run([pg_tool("pg_restore"), "--no-owner", "--single-transaction", f"--dbname={name}",
                            str(bare)], env=pg_environment(connection), check=True)
            bare_restore_seconds = time.perf_counter() - start
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            target = sqlite3.connect(workdir / "bare-restored.sqlite3")
            source = sqlite3.connect(bare)
            start = time.perf_counter()
            source.backup(target)
            bare_restore_seconds = time.perf_counter() - start
            source.close()
            target.close()

        figures = {
            "benchmark": "backup",
            "engine": connection.vendor,
            "cases": created,
            "tables": len(manifest["tables"]),
            "rows": sum(table["rows"] for table in manifest["tables"].values()),
            "backup_bytes": folder_bytes(backup),
            "create_seconds": round(create_seconds, 2),
            "bare_dump_seconds": round(bare_dump_seconds, 2),
            "create_ratio": round(create_seconds / bare_dump_seconds, 1) if bare_dump_seconds else None,
            "restore_seconds": round(restore_seconds, 2),
            "restore_exit_code": restored.returncode,
            "bare_restore_seconds": round(bare_restore_seconds, 2),
            "restore_ratio": round(restore_seconds / bare_restore_seconds, 1) if bare_restore_seconds else None,
        }
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
