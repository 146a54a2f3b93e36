"""``/api/jobs/``: the caller's background jobs and where each stands (the pages poll the same figures)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from palermo.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True, allow_null=True, help_text="NULL while the total is unknown")
    finished = serializers.BooleanField(read_only=True)
    result = serializers.JSONField(read_only=True, help_text="the job's result once it succeeded, else NULL")
    url = serializers.SerializerMethodField(help_text="the job's status page")

    class Meta:
        model = Job
        fields = ["id", "kind", "label", "status", "finished", "done", "total", "percent", "phase", "result",
                  "error", "next_url", "attempts", "max_attempts", "created_by_name", "created_at", "started_at",
                  "updated_at", "finished_at", "url"]
        read_only_fields = fields

    def get_url(self, job: Job) -> str:
        from django.urls import reverse

        return reverse("jobs:detail", args=[job.pk])


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The jobs the caller may see: their own, and for managers every job that holds no identifying data."""

    serializer_class = JobSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.visible_to(self.request.user)  # type: ignore[arg-type]


def register(router: BaseRouter) -> None:
    router.register("jobs", JobViewSet, basename="job")
