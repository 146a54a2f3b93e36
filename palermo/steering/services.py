"""State changes of the steering committee. Each one checks its actor's right, and is audited in its own
transaction. Commands and the demo act as ``SYSTEM.running(...)``; there is no "skip the check"."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.jobs.models import Job
from palermo.jobs.services import enqueue
from palermo.programme.models import Action
from palermo.reference.models import Country
from palermo.steering.access import FULL_REVIEW_ROLES, may_manage_steering, may_read_steering, review_scope
from palermo.steering.figures import Review, Scope
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
from palermo.steering.record import record_bytes, review_from_record
from palermo.steering.report import meeting_decisions, render_document, render_pdf, render_review, review_for
from palermo.steering.review import review_figures
from palermo.steering.scope import scoped_review

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
PDF_JOB_KIND = "steering.review_pdf"
# PDFs of draft reviews, made by the worker, kept under MEDIA_ROOT by year, language and hash of their document.
DRAFT_FOLDER = "steering_drafts"


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


def _freeze(meeting: SteeringMeeting, language: str, fmt: str, content: bytes, scope: str = "") -> FrozenReview:
    return FrozenReview.objects.create(
        meeting=meeting, scope=scope, language=language, format=fmt, content=content,
        sha256=FrozenReview.digest(content),
    )


def _figures_bytes(review: Review) -> bytes:
    return json.dumps(review_figures(review), sort_keys=True, separators=(",", ":")).encode("utf-8")


@transaction.atomic
def close_meeting(*, acting_user: Actor, meeting: SteeringMeeting, with_pdf: bool = True, queue_pdf: bool = False,
                  request: HttpRequest | None = None) -> SteeringMeeting:
    """Freeze the full review in every language and close the meeting. Later data changes leave it as it is.

    The HTML, the figures and the review's facts (``record.py``, from which the readers' versions are drawn) are
    frozen and their hashes sealed in the closing audit row. The PDF is made from the frozen HTML: now, its hashes
    joining the seal (``with_pdf``), or else later, frozen with its hash in its own audit row: by a job per language
    queued in this transaction (``queue_pdf``, the meeting page), or on first request."""
    _require_manager(acting_user)
    meeting = SteeringMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError(_("The meeting is already closed."))
    meeting.status = SteeringMeeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = acting_user if isinstance(acting_user, User) else None
    meeting.save(update_fields=["status", "closed_at", "closed_by"])
    decisions = meeting_decisions(meeting)
    hashes = {}
    for language in LANGUAGE_CODES:
        review = review_for(meeting, language, decisions=decisions)
        document = render_review(meeting, review, language)
        if language == LANGUAGE_CODES[0]:
            hashes["figures.json"] = _freeze(meeting, language, FrozenReview.Format.JSON, _figures_bytes(review)).sha256
        hashes[f"{language}.html"] = _freeze(meeting, language, FrozenReview.Format.HTML, document).sha256
        hashes[f"{language}.data.json"] = _freeze(meeting, language, FrozenReview.Format.DATA,
                                                  record_bytes(review)).sha256
        if with_pdf:
            hashes[f"{language}.pdf"] = _freeze(meeting, language, FrozenReview.Format.PDF, render_pdf(document)).sha256
    record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        object_type="steering.meeting",
        object_id=meeting.pk,
        detail={"year": meeting.year, "closed": True, "sha256": hashes},
    )
    if queue_pdf and not with_pdf:
        for language in LANGUAGE_CODES:
            queue_review_pdf(acting_user=acting_user, meeting=meeting, language=language, request=request)
    return meeting


class FrozenReviewAltered(Exception):
    pass


def _key(scope: Scope | None) -> str:
    return "" if scope is None else scope.key


def frozen_review(*, acting_user: Actor, meeting: SteeringMeeting, language: str, fmt: str,
                  scope: Scope | None = None) -> FrozenReview:
    """The stored review of a closed meeting (the full one, or the version of ``scope``), its hash checked.

    What closing did not store is made once from what it sealed, and stored with its hash and an audit row naming
    its source, on behalf of whoever first asked for it: a PDF from the frozen HTML; a version's HTML and figures
    from the full review's frozen facts. Either way it shows the data as they stood at closing."""
    key = _key(scope)
    with transaction.atomic():
        if fmt == FrozenReview.Format.PDF or scope is not None:  # made one at a time: a second asker waits
            SteeringMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
        found = FrozenReview.objects.filter(meeting=meeting, scope=key, language=language, format=fmt).first()
        if found is None:
            found = _make_frozen(acting_user, meeting, language, fmt, scope)
    if found is None:
        raise FrozenReview.DoesNotExist
    if not found.is_intact():
        version = f", version {key}" if key else ""
        raise FrozenReviewAltered(
            f"the stored {fmt} review of {meeting.year} ({language}{version}) does not match its hash")
    return found


