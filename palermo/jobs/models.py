"""A background job as the pages show it, and the heartbeat of each running worker."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.accounts.roles import Role

if TYPE_CHECKING:
    from palermo.accounts.access import Actor
    from palermo.accounts.models import User


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: User) -> JobQuerySet:
        """A job is seen by whoever started it; managers also see the jobs that hold no identifying data.

        A job that may show identifying data stays with its creator, and only while the creator's role may
        see identifying data.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        own = Q(created_by=user)
        if not user.may_see_identifying_data:
            own &= Q(identifying=False)
        if user.role == Role.PROGRAMME_MANAGER:
            return self.filter(own | Q(identifying=False))
        return self.filter(own)

    def unfinished(self) -> JobQuerySet:
        return self.filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING))


class Job(models.Model):
    """One piece of background work: who asked for it, where it stands, and how it ended.

    The queue itself is django-tasks' table (``task_result_id`` names the current attempt's row); this row is
    what people see.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    label = models.CharField(_("label"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("started by"),
    )
    created_by_name = models.CharField(_("started by"), max_length=150)
    identifying = models.BooleanField(
        _("may show identifying data"), default=True,
        help_text=_("Only its creator sees such a job, and only while their role may see identifying data."),
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    function = models.CharField(_("function"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=200, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    next_url = models.CharField(_("result page"), max_length=300, blank=True)
    retryable = models.BooleanField(_("retried after a crash"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    task_result_id = models.CharField(_("task id"), max_length=64, blank=True, db_index=True)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    # When report_progress last wrote this job (time.monotonic(), in the running process only).
    progress_written: float = 0.0

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["status", "kind"], name="jobs_job_status_kind")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def acting_user(self) -> Actor:
        """Who the job acts for: its creator, or the system command that started it."""
        from palermo.accounts.access import SYSTEM

        if self.created_by is not None:
            return self.created_by
        return SYSTEM.running(self.created_by_name.removeprefix("system: "))

    @property
    def result_text(self) -> str:
        return "" if self.result is None else json.dumps(self.result, indent=2, ensure_ascii=False, sort_keys=True)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(100 * self.done / self.total))


class WorkerHeartbeat(models.Model):
    """A ``palermo worker`` process: written when it starts, touched every few seconds, closed when it stops."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} (pid {self.pid} on {self.host})"
