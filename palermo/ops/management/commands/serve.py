"""``palermo serve``: the production web server (gunicorn) with the production settings."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from palermo.ops.staticfiles import missing_static_files


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prepare_metrics_dir(path: Path) -> None:
    """Create the folder of per-worker metrics files and drop those of processes that have ended (a previous
    run's workers): counters start again from zero, as Prometheus expects after a restart."""
    path.mkdir(parents=True, exist_ok=True)
    for file in path.glob("*.db"):
        pid = file.stem.rsplit("_", 1)[-1]
        if not pid.isdigit() or not _pid_alive(int(pid)):
            file.unlink(missing_ok=True)


class Command(BaseCommand):
    help = (
        "Serve Palermo with gunicorn and the production settings (PALERMO_PRODUCTION=1), behind a reverse proxy. "
        "Static files must have been collected first: palermo collectstatic --noinput."
    )

    # Django's system checks import every view, then gunicorn imports them all again: the deployment steps run
    # ``palermo check --deploy`` once instead, and this command checks only what serving needs.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=settings.SERVE_BIND, help="address:port or unix:PATH [%(default)s]")
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS, help="processes [%(default)s]")
        parser.add_argument("--threads", type=int, default=settings.SERVE_THREADS, help="threads each [%(default)s]")
        parser.add_argument(
            "--timeout", type=int, default=settings.SERVE_TIMEOUT,
            help="seconds before a silent worker is restarted [%(default)s]",
        )
        parser.add_argument("--dry-run", action="store_true", help="print the gunicorn command and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.PRODUCTION:
            raise CommandError(
                "palermo serve runs the production settings: set PALERMO_PRODUCTION=1 and its secrets "
                "(docs/deployment.md); for development use palermo runserver."
            )
        for name in ("workers", "threads", "timeout"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1")
        missing = missing_static_files()
        if missing:
            raise CommandError(
                f"{len(missing)} static files are not collected in {settings.STATIC_ROOT} (first: {missing[0]}): "
                "run palermo collectstatic --noinput, then start again."
            )
        metrics_dir = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.METRICS_DIR)
        command = [
            sys.executable, "-m", "gunicorn",
            "--config", "python:palermo.ops.gunicorn_config",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--timeout", str(options["timeout"]),
            "palermo.wsgi:application",
        ]
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "palermo.settings"),
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        }
        if options["dry_run"]:
            self.stdout.write(f"PROMETHEUS_MULTIPROC_DIR={shlex.quote(str(metrics_dir))} {shlex.join(command)}")
            return
        prepare_metrics_dir(metrics_dir)
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        # gunicorn takes this process's place: systemd's main process, its signals (TERM: graceful stop,
        # HUP: graceful reload of the workers) and its exit status are gunicorn's.
        os.execve(sys.executable, command, environment)  # noqa: S606
