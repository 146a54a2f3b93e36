"""The job status page and its polling fragment; what an app links to after ``enqueue``."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.jobs.models import Job


def visible_job(request: AuthenticatedHttpRequest, pk: int) -> Job:
    """The job if the reader may see it; 404 alike for a missing and a forbidden job."""
    job = Job.objects.visible_to(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@signed_in
def job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/job_detail.html", {"job": visible_job(request, pk)})


@signed_in
def job_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/job_progress.html", {"job": visible_job(request, pk)})
