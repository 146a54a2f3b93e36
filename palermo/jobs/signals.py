"""Signals of the jobs app, so that an app can act on how its jobs end without the jobs app knowing it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once a job has reached its final status (``succeeded`` or ``failed``: a function that returned or raised,
# or an attempt cut short that may not be retried), never for an attempt queued again. Arguments: ``sender`` (the
# Job model) and ``job`` (the Job, refreshed). Sent inside the transaction that records the outcome when there is
# one; a receiver keys on ``job.kind`` and must not raise (the outcome is recorded whatever it does).
job_finished = Signal()
