"""State changes of the steering committee. Each one checks its actor's right, and is audited in its own
transaction. Commands and the demo act as ``SYSTEM.running(...)``; there is no "skip the check"."""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme.models import Action
from palermo.steering.access import may_manage_steering, may_read_steering
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
from palermo.steering.report import render_document, render_document_and_review, render_pdf
from palermo.steering.review import review_figures

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def _require_manager(acting_user: Actor) -> None:
    if not may_manage_steering(acting_user):
        raise PermissionDenied


@transaction.atomic
def create_meeting(
    *, acting_user: Actor, year: int, date: date, place: str, participants: str = ""
) -> SteeringMeeting:
    _require_manager(acting_user)
    if SteeringMeeting.objects.filter(year=year).exists():
        raise ValidationError({"year": _("There is already a meeting for %(year)s.") % {"year": year}})
    meeting = SteeringMeeting(year=year, date=date, place=place, participants=participants)
    meeting.full_clean()
    meeting.save()
    record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        object_type="steering.meeting",
        object_id=meeting.pk,
        detail={"year": year},
    )
    return meeting


@transaction.atomic
def add_decision(
    *,
    acting_user: Actor,
    meeting: SteeringMeeting,
    text_en: str,
    text_fr: str,
    owner: str,
    due_date: date | None = None,
    actions: list[Action] | tuple[Action, ...] = (),
) -> Decision:
    _require_manager(acting_user)
    meeting = SteeringMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise _closed_error()
    decision = Decision(meeting=meeting, text_en=text_en, text_fr=text_fr, owner=owner, due_date=due_date)
    decision.full_clean()
    decision.save()
    decision.actions.set(actions)
    record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        object_type="steering.decision",
        object_id=decision.pk,
        detail={"year": meeting.year, "actions": sorted(a.iati_identifier for a in actions)},
    )
    return decision


def _closed_error() -> ValidationError:
    return ValidationError(_("The meeting is closed: its decisions can no longer change."), code="closed")


@transaction.atomic
def update_decision(
    *,
    acting_user: Actor,
    decision: Decision,
    text_en: str,
    text_fr: str,
    owner: str,
    due_date: date | None = None,
    actions: list[Action] | tuple[Action, ...] = (),
) -> Decision:
    """Change a decision of a draft meeting (every field given: the API's PATCH fills in the others)."""
    _require_manager(acting_user)
    meeting = SteeringMeeting.objects.select_for_update().get(pk=decision.meeting_id)
    if meeting.is_closed:
        raise _closed_error()
    decision = Decision.objects.get(pk=decision.pk)
    before = {
        "text_en": decision.text_en,
        "text_fr": decision.text_fr,
        "owner": decision.owner,
        "due_date": decision.due_date.isoformat() if decision.due_date else None,
        "actions": sorted(decision.actions.values_list("iati_identifier", flat=True)),
    }
    decision.text_en, decision.text_fr, decision.owner, decision.due_date = text_en, text_fr, owner, due_date
    decision.full_clean()
    decision.save()
    decision.actions.set(actions)
    after = {
        "text_en": text_en,
        "text_fr": text_fr,
        "owner": owner,
        "due_date": due_date.isoformat() if due_date else None,
        "actions": sorted(a.iati_identifier for a in actions),
    }
    record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        object_type="steering.decision",
        object_id=decision.pk,
        detail={"year": meeting.year, "changed": {k: after[k] for k in after if after[k] != before[k]}},
    )
    return decision


def _freeze(meeting: SteeringMeeting, language: str, fmt: str, content: bytes) -> FrozenReview:
    return FrozenReview.objects.create(
        meeting=meeting, language=language, format=fmt, content=content, sha256=FrozenReview.digest(content)
    )


@transaction.atomic
def close_meeting(*, acting_user: Actor, meeting: SteeringMeeting, with_pdf: bool = True) -> SteeringMeeting:
    """Freeze the review in every language (HTML, and PDF unless ``with_pdf`` is off: it is then made from
    the frozen HTML on first request) and close the meeting. Later data changes leave it as it is."""
    _require_manager(acting_user)
    meeting = SteeringMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError(_("The meeting is already closed."))
    meeting.status = SteeringMeeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = acting_user if isinstance(acting_user, User) else None
    meeting.save(update_fields=["status", "closed_at", "closed_by"])
    hashes = {}
    for language in LANGUAGE_CODES:
        document, review = render_document_and_review(meeting, language)
        if language == LANGUAGE_CODES[0]:
            figures = json.dumps(review_figures(review), sort_keys=True, separators=(",", ":")).encode("utf-8")
            hashes["figures.json"] = _freeze(meeting, language, FrozenReview.Format.JSON, figures).sha256
        hashes[f"{language}.html"] = _freeze(meeting, language, FrozenReview.Format.HTML, document).sha256
        if with_pdf:
            hashes[f"{language}.pdf"] = _freeze(meeting, language, FrozenReview.Format.PDF, render_pdf(document)).sha256
    record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        object_type="steering.meeting",
        object_id=meeting.pk,
        detail={"year": meeting.year, "closed": True, "sha256": hashes},
    )
    return meeting


class FrozenReviewAltered(Exception):
    pass


def frozen_review(*, acting_user: Actor, meeting: SteeringMeeting, language: str, fmt: str) -> FrozenReview:
    """The stored review of a closed meeting, its hash checked. A missing PDF is made once from the frozen
    HTML (so it shows the data as they stood at closing) and stored with its hash, on behalf of whoever
    first asked for it."""
    with transaction.atomic():
        found = FrozenReview.objects.filter(meeting=meeting, language=language, format=fmt).first()
        if found is None and fmt == FrozenReview.Format.PDF:
            html = frozen_review(acting_user=acting_user, meeting=meeting, language=language,
                                 fmt=FrozenReview.Format.HTML)
            found = _freeze(meeting, language, fmt, render_pdf(bytes(html.content)))
            record(
                actor=acting_user,
                action=AuditEvent.Action.CREATE,
                object_type="steering.frozen_review",
                object_id=found.pk,
                detail={"year": meeting.year, "language": language, "format": fmt, "sha256": found.sha256},
            )
    if found is None:
        raise FrozenReview.DoesNotExist
    if not found.is_intact():
        raise FrozenReviewAltered(f"the stored {fmt} review of {meeting.year} ({language}) does not match its hash")
    return found


def review_bytes(*, acting_user: Actor, meeting: SteeringMeeting, language: str, fmt: str) -> bytes:
    """The review to hand out: the frozen one for a closed meeting, freshly computed for a draft. Audited as
    an export."""
    if not may_read_steering(acting_user):
        raise PermissionDenied
    if meeting.is_closed:
        content = bytes(frozen_review(acting_user=acting_user, meeting=meeting, language=language, fmt=fmt).content)
    else:
        document = render_document(meeting, language)
        content = document if fmt == FrozenReview.Format.HTML else render_pdf(document)
    with transaction.atomic():
        record(
            actor=acting_user,
            action=AuditEvent.Action.EXPORT,
            object_type="steering.review",
            object_id=meeting.pk,
            detail={
                "year": meeting.year,
                "language": language,
                "format": fmt,
                "frozen": meeting.is_closed,
                "sha256": FrozenReview.digest(content),
            },
        )
    return content