def _make_frozen(acting_user: Actor, meeting: SteeringMeeting, language: str, fmt: str,
                 scope: Scope | None) -> FrozenReview | None:
    if fmt == FrozenReview.Format.PDF:
        source = frozen_review(acting_user=acting_user, meeting=meeting, language=language,
                               fmt=FrozenReview.Format.HTML, scope=scope)
        content = render_pdf(bytes(source.content))
    elif scope is not None and fmt in (FrozenReview.Format.HTML, FrozenReview.Format.JSON):
        source = frozen_review(acting_user=acting_user, meeting=meeting, language=language,
                               fmt=FrozenReview.Format.DATA)
        version = scoped_review(review_from_record(bytes(source.content)), scope)
        content = render_review(meeting, version, language) if fmt == FrozenReview.Format.HTML else \
            _figures_bytes(version)
    else:
        return None
    found = _freeze(meeting, language, fmt, content, _key(scope))
    record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        object_type="steering.frozen_review",
        object_id=found.pk,
        detail={"year": meeting.year, "language": language, "format": fmt, "version": found.scope,
                "sha256": found.sha256, "made_from": source.sha256},
    )
    return found


def has_frozen_facts(meeting: SteeringMeeting) -> bool:
    """Whether the readers' versions of a closed meeting can be drawn: meetings closed before the versions existed
    froze no facts, and only their full review is kept."""
    return FrozenReview.objects.filter(meeting=meeting, scope="", format=FrozenReview.Format.DATA).exists()


def version_name(scope: Scope) -> str:
    """The version's name in the active language: the organisation, or the countries."""
    if scope.organisation is not None:
        return scope.organisation_name
    names = {country.code: country.name for country in Country.objects.filter(code__in=scope.countries)}
    return ", ".join(sorted(names.get(code, code) for code in scope.countries)) or "—"


def review_bytes(*, acting_user: Actor, meeting: SteeringMeeting, language: str, fmt: str) -> bytes:
    """The review the reader reads (the full one, or the version of their scope): the frozen one for a closed
    meeting, freshly computed for a draft. Audited as an export. (The pages hand out PDFs through
    :func:`ready_review_pdf`: a PDF takes seconds to render.)"""
    if not may_read_steering(acting_user):
        raise PermissionDenied
    scope = review_scope(acting_user)
    if meeting.is_closed:
        content = bytes(frozen_review(acting_user=acting_user, meeting=meeting, language=language, fmt=fmt,
                                      scope=scope).content)
    else:
        document = render_document(meeting, language, scope)
        content = document if fmt == FrozenReview.Format.HTML else render_pdf(document)
    _record_export(acting_user, meeting, language, fmt, content, scope)
    return content


def _record_export(acting_user: Actor, meeting: SteeringMeeting, language: str, fmt: str, content: bytes,
                   scope: Scope | None) -> None:
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
                "version": _key(scope),
                "sha256": FrozenReview.digest(content),
            },
        )


# The minute a draft's figures were computed, as the review document prints it (in either language's format).
COMPUTED_AT = re.compile(rb'<span class="computed-at">[^<]*</span>')


def draft_pdf_path(meeting: SteeringMeeting, language: str, document: bytes, scope: Scope | None = None) -> Path:
    """Where the PDF of a draft review's document is kept: named by the version and the hash of the document less
    the minute it was computed, so a change of the data (another document) is another file while the same data a
    minute later find the PDF already made (it prints the minute it was made)."""
    digest = FrozenReview.digest(COMPUTED_AT.sub(b"", document))
    name = f"review-{meeting.year}-{_key(scope) or 'full'}-{language}-{digest}.pdf"
    return Path(settings.MEDIA_ROOT) / DRAFT_FOLDER / name


def _drop_drafts(meeting: SteeringMeeting, language: str, scope: Scope | None, keep: Path | None = None) -> None:
    folder = Path(settings.MEDIA_ROOT) / DRAFT_FOLDER
    for path in folder.glob(f"review-{meeting.year}-{_key(scope) or 'full'}-{language}-*.pdf"):
        if path != keep:
            path.unlink(missing_ok=True)


