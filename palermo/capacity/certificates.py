"""Bilingual attendance certificates (English and French on the same page), as PDF by WeasyPrint from one
self-contained HTML document: nothing is fetched (as the steering review's PDF)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from palermo.capacity.models import Participant, Training
from palermo.i18n import day, number


def _side(training: Training, language: str) -> dict[str, Any]:
    with translation.override(language):
        return {
            "title": (training.title_fr or training.title_en) if language == "fr" else training.title_en,
            "country": training.country.name_fr if language == "fr" else training.country.name_en,
            "start": day(training.start_date), "end": day(training.end_date),
            "hours": number(training.hours) if training.hours else "",
            "mode": training.get_mode_display(),
        }


def certificate_number(training: Training, participant: Participant) -> str:
    return f"PAL-{training.pk:05d}-{participant.pk:06d}"


def certificates_document(training: Training, participants: list[Participant]) -> str:
    return render_to_string("capacity/certificates.html", {
        "training": training, "en": _side(training, "en"), "fr": _side(training, "fr"),
        "people": [(p, certificate_number(training, p)) for p in participants],
        "organiser": training.organiser_organisation.name if training.organiser_organisation else "",
    })


def certificates_pdf(training: Training, participants: list[Participant]) -> bytes:
    from weasyprint import HTML

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"the certificate may not fetch {url}")

    return HTML(string=certificates_document(training, participants), url_fetcher=refuse).write_pdf()
