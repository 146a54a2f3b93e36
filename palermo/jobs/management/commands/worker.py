"""``palermo worker``: django-tasks' database worker, with a heartbeat and recovery of crashed attempts."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from palermo.jobs import worker


class Command(db_worker.Command):
    help = (
        "Run background jobs from the database queue. On start, jobs left running by a worker that died are "
        "queued again (retryable) or marked failed with the reason; a heartbeat row shows the worker is alive."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # A reloading parent process would beat a heartbeat for the child that does the work: not offered.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("reload"):
            raise CommandError("palermo worker does not reload on code changes: restart it instead.")
        worker_id = options["worker_id"]
        worker.begin(worker_id)
        worker.recover(me=worker_id)  # each job settled is logged
        heartbeat = worker.Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            worker.end(worker_id)