def ready_review_pdf(*, acting_user: Actor, meeting: SteeringMeeting, language: str) -> bytes | None:
    """The PDF of the review the reader reads, if it exists already (audited as an export), else None: ask the
    worker for it with :func:`queue_review_pdf`. A closed meeting's is its frozen PDF; a draft's, the one made from
    the document the data give now. A version a closed meeting cannot give (no frozen facts) raises
    ``FrozenReview.DoesNotExist``."""
    if not may_read_steering(acting_user):
        raise PermissionDenied
    fmt = FrozenReview.Format.PDF
    scope = review_scope(acting_user)
    if meeting.is_closed:
        found = FrozenReview.objects.filter(meeting=meeting, scope=_key(scope), language=language, format=fmt).first()
        if found is None:
            if scope is not None and not has_frozen_facts(meeting):
                raise FrozenReview.DoesNotExist
            return None
        if not found.is_intact():
            raise FrozenReviewAltered(f"the stored pdf review of {meeting.year} ({language}) does not match its hash")
        content = bytes(found.content)
    else:
        path = draft_pdf_path(meeting, language, render_document(meeting, language, scope), scope)
        if not path.exists():
            return None
        content = path.read_bytes()
    _record_export(acting_user, meeting, language, fmt, content, scope)
    return content


def review_pdf_url(meeting: SteeringMeeting, language: str) -> str:
    return f"{reverse('steering:review', args=[meeting.year, FrozenReview.Format.PDF])}?lang={language}"


@transaction.atomic
def queue_review_pdf(*, acting_user: Actor, meeting: SteeringMeeting, language: str,
                     request: HttpRequest | None = None) -> Job:
    """Queue the making of the PDF of the review the asker reads (WeasyPrint takes seconds), unless the asker can
    already follow a job making the same version. Its page links to the PDF once made."""
    from palermo.steering.jobs import make_review_pdf

    if not may_read_steering(acting_user):
        raise PermissionDenied
    scope = review_scope(acting_user)
    url = review_pdf_url(meeting, language)
    if isinstance(acting_user, User):
        # The same URL serves each reader their version: follow only a job made for the same one.
        same_version = Q(created_by=acting_user) if scope is not None else (
            Q(created_by__isnull=True) | Q(created_by__role__in=FULL_REVIEW_ROLES))
        waiting = (Job.objects.visible_to(acting_user).unfinished()
                   .filter(same_version, kind=PDF_JOB_KIND, next_url=url).first())
        if waiting is not None:
            return waiting
    values = {"year": meeting.year, "language": language}
    if scope is None:
        label = _("PDF of the steering review %(year)s (%(language)s)") % values
    else:
        label = _("PDF of the steering review %(year)s, version for %(version)s (%(language)s)") % {
            **values, "version": version_name(scope)}
    return enqueue(acting_user=acting_user, kind=PDF_JOB_KIND, label=label, task=make_review_pdf,
                   kwargs={"meeting_id": meeting.pk, "language": language}, identifying=False, retryable=True,
                   next_url=url, request=request)


def make_review_pdf(*, acting_user: Actor, meeting: SteeringMeeting, language: str,
                    progress: Callable[[str], None] | None = None) -> tuple[bytes, bool]:
    """Make the PDF of the review ``acting_user`` reads (the worker's part): a closed meeting's is frozen from its
    frozen HTML, with its hash and an audit row; a draft's is kept under ``MEDIA_ROOT/steering_drafts/`` (written
    then renamed), replacing the older one of the year, version and language. Returns (the PDF, whether it is
    frozen)."""
    if not may_read_steering(acting_user):
        raise PermissionDenied
    scope = review_scope(acting_user)
    if meeting.is_closed:
        if progress:
            progress("rendering")
        frozen = frozen_review(acting_user=acting_user, meeting=meeting, language=language,
                               fmt=FrozenReview.Format.PDF, scope=scope)
        _drop_drafts(meeting, language, scope)
        return bytes(frozen.content), True
    if progress:
        progress("computing")
    document = render_document(meeting, language, scope)
    if progress:
        progress("rendering")
    content = render_pdf(document)
    path = draft_pdf_path(meeting, language, document, scope)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _drop_drafts(meeting, language, scope, keep=path)
    return content, False
