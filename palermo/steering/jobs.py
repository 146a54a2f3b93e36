"""The background job making a review's PDF (palermo.jobs, run by ``palermo worker``): WeasyPrint takes seconds,
so the pages queue it (``services.queue_review_pdf``) instead of rendering in the request."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from palermo.jobs.models import Job
from palermo.jobs.services import job_function, report_progress
from palermo.steering import services
from palermo.steering.models import FrozenReview, SteeringMeeting


@job_function
def make_review_pdf(job: Job, meeting_id: int, language: str) -> dict[str, Any]:
    """Make (a closed meeting: freeze) the PDF of the review of ``meeting_id`` in ``language``."""
    meeting = SteeringMeeting.objects.get(pk=meeting_id)
    phases = {"computing": (0, _("computing the review")), "rendering": (1, _("rendering the PDF"))}

    def progress(phase: str) -> None:
        done, text = phases[phase]
        report_progress(job, done, 2, text, force=True)

    content, frozen = services.make_review_pdf(acting_user=job.acting_user, meeting=meeting, language=language,
                                               progress=progress)
    report_progress(job, 2, 2, _("stored"), force=True)
    return {"year": meeting.year, "language": language, "frozen": frozen, "bytes": len(content),
            "sha256": FrozenReview.digest(content)}
