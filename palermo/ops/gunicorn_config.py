"""Gunicorn's configuration under ``palermo serve`` (``--config python:palermo.ops.gunicorn_config``).

Bind address, workers, threads and timeout come from the command line that ``palermo serve`` builds from its
options and settings; this module holds what does not change: threaded workers, graceful restarts, the log
format of the settings (with the request id on access lines), and the bookkeeping of per-worker metrics files.
"""

from __future__ import annotations

import gc
import os
from typing import Any

from palermo.conf import env_str
from palermo.ops.logs import ACCESS_TEXT_FORMAT, logging_config

worker_class = "gthread"
graceful_timeout = 30  # SIGTERM and SIGHUP: requests in flight get this long to finish
keepalive = 5  # behind nginx, connections are reused
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (heartbeat files, not data)
proc_name = "palermo"
# The application is imported once, in the master, then forked: workers start at once and share its memory.
# Code changes therefore need a restart (systemctl restart), not a reload.
preload_app = True
control_socket_disable = True  # no runtime control socket ($HOME/.gunicorn/gunicorn.ctl): systemd's signals suffice
logconfig_dict = logging_config(
    env_str("PALERMO_LOG_FORMAT", "text") or "text", env_str("PALERMO_LOG_LEVEL", "WARNING") or "WARNING",
    gunicorn=True,
)
access_log_format = ACCESS_TEXT_FORMAT


def when_ready(server: Any) -> None:
    """Before forking: load the URL configuration (it imports every view) and the migration files (read by
    ``/readyz``), so each worker starts warm; then move everything loaded out of the garbage collector's sight.
    Workers then share those pages with the master instead of copying them, and exit in a fraction of a second
    instead of seconds spent collecting a heap that is about to vanish."""
    from django.db.migrations.loader import MigrationLoader
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading them is the point)
    MigrationLoader(None, ignore_no_migrations=True)
    gc.freeze()


def child_exit(server: Any, worker: Any) -> None:
    """A worker ended: its live gauges leave the sums (its counters and histograms stay counted)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
