"""What ``palermo serve`` checks before handing over to gunicorn (the real server: test_serve.py)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from palermo.ops.management.commands.serve import prepare_metrics_dir
from palermo.ops.staticfiles import missing_static_files


@pytest.fixture
def production(settings: Any, tmp_path: Path) -> Any:
    settings.PRODUCTION = True
    settings.STATIC_ROOT = tmp_path / "static"
    settings.METRICS_DIR = tmp_path / "metrics"
    return settings


def test_serve_runs_the_production_settings_only(settings: Any) -> None:
    settings.PRODUCTION = False
    with pytest.raises(CommandError, match="palermo serve runs the production settings: set PALERMO_PRODUCTION=1"):
        call_command("serve", "--dry-run")


def test_serve_refuses_to_start_before_collectstatic(production: Any) -> None:
    with pytest.raises(CommandError, match=r"static files are not collected in .*: run palermo collectstatic"):
        call_command("serve", "--dry-run")


def test_serve_refuses_an_out_of_date_collection(production: Any) -> None:
    manifest = Path(production.STATIC_ROOT) / "staticfiles.json"
    manifest.parent.mkdir(parents=True)
    every_file = missing_static_files()
    assert "palermo/palermo.css" in every_file
    assert "vendor/plotly.min.js" in every_file  # found by the package-data finder
    manifest.write_text(json.dumps({"paths": {name: name for name in every_file if name != "palermo/palermo.css"}}))
    assert missing_static_files() == ["palermo/palermo.css"]
    with pytest.raises(CommandError, match=r"1 static files are not collected .* \(first: palermo/palermo.css\)"):
        call_command("serve", "--dry-run")


def test_serve_hands_over_to_gunicorn_with_its_options(production: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    manifest = Path(production.STATIC_ROOT) / "staticfiles.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"paths": {name: name for name in missing_static_files()}}))
    output = io.StringIO()
    call_command("serve", "--dry-run", "--bind", "unix:/run/palermo/palermo.sock", "--workers", "2", stdout=output)
    words = output.getvalue().split()
    assert words[0] == f"PROMETHEUS_MULTIPROC_DIR={production.METRICS_DIR}"
    assert words[2:] == [
        "-m", "gunicorn", "--config", "python:palermo.ops.gunicorn_config", "--bind", "unix:/run/palermo/palermo.sock",
        "--workers", "2", "--threads", "4", "--timeout", "60", "palermo.wsgi:application",
    ]
    with pytest.raises(CommandError, match="--threads must be at least 1"):
        call_command("serve", "--dry-run", "--threads", "0")


def test_metrics_files_of_ended_processes_are_dropped_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    alive = folder / f"counter_{os.getpid()}.db"
    ended = folder / "histogram_999999999.db"
    for file in (alive, ended):
        file.write_bytes(b"")
    prepare_metrics_dir(folder)
    assert sorted(folder.iterdir()) == [alive]
