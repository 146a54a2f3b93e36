"""Documents of an action (IATI document-link): a web address or an uploaded file; add and remove, audited.

Uploaded files are size-limited (``PROGRAMME_DOCUMENT_MAX_BYTES``, default 10 MB), must be what their
name says (``uploads.inspect``), and are stored under MEDIA_ROOT with a random name; they are served
only through the programme's own view, to users who may read the action.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme import codes, uploads
from palermo.programme.access import require_editable
from palermo.programme.choices import DOCUMENT_LANGUAGES
from palermo.programme.models import Action, Document
from palermo.programme.services.common import audit_country, locked

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "PROGRAMME_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_problem_message(problem: uploads.UploadProblem, name: str) -> str:
    return {
        uploads.UploadProblem.EXTENSION: _("%(name)s: accepted files are %(extensions)s."),
        uploads.UploadProblem.EMPTY: _("%(name)s is empty."),
        uploads.UploadProblem.CONTENT: _("%(name)s is not what its extension says."),
        uploads.UploadProblem.DECLARED: _("%(name)s was sent with a content type that does not match its extension."),
        uploads.UploadProblem.MACROS: _("%(name)s contains macros; save it without macros."),
    }[problem] % {"name": name, "extensions": ", ".join(uploads.EXTENSIONS)}


def _read_upload(upload: UploadedFile) -> tuple[bytes, str]:
    """The bytes and content type of an acceptable upload; ValidationError on ``upload`` otherwise."""
    name = upload.name or ""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"upload": [_("%(name)s is larger than %(limit)s.")
                                          % {"name": name, "limit": filesizeformat(limit)}]})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"upload": [_("%(name)s is larger than %(limit)s.")
                                          % {"name": name, "limit": filesizeformat(limit)}]})
    verdict = uploads.inspect(name, data, upload.content_type or "")
    if verdict.problem is not None:
        raise ValidationError({"upload": [upload_problem_message(verdict.problem, name)]})
    return data, verdict.content_type or ""


@transaction.atomic
def add_document(*, acting_user: Actor, action: Action, title: str, category: str, language: str,
                 document_date: date | None = None, url: str = "", upload: UploadedFile | None = None) -> Document:
    """Attach a document to the action: a web address or an uploaded file, not both."""
    require_editable(acting_user, action)
    errors: dict[str, list[str]] = {}
    if bool(url) == bool(upload):
        errors["url"] = [_("Give either a web address or a file, not both and not neither.")]
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = [_("Give a web address starting with http:// or https://.")]
    if category not in codes.DOCUMENT_CATEGORIES:
        errors["category"] = [_("Choose a category of the IATI DocumentCategory codelist.")]
    if language not in DOCUMENT_LANGUAGES:
        errors["language"] = [_("Choose a language from the list.")]
    document = Document(action=action, title=title, category=category, language=language,
                        document_date=document_date, url=url)
    try:
        document.clean_fields(exclude=["action", "file", "url", "category", "language"])
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    content_type = ""
    if upload is not None:
        data, content_type = _read_upload(upload)
        extension = uploads.extension_of(upload.name or "")
        document.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
    try:
        document.save()
        record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="programme.document",
               object_id=document.pk, country=audit_country(action),
               detail={"action": action.iati_identifier, "title": title, "category": category, "url": url,
                       "file": document.file.name or "", "content_type": content_type,
                       "original_name": (upload.name if upload is not None else "") or ""})
    except Exception:
        if document.file.name:
            document.file.storage.delete(document.file.name)  # written outside the database: undo by hand
        raise
    return document


@transaction.atomic
def remove_document(*, acting_user: Actor, document: Document) -> None:
    """Remove a document; its stored file is deleted once the removal is committed."""
    document = locked(Document, document)
    action = document.action
    require_editable(acting_user, action)
    pk, title, name = document.pk, document.title, document.file.name or ""
    document.delete()
    if name:
        storage = Document.file.field.storage
        transaction.on_commit(lambda: storage.delete(name))
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="programme.document", object_id=pk,
           country=audit_country(action), detail={"action": action.iati_identifier, "title": title, "file": name})
