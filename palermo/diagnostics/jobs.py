"""Background jobs of the diagnostics (palermo.jobs, run by ``palermo worker``): refreshing the snapshot after cases
changed, and making a microdata release.

A refresh is queued when cases change (:func:`on_cases_changed`), unless one is already waiting: the waiting one
reads every change made before it starts. A refresh that finds the snapshot already made from the data as they are
ends at once, saying so.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.diagnostics import snapshot
from palermo.diagnostics.releases import ReleaseError
from palermo.jobs.models import Job
from palermo.jobs.services import JobFailed, job_function, report_progress

REFRESH_KIND = "diagnostics.refresh"
RELEASE_KIND = "diagnostics.release"
REFRESH_ACTOR = SYSTEM.running("diagnostics refresh")


@job_function
def refresh_snapshot(job: Job) -> dict[str, Any]:
    """Rewrite the snapshot and its aggregates, unless they are already current."""
    phases = {"checking": _("checking the snapshot"), "writing": _("writing the snapshot"),
              "aggregating": _("aggregating")}

    def progress(phase: str, done: int, total: int) -> None:
        report_progress(job, done, total, phases[phase], force=True)

    rows, refreshed = snapshot.refresh_if_stale(progress)
    if not refreshed:
        report_progress(job, snapshot.STEPS, snapshot.STEPS, _("already current"), force=True)
        return {"rows": rows, "refreshed": False, "note": "already current"}
    return {"rows": rows, "refreshed": True}


def on_cases_changed(sender: Any, count: int = 0, inline: bool = False, **kwargs: Any) -> None:
    """Cases were committed: refresh now for a command that exits next, else queue a refresh job."""
    from palermo.diagnostics.services import queue_snapshot_refresh

    if inline:
        snapshot.refresh()
        return
    queue_snapshot_refresh(acting_user=REFRESH_ACTOR)


@job_function
def make_release(job: Job, kind: str, k: int, dims: list[str], epsilon: float | None,
                 country: str | None) -> dict[str, Any]:
    """Make a release as the person who asked for it (``services.create_release``: logged and audited)."""
    from palermo.diagnostics.services import create_release

    person = job.acting_user
    if not isinstance(person, User):
        raise JobFailed(_("The account that asked for this release no longer exists."))
    report_progress(job, 0, 1, _("computing the release"), force=True)
    try:
        release = create_release(acting_user=person, kind=kind, k=k, dims=dims, epsilon=epsilon, country=country)
    except ReleaseError as error:
        raise JobFailed(_(error.message) % error.params if error.params else _(error.message)) from error
    report_progress(job, 1, 1, _("done"), force=True)
    return {"release": release.pk, "kind": release.kind, "rows": release.rows,
            "cells_suppressed": release.cells_suppressed, "sha256": release.sha256}
